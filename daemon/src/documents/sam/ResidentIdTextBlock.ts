import { SamError } from './SamError.js';
import { checkGb11643 } from './Gb11643.js';
import { GB2261_SEX, GB3304_NATIONS } from './Gb3304Nations.js';

/** Sex as decoded from a GB/T 2261.1 code. */
export type ResidentIdSex = 'unknown' | 'male' | 'female' | 'unspecified';

/** ISO date `YYYY-MM-DD`, or `'long-term'` for 长期 (valid-to of cards issued to people over 46). */
export type ResidentIdDate = string;

/** Mainland resident ID card (居民身份证), type flag blank. */
export interface CnResidentIdText {
  readonly type: 'resident-id';
  readonly name: string;
  readonly sexCode: string;
  readonly sex: ResidentIdSex;
  /** GB 3304 two-digit code. */
  readonly nationCode: string;
  /** The nation as printed on the card, e.g. 汉. */
  readonly nation: string;
  readonly birthDate: ResidentIdDate;
  readonly address: string;
  /** 公民身份号码, GB 11643 check character verified. */
  readonly idNumber: string;
  readonly issuingAuthority: string;
  readonly validFrom: ResidentIdDate;
  readonly validTo: ResidentIdDate;
}

/** Residence permit for Hong Kong, Macao and Taiwan residents (港澳台居民居住证), type flag `J`. */
export interface HmtResidencePermitText {
  readonly type: 'hmt-residence-permit';
  readonly name: string;
  readonly sexCode: string;
  readonly sex: ResidentIdSex;
  readonly birthDate: ResidentIdDate;
  readonly address: string;
  /** 公民身份号码 (810000/820000/830000 region prefixes), GB 11643 check character verified. */
  readonly idNumber: string;
  readonly issuingAuthority: string;
  readonly validFrom: ResidentIdDate;
  readonly validTo: ResidentIdDate;
  /** 通行证号码: the holder's Home Return Permit / Taiwan Compatriot Permit number. */
  readonly passNumber: string;
  /** 签发次数. */
  readonly issueCount: string;
}

/** Foreign permanent resident ID card, 2017 edition (外国人永久居留身份证), type flag `I`. */
export interface ForeignPermanentResident2017Text {
  readonly type: 'foreign-permanent-resident-2017';
  readonly englishName: string;
  readonly chineseName: string;
  readonly sexCode: string;
  readonly sex: ResidentIdSex;
  /** 15-character permit number. */
  readonly permitNumber: string;
  /** GB/T 2659 alpha-3 nationality code. */
  readonly nationalityCode: string;
  readonly issueDate: ResidentIdDate;
  readonly expiryDate: ResidentIdDate;
  readonly birthDate: ResidentIdDate;
  readonly cardVersion: string;
  readonly authorityCode: string;
}

/** Foreign permanent resident ID card, 2023 edition, type flag `Y`. */
export interface ForeignPermanentResident2023Text {
  readonly type: 'foreign-permanent-resident-2023';
  readonly chineseName: string;
  readonly englishName: string;
  readonly sexCode: string;
  readonly sex: ResidentIdSex;
  /** 换证次数. */
  readonly renewalCount: string;
  readonly birthDate: ResidentIdDate;
  /** 18-character number (its check character is not verified: the 2023 scheme is not in our sources). */
  readonly idNumber: string;
  readonly issueDate: ResidentIdDate;
  readonly expiryDate: ResidentIdDate;
  /** GB/T 2659 alpha-3 nationality code. */
  readonly nationalityCode: string;
  /** 既往版本外国人永久居留证件号码关联项 (raw, trimmed). */
  readonly previousPermitLink: string;
}

/** Any of the four layouts of the 256-byte text block. */
export type ResidentIdText =
  | CnResidentIdText
  | HmtResidencePermitText
  | ForeignPermanentResident2017Text
  | ForeignPermanentResident2023Text;

/** Size of the text block returned by 读基本信息. */
export const RESIDENT_ID_TEXT_BYTES = 256;

/**
 * Parses the 256-byte UCS-2 little-endian text block of a resident ID card or one of the three
 * permits (type flag at bytes 248–249: blank, `J`, `I`, `Y`). Every field is bounds-checked and
 * validated; a malformed block rejects with `document_sam_text_invalid` and an ID number whose
 * GB 11643 check character is wrong with `document_id_number_invalid`. Messages name the field,
 * never its content (the content is personal data).
 *
 * @example
 * ```ts
 * const text = parseResidentIdText(base.text);
 * if (text.type === 'resident-id') console.log(text.nation, text.validTo);
 * ```
 */
export function parseResidentIdText(block: Uint8Array): ResidentIdText {
  if (block.length !== RESIDENT_ID_TEXT_BYTES) {
    throw invalid(
      `text block is ${block.length} bytes, expected ${RESIDENT_ID_TEXT_BYTES}`,
      'block',
    );
  }
  const r = new FieldReader(block);
  const flag = r.raw(248, 2, 'typeFlag');
  switch (flag) {
    case ' ':
    case '\u0000':
      return parseResident(r);
    case 'J':
      return parseHmt(r);
    case 'I':
      return parseForeign2017(r);
    case 'Y':
      return parseForeign2023(r);
    default:
      throw invalid(
        `unknown card type flag U+${flag.charCodeAt(0).toString(16).padStart(4, '0')} at bytes 248–249`,
        'typeFlag',
      );
  }
}

function parseResident(r: FieldReader): CnResidentIdText {
  const sexCode = r.text(30, 2, 'sex');
  const nationCode = r.text(32, 4, 'nation');
  const nation = GB3304_NATIONS.get(nationCode);
  if (nation === undefined) throw invalid('nation code is not a GB 3304 code', 'nation');
  return {
    type: 'resident-id',
    name: r.required(0, 30, 'name'),
    sexCode,
    sex: sex(sexCode),
    nationCode,
    nation,
    birthDate: r.date(36, 'birthDate'),
    address: r.text(52, 70, 'address'),
    idNumber: gbIdNumber(r.text(122, 36, 'idNumber')),
    issuingAuthority: r.text(158, 30, 'issuingAuthority'),
    validFrom: r.date(188, 'validFrom'),
    validTo: r.date(204, 'validTo', true),
  };
}

function parseHmt(r: FieldReader): HmtResidencePermitText {
  const sexCode = r.text(30, 2, 'sex');
  return {
    type: 'hmt-residence-permit',
    name: r.required(0, 30, 'name'),
    sexCode,
    sex: sex(sexCode),
    birthDate: r.date(36, 'birthDate'),
    address: r.text(52, 70, 'address'),
    idNumber: gbIdNumber(r.text(122, 36, 'idNumber')),
    issuingAuthority: r.text(158, 30, 'issuingAuthority'),
    validFrom: r.date(188, 'validFrom'),
    validTo: r.date(204, 'validTo', true),
    passNumber: r.text(220, 18, 'passNumber'),
    issueCount: r.text(238, 4, 'issueCount'),
  };
}

function parseForeign2017(r: FieldReader): ForeignPermanentResident2017Text {
  const sexCode = r.text(120, 2, 'sex');
  const permitNumber = r.required(122, 30, 'permitNumber');
  if (!/^[A-Z0-9]{15}$/u.test(permitNumber))
    throw invalid('permit number is not 15 letters or digits', 'permitNumber');
  return {
    type: 'foreign-permanent-resident-2017',
    englishName: r.required(0, 120, 'englishName'),
    chineseName: r.text(158, 30, 'chineseName'),
    sexCode,
    sex: sex(sexCode),
    permitNumber,
    nationalityCode: nationality(r.text(152, 6, 'nationality')),
    issueDate: r.date(188, 'issueDate'),
    expiryDate: r.date(204, 'expiryDate', true),
    birthDate: r.date(220, 'birthDate'),
    cardVersion: r.text(236, 4, 'cardVersion'),
    authorityCode: r.text(240, 8, 'authorityCode'),
  };
}

function parseForeign2023(r: FieldReader): ForeignPermanentResident2023Text {
  const sexCode = r.text(30, 2, 'sex');
  const englishName = trimPadding(r.raw(52, 70, 'englishName') + r.raw(220, 22, 'englishName'));
  const idNumber = r.required(122, 36, 'idNumber');
  if (!/^\d{17}[\dX]$/u.test(idNumber))
    throw invalid('ID number is not 17 digits and a check character', 'idNumber');
  return {
    type: 'foreign-permanent-resident-2023',
    chineseName: r.text(0, 30, 'chineseName'),
    englishName,
    sexCode,
    sex: sex(sexCode),
    renewalCount: r.text(32, 4, 'renewalCount'),
    birthDate: r.date(36, 'birthDate'),
    idNumber,
    issueDate: r.date(188, 'issueDate'),
    expiryDate: r.date(204, 'expiryDate', true),
    nationalityCode: nationality(r.text(242, 6, 'nationality')),
    previousPermitLink: r.text(250, 6, 'previousPermitLink'),
  };
}

class FieldReader {
  constructor(private readonly block: Uint8Array) {}

  /** The field's characters, untrimmed; refuses control characters and lone surrogates. */
  raw(offset: number, length: number, field: string): string {
    const bytes = this.block.subarray(offset, offset + length);
    let out = '';
    for (let i = 0; i + 1 < bytes.length; i += 2) {
      const unit = bytes[i]! | (bytes[i + 1]! << 8);
      if (unit !== 0 && unit < 0x20) throw invalid('control character in field', field);
      if (unit >= 0xd800 && unit <= 0xdfff)
        throw invalid('surrogate code unit in field (UCS-2 has none)', field);
      out += String.fromCharCode(unit);
    }
    return out;
  }

  /** The field trimmed of its space (and NUL) padding. */
  text(offset: number, length: number, field: string): string {
    return trimPadding(this.raw(offset, length, field));
  }

  required(offset: number, length: number, field: string): string {
    const value = this.text(offset, length, field);
    if (value.length === 0) throw invalid('required field is empty', field);
    return value;
  }

  /** A 16-byte YYYYMMDD field → `YYYY-MM-DD`, or `'long-term'` for 长期 when allowed. */
  date(offset: number, field: string, allowLongTerm = false): ResidentIdDate {
    const value = this.text(offset, 16, field);
    if (allowLongTerm && value === '长期') return 'long-term';
    const m = /^(\d{4})(\d{2})(\d{2})$/u.exec(value);
    if (m === null) throw invalid('date is not YYYYMMDD', field);
    const [, y, mo, d] = m;
    const date = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)));
    if (
      date.getUTCFullYear() !== Number(y) ||
      date.getUTCMonth() !== Number(mo) - 1 ||
      date.getUTCDate() !== Number(d)
    ) {
      throw invalid('date is not a calendar date', field);
    }
    return `${y}-${mo}-${d}`;
  }
}

/** Strips the space (20 00) and NUL padding at both ends of a field. */
export function trimPadding(value: string): string {
  const pad = (c: string | undefined): boolean => c === ' ' || c === '\u0000';
  let start = 0;
  let end = value.length;
  while (start < end && pad(value[start])) start++;
  while (end > start && pad(value[end - 1])) end--;
  return value.slice(start, end);
}

function sex(code: string): ResidentIdSex {
  const value = GB2261_SEX.get(code);
  if (value === undefined) throw invalid('sex code is not a GB/T 2261.1 code', 'sex');
  return value;
}

function nationality(code: string): string {
  if (!/^[A-Z]{3}$/u.test(code))
    throw invalid('nationality is not a GB/T 2659 alpha-3 code', 'nationality');
  return code;
}

function gbIdNumber(value: string): string {
  const check = checkGb11643(value);
  if (check.valid) return value;
  if (check.reason === 'format')
    throw invalid('ID number is not 17 digits and a check character', 'idNumber');
  throw new SamError(
    'document_id_number_invalid',
    'ID number fails its GB 11643-1999 check character (ISO 7064 MOD 11-2)',
    {
      step: 'parseTextBlock',
      data: { field: 'idNumber' },
    },
  );
}

function invalid(message: string, field: string): SamError {
  return new SamError(
    'document_sam_text_invalid',
    `resident ID text block: ${message} (${field})`,
    { step: 'parseTextBlock', data: { field } },
  );
}
