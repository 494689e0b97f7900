/**
 * Holder descriptions the virtual SAM reader turns into the card's 256-byte UCS-2 text block,
 * one per layout (resident ID, HK/Macao/Taiwan residence permit `J`, foreign permanent resident
 * 2017 `I` and 2023 `Y`). Dates are `YYYYMMDD` as on the card (`长期` allowed for valid-to), codes as
 * stored (sex `0|1|2|9`, nation `01`–`56`, `97`, `98`).
 */
export type SimResidentIdHolder =
  | SimCnResidentIdHolder
  | SimHmtResidencePermitHolder
  | SimForeignPermanentResident2017Holder
  | SimForeignPermanentResident2023Holder;

/** 居民身份证. */
export interface SimCnResidentIdHolder {
  readonly type: 'resident-id';
  readonly name: string;
  readonly sexCode: string;
  readonly nationCode: string;
  readonly birthDate: string;
  readonly address: string;
  readonly idNumber: string;
  readonly issuingAuthority: string;
  readonly validFrom: string;
  readonly validTo: string;
}

/** 港澳台居民居住证 (type flag J). */
export interface SimHmtResidencePermitHolder {
  readonly type: 'hmt-residence-permit';
  readonly name: string;
  readonly sexCode: string;
  readonly birthDate: string;
  readonly address: string;
  readonly idNumber: string;
  readonly issuingAuthority: string;
  readonly validFrom: string;
  readonly validTo: string;
  readonly passNumber: string;
  readonly issueCount: string;
}

/** 外国人永久居留身份证 2017 (type flag I). */
export interface SimForeignPermanentResident2017Holder {
  readonly type: 'foreign-permanent-resident-2017';
  readonly englishName: string;
  readonly chineseName: string;
  readonly sexCode: string;
  readonly permitNumber: string;
  readonly nationalityCode: string;
  readonly issueDate: string;
  readonly expiryDate: string;
  readonly birthDate: string;
  readonly cardVersion: string;
  readonly authorityCode: string;
}

/** 外国人永久居留身份证 2023 (type flag Y). */
export interface SimForeignPermanentResident2023Holder {
  readonly type: 'foreign-permanent-resident-2023';
  readonly chineseName: string;
  readonly englishName: string;
  readonly sexCode: string;
  readonly renewalCount: string;
  readonly birthDate: string;
  readonly idNumber: string;
  readonly issueDate: string;
  readonly expiryDate: string;
  readonly nationalityCode: string;
  readonly previousPermitLink?: string;
}

/** The DOCUMENTS.md synthetic person (the GB 11643 standard's example ID number). */
export const SIM_DEFAULT_RESIDENT: SimCnResidentIdHolder = {
  type: 'resident-id',
  name: '测试',
  sexCode: '1',
  nationCode: '01',
  birthDate: '19491231',
  address: '北京市东城区测试路1号',
  idNumber: '11010519491231002X',
  issuingAuthority: '北京市公安局东城分局',
  validFrom: '20200101',
  validTo: '20400101',
};
