/**
 * Mask an identity-document number (passport number, resident ID number, personal number) for
 * logs and POS summaries: keeps the last 4 characters — and the first one when the number is
 * long enough (≥ 10) that this still hides most of it — and replaces the rest with `*`.
 * Numbers of 4 characters or fewer are masked entirely. Whitespace is dropped first.
 *
 * @example maskIdNumber('11010519491231002X') === '1*************002X'
 */
export function maskIdNumber(value: string): string {
  const s = value.replace(/\s+/g, '');
  const chars = [...s];
  if (chars.length <= 4) return '*'.repeat(chars.length);
  const head = chars.length >= 10 ? 1 : 0;
  return (
    chars.slice(0, head).join('') + '*'.repeat(chars.length - head - 4) + chars.slice(-4).join('')
  );
}

/**
 * Paths (pino `redact` syntax) of values that never go to a log: photos, images, embeddings,
 * raw MRZ and full numbers. Give it to the logger; mask numbers you do log with
 * {@link maskIdNumber}.
 */
export const LOG_REDACT_PATHS: readonly string[] = [
  '*.photo',
  '*.encoded',
  '*.rgb',
  '*.image',
  '*.images',
  '*.frame',
  '*.embedding',
  '*.mrz',
  '*.documentNumber',
  '*.personalNumber',
  '*.token',
  'fields.documentNumber',
  'fields.personalNumber',
  'fields.mrz',
  'fields.address',
];
