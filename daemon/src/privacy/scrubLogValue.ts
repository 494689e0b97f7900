import { maskIdNumber } from './maskIdNumber.js';
import { IMAGE_BASE64_PREFIXES } from './storableSessionEvent.js';

/** What replaces an image or a biometric vector in a log line. */
export const LOG_REDACTED = '[redacted]';

/** An MRZ line or a run of one: 30–44 MRZ characters with the `<<` filler. */
const MRZ = /[A-Z0-9<]*<<[A-Z0-9<]*/g;
/** A Chinese resident ID number (GB 11643: 17 digits and a check character). */
const CN_RESIDENT_ID = /(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])/g;
/** A passport or ID-card number as most states print them: 1–2 letters and 6–9 digits. */
const DOCUMENT_NUMBER = /(?<![0-9A-Za-z_-])[A-Z]{1,2}\d{6,9}(?![0-9A-Za-z_-])/g;
/** Base64 (or data: URI) of an image, by the same prefixes the session timeline removes. */
const IMAGE_BASE64 = new RegExp(
  `(?:data:image/[a-z0-9.+-]+;base64,)?(?:${IMAGE_BASE64_PREFIXES.map((p) => p.replace(/[/+]/g, '\\$&')).join('|')})[A-Za-z0-9+/=]{32,}`,
  'g',
);
/** A printed list of 16 or more decimal numbers (an embedding or pixels). */
const NUMBER_LIST =
  /\[?\s*-?\d+(?:\.\d+)?(?:e-?\d+)?(?:\s*,\s*-?\d+(?:\.\d+)?(?:e-?\d+)?){15,}\s*\]?/gi;
/** Arrays of more numbers than this are treated as embeddings or pixel data. */
const MAX_NUMBER_ARRAY = 16;

/**
 * Scrub free text for a log line — error messages above all, which quote what failed: MRZ
 * lines, resident ID numbers and passport-style numbers are masked ({@link maskIdNumber}),
 * base64 images and long number lists are replaced by {@link LOG_REDACTED}.
 */
export function scrubLogText(text: string): string {
  if (text.length < 6) return text;
  return text
    .replace(IMAGE_BASE64, LOG_REDACTED)
    .replace(NUMBER_LIST, LOG_REDACTED)
    .replace(MRZ, (m) => (m.length >= 20 ? '[redacted-mrz]' : m))
    .replace(CN_RESIDENT_ID, (m) => maskIdNumber(m))
    .replace(DOCUMENT_NUMBER, (m) => maskIdNumber(m));
}

/**
 * {@link scrubLogText} applied to every string of a log object, with binary data, typed arrays
 * and long number arrays replaced by {@link LOG_REDACTED} and errors copied with their message,
 * stack and cause scrubbed. Returns a new object; the input is untouched.
 */
export function scrubLogValue(value: unknown, depth = 0): unknown {
  if (depth > 16) return LOG_REDACTED;
  if (typeof value === 'string') return scrubLogText(value);
  if (value === null || typeof value !== 'object') return value;
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) return LOG_REDACTED;
  if (value instanceof Error) {
    // A scrubbed copy, still an Error, so that pino's error serializer keeps its type.
    const copy = new Error(scrubLogText(value.message));
    copy.name = value.name;
    copy.stack = value.stack === undefined ? undefined : scrubLogText(value.stack);
    const code = (value as { code?: unknown }).code;
    if (typeof code === 'string') (copy as Error & { code?: string }).code = code;
    if (value.cause !== undefined) copy.cause = scrubLogValue(value.cause, depth + 1);
    return copy;
  }
  if (Array.isArray(value)) {
    if (value.length > MAX_NUMBER_ARRAY && value.every((v) => typeof v === 'number'))
      return LOG_REDACTED;
    return value.map((v) => scrubLogValue(v, depth + 1));
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = scrubLogValue(v, depth + 1);
  return out;
}
