import type { EmrtdHolder } from './EmrtdHolder.js';

const WEIGHTS = [7, 3, 1] as const;

/** ICAO 9303-3 §4.9 check digit over MRZ characters (0–9, A–Z, '<'). */
export function mrzCheckDigit(field: string): string {
  let sum = 0;
  for (let i = 0; i < field.length; i++) {
    const ch = field[i] ?? '<';
    let value: number;
    if (ch >= '0' && ch <= '9') value = ch.charCodeAt(0) - 48;
    else if (ch >= 'A' && ch <= 'Z') value = ch.charCodeAt(0) - 55;
    else if (ch === '<') value = 0;
    else throw new RangeError(`character ${JSON.stringify(ch)} is not allowed in an MRZ`);
    sum += value * (WEIGHTS[i % 3] ?? 1);
  }
  return String(sum % 10);
}

function mrzText(value: string, length: number, what: string): string {
  const upper = value.toUpperCase().replace(/[ -]/g, '<');
  if (!/^[A-Z0-9<]*$/.test(upper))
    throw new RangeError(`${what} ${JSON.stringify(value)} has characters an MRZ cannot hold`);
  if (upper.length > length) throw new RangeError(`${what} is longer than ${length} characters`);
  return upper.padEnd(length, '<');
}

function mrzDate(value: string, what: string): string {
  if (!/^\d{6}$/.test(value))
    throw new RangeError(`${what} must be YYMMDD, got ${JSON.stringify(value)}`);
  return value;
}

/** The two 44-character lines of a TD3 (passport) MRZ, ICAO 9303-4, with all check digits. */
export interface Td3Mrz {
  readonly line1: string;
  readonly line2: string;
  /** Document number ‖ check digit ‖ DOB ‖ check digit ‖ DOE ‖ check digit (the BAC key seed input). */
  readonly mrzInformation: string;
}

/** Builds the TD3 MRZ of a holder; throws RangeError for fields an MRZ cannot hold. */
export function buildTd3Mrz(holder: EmrtdHolder): Td3Mrz {
  const code = mrzText(holder.documentCode ?? 'P', 2, 'document code');
  const state = mrzText(holder.issuingState, 3, 'issuing state');
  const name = `${mrzText(holder.surname, 39, 'surname').replace(/<+$/, '')}<<${holder.givenNames
    .trim()
    .toUpperCase()
    .split(/\s+/)
    .join('<')}`;
  const nameField = mrzText(name, 39, 'name').slice(0, 39);
  const line1 = `${code}${state}${nameField}`;
  const docNumber = mrzText(holder.documentNumber, 9, 'document number');
  const nationality = mrzText(holder.nationality, 3, 'nationality');
  const dob = mrzDate(holder.dateOfBirth, 'date of birth');
  const doe = mrzDate(holder.dateOfExpiry, 'date of expiry');
  const optional = mrzText(holder.optionalData ?? '', 14, 'optional data');
  const docCd = mrzCheckDigit(docNumber);
  const dobCd = mrzCheckDigit(dob);
  const doeCd = mrzCheckDigit(doe);
  const optCd = optional === '<'.repeat(14) ? '<' : mrzCheckDigit(optional);
  const composite = mrzCheckDigit(
    `${docNumber}${docCd}${dob}${dobCd}${doe}${doeCd}${optional}${optCd}`,
  );
  const line2 = `${docNumber}${docCd}${nationality}${dob}${dobCd}${holder.sex}${doe}${doeCd}${optional}${optCd}${composite}`;
  return { line1, line2, mrzInformation: `${docNumber}${docCd}${dob}${dobCd}${doe}${doeCd}` };
}
