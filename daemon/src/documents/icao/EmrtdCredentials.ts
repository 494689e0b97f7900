import { EmrtdError } from './EmrtdError.js';
import { parseMrz } from './files/mrzFields.js';

/** MRZ-derived access credentials (BAC, or PACE with the MRZ password). Dates are YYMMDD. */
export interface MrzCredentials {
  readonly kind: 'mrz';
  readonly documentNumber: string;
  readonly birthDate: string;
  readonly expiryDate: string;
}

/** Card Access Number credentials (PACE only). */
export interface CanCredentials {
  readonly kind: 'can';
  readonly can: string;
}

/** What unlocks the chip. */
export type EmrtdCredentials = MrzCredentials | CanCredentials;

/** The credential fields a `document_credentials_invalid` error can name (in its `data.field`). */
export type CredentialField = 'can' | 'documentNumber' | 'birthDate' | 'expiryDate' | 'mrz';

function invalid(message: string, field: CredentialField): EmrtdError {
  return new EmrtdError('document_credentials_invalid', message, { data: { field } });
}

/** The `mrz` package's field names → the credential field they belong to. */
const MRZ_FIELD: Readonly<Record<string, CredentialField>> = {
  documentNumber: 'documentNumber',
  documentNumberCheckDigit: 'documentNumber',
  birthDate: 'birthDate',
  birthDateCheckDigit: 'birthDate',
  expirationDate: 'expiryDate',
  expirationDateCheckDigit: 'expiryDate',
};

function validDate(yymmdd: string): boolean {
  if (!/^\d{6}$/.test(yymmdd)) return false;
  const mm = Number(yymmdd.slice(2, 4));
  const dd = Number(yymmdd.slice(4, 6));
  return mm >= 1 && mm <= 12 && dd >= 1 && dd <= 31;
}

/**
 * Normalise and validate credentials: document number upper-cased with `<` fillers removed
 * from the end, dates as valid YYMMDD, CAN as 6 digits. Throws `document_credentials_invalid`
 * (an `EmrtdError`) naming the bad field.
 */
export function normalizeCredentials(credentials: EmrtdCredentials): EmrtdCredentials {
  if (credentials.kind === 'can') {
    const can = credentials.can.trim();
    if (!/^\d{6}$/.test(can)) throw invalid('CAN must be 6 digits', 'can');
    return { kind: 'can', can };
  }
  const documentNumber = credentials.documentNumber.trim().toUpperCase().replace(/<+$/, '');
  if (!/^[A-Z0-9<]{1,22}$/.test(documentNumber))
    throw invalid('document number must be 1-22 characters A-Z, 0-9', 'documentNumber');
  const birthDate = credentials.birthDate.trim();
  const expiryDate = credentials.expiryDate.trim();
  if (!validDate(birthDate)) throw invalid('birth date must be YYMMDD', 'birthDate');
  if (!validDate(expiryDate)) throw invalid('expiry date must be YYMMDD', 'expiryDate');
  return { kind: 'mrz', documentNumber, birthDate, expiryDate };
}

/**
 * Access credentials from a full printed MRZ (TD1, TD2 or TD3; line breaks optional). The check
 * digits of document number, birth date and expiry date must verify; a long TD1 document number
 * (overflowing into the optional data) is reassembled. Failures are `document_credentials_invalid`
 * with `data.field` naming the bad field (`mrz` when the text is not an MRZ at all).
 *
 * @example
 * ```ts
 * parseMrzCredentials('P<UTOERIKSSON<<ANNA<MARIA<<<…\nL898902C36UTO7408122F1204159ZE184226B<<<<<10')
 * // → { kind: 'mrz', documentNumber: 'L898902C3', birthDate: '740812', expiryDate: '120415' }
 * ```
 */
export function parseMrzCredentials(mrz: string): MrzCredentials {
  if (!/^[A-Z0-9<\s]*$/.test(mrz))
    throw invalid('MRZ may hold only A-Z, 0-9, < and line breaks', 'mrz');
  let parsed: ReturnType<typeof parseMrz>;
  try {
    parsed = parseMrz(mrz);
  } catch (err) {
    if (err instanceof EmrtdError && err.code === 'document_credentials_invalid')
      throw invalid(err.message, 'mrz');
    throw invalid(`MRZ does not parse: ${err instanceof Error ? err.message : String(err)}`, 'mrz');
  }
  const bad = parsed.invalidFields
    .map((f) => MRZ_FIELD[f])
    .filter((f): f is CredentialField => f !== undefined);
  if (bad[0] !== undefined) {
    const relevant = parsed.errors.filter((e) =>
      /document number|birth date|expiration date|expiry/i.test(e),
    );
    throw new EmrtdError(
      'document_credentials_invalid',
      `MRZ check failed: ${relevant.join('; ')}`,
      { data: { field: bad[0], fields: [...new Set(bad)] } },
    );
  }
  const documentNumber = parsed.documentNumber.replace(/</g, '');
  if (documentNumber === '') throw invalid('MRZ lacks the document number', 'documentNumber');
  if (!/^\d{6}$/.test(parsed.birthDate)) throw invalid('MRZ lacks the birth date', 'birthDate');
  if (!/^\d{6}$/.test(parsed.expiryDate)) throw invalid('MRZ lacks the expiry date', 'expiryDate');
  return normalizeCredentials({
    kind: 'mrz',
    documentNumber,
    birthDate: parsed.birthDate,
    expiryDate: parsed.expiryDate,
  }) as MrzCredentials;
}
