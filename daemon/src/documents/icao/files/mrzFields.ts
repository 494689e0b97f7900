import { parse } from 'mrz';
import { EmrtdError } from '../EmrtdError.js';
import type { DocumentFields } from '../../DocumentReadResult.js';

/** Split a raw MRZ (no separators) into its lines: 3×30 (TD1), 2×36 (TD2), 2×44 (TD3). */
export function splitMrz(raw: string): string[] {
  const mrz = raw.replace(/[\r\n\s]/g, '');
  const width =
    mrz.length === 90 ? 30 : mrz.length === 72 ? 36 : mrz.length === 88 ? 44 : undefined;
  if (width === undefined)
    throw new EmrtdError(
      'document_credentials_invalid',
      `MRZ of ${mrz.length} characters is neither TD1 (90), TD2 (72) nor TD3 (88)`,
    );
  const lines: string[] = [];
  for (let i = 0; i < mrz.length; i += width) lines.push(mrz.slice(i, i + width));
  return lines;
}

/** `YYMMDD` → `YYYY-MM-DD`; `future` picks the century for expiry dates. */
export function mrzDateToIso(
  yymmdd: string,
  kind: 'birth' | 'expiry',
  now: Date = new Date(),
): string | undefined {
  if (!/^\d{6}$/.test(yymmdd)) return undefined;
  const yy = Number(yymmdd.slice(0, 2));
  const currentYy = now.getUTCFullYear() % 100;
  const century =
    kind === 'birth' ? (yy > currentYy ? 1900 : 2000) : yy >= currentYy + 50 ? 1900 : 2000;
  return `${century + yy}-${yymmdd.slice(2, 4)}-${yymmdd.slice(4, 6)}`;
}

/** Failures the MRZ parser reports that do not concern the data itself (fictitious states such as UTO). */
function isToleratedError(field: string | null, error: string | undefined): boolean {
  return (
    (field === 'issuingState' || field === 'nationality') &&
    error !== undefined &&
    /state code/.test(error)
  );
}

/** The parsed MRZ: structured fields plus check-digit validity. */
export interface ParsedMrz {
  readonly fields: DocumentFields;
  /** True when every check digit verifies. */
  readonly checkDigitsValid: boolean;
  readonly errors: readonly string[];
  /** The `mrz` package's names of the fields that failed (e.g. `documentNumberCheckDigit`, `birthDate`). */
  readonly invalidFields: readonly string[];
  readonly documentNumber: string;
  readonly birthDate: string;
  readonly expiryDate: string;
}

/** Parse an MRZ (TD1/TD2/TD3) into kycd's document fields using the `mrz` package. */
export function parseMrz(raw: string): ParsedMrz {
  const lines = splitMrz(raw);
  let result;
  try {
    result = parse(lines);
  } catch (err) {
    throw new EmrtdError(
      'document_response_malformed',
      `MRZ does not parse: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
  const f = result.fields;
  const failed = result.details.filter((d) => !d.valid && !isToleratedError(d.field, d.error));
  const errors = failed.map((d) => `${d.label}: ${d.error ?? 'invalid'}`);
  const invalidFields = failed
    .map((d) => d.field)
    .filter((f): f is NonNullable<typeof f> => f !== null);
  const sex =
    f.sex === 'male'
      ? 'male'
      : f.sex === 'female'
        ? 'female'
        : f.sex === 'nonspecified'
          ? 'unspecified'
          : 'unknown';
  const surname = f.lastName ?? '';
  const givenNames = f.firstName ?? '';
  const issuing = lines[0]?.slice(2, 5).replace(/</g, '') ?? '';
  const nationalityRaw =
    result.format === 'TD1'
      ? lines[1]?.slice(15, 18)
      : result.format === 'TD3'
        ? lines[1]?.slice(10, 13)
        : lines[1]?.slice(10, 13);
  const birth = f.birthDate ?? '';
  const expiry = f.expirationDate ?? '';
  const fields: DocumentFields = {
    documentType: f.documentCode ?? lines[0]?.slice(0, 2).replace(/</g, '') ?? '',
    documentNumber: f.documentNumber ?? result.documentNumber ?? '',
    fullName: [givenNames, surname].filter((s) => s !== '').join(' '),
    surname,
    givenNames,
    issuingState: f.issuingState ?? issuing,
    nationality: f.nationality ?? (nationalityRaw ?? '').replace(/</g, ''),
    sex,
    ...(mrzDateToIso(birth, 'birth') === undefined
      ? {}
      : { birthDate: mrzDateToIso(birth, 'birth') as string }),
    ...(mrzDateToIso(expiry, 'expiry') === undefined
      ? {}
      : { expiryDate: mrzDateToIso(expiry, 'expiry') as string }),
    ...(f.personalNumber != null && f.personalNumber !== ''
      ? { personalNumber: f.personalNumber }
      : {}),
    mrz: lines.join('\n'),
  };
  return {
    fields,
    checkDigitsValid: errors.length === 0,
    errors,
    invalidFields,
    documentNumber: fields.documentNumber,
    birthDate: birth,
    expiryDate: expiry,
  };
}
