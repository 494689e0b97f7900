import type { SimResidentIdHolder } from './SimResidentIdHolder.js';

/**
 * Builds the card's 256-byte text block (UCS-2 little-endian, space-padded with `20 00`) from a
 * holder description, with the layout of DOCUMENTS.md 4.3.
 *
 * @throws RangeError when a value does not fit its field.
 */
export function encodeResidentIdText(holder: SimResidentIdHolder): Uint8Array {
  const block = new Uint8Array(256);
  for (let i = 0; i < 256; i += 2) block[i] = 0x20;
  const put = (offset: number, length: number, value: string, field: string): void => {
    if (value.length * 2 > length)
      throw new RangeError(`${field} does not fit ${length / 2} characters`);
    for (let i = 0; i < value.length; i++) {
      const unit = value.charCodeAt(i);
      block[offset + 2 * i] = unit & 0xff;
      block[offset + 2 * i + 1] = unit >> 8;
    }
  };
  switch (holder.type) {
    case 'resident-id':
    case 'hmt-residence-permit':
      put(0, 30, holder.name, 'name');
      put(30, 2, holder.sexCode, 'sexCode');
      if (holder.type === 'resident-id') put(32, 4, holder.nationCode, 'nationCode');
      put(36, 16, holder.birthDate, 'birthDate');
      put(52, 70, holder.address, 'address');
      put(122, 36, holder.idNumber, 'idNumber');
      put(158, 30, holder.issuingAuthority, 'issuingAuthority');
      put(188, 16, holder.validFrom, 'validFrom');
      put(204, 16, holder.validTo, 'validTo');
      if (holder.type === 'hmt-residence-permit') {
        put(220, 18, holder.passNumber, 'passNumber');
        put(238, 4, holder.issueCount, 'issueCount');
        put(248, 2, 'J', 'typeFlag');
      }
      break;
    case 'foreign-permanent-resident-2017':
      put(0, 120, holder.englishName, 'englishName');
      put(120, 2, holder.sexCode, 'sexCode');
      put(122, 30, holder.permitNumber, 'permitNumber');
      put(152, 6, holder.nationalityCode, 'nationalityCode');
      put(158, 30, holder.chineseName, 'chineseName');
      put(188, 16, holder.issueDate, 'issueDate');
      put(204, 16, holder.expiryDate, 'expiryDate');
      put(220, 16, holder.birthDate, 'birthDate');
      put(236, 4, holder.cardVersion, 'cardVersion');
      put(240, 8, holder.authorityCode, 'authorityCode');
      put(248, 2, 'I', 'typeFlag');
      break;
    case 'foreign-permanent-resident-2023':
      put(0, 30, holder.chineseName, 'chineseName');
      put(30, 2, holder.sexCode, 'sexCode');
      put(32, 4, holder.renewalCount, 'renewalCount');
      put(36, 16, holder.birthDate, 'birthDate');
      if (holder.englishName.length > 46)
        throw new RangeError('englishName does not fit 46 characters');
      put(52, 70, holder.englishName.slice(0, 35), 'englishName');
      put(220, 22, holder.englishName.slice(35), 'englishName');
      put(122, 36, holder.idNumber, 'idNumber');
      put(188, 16, holder.issueDate, 'issueDate');
      put(204, 16, holder.expiryDate, 'expiryDate');
      put(242, 6, holder.nationalityCode, 'nationalityCode');
      put(248, 2, 'Y', 'typeFlag');
      put(250, 6, holder.previousPermitLink ?? '', 'previousPermitLink');
      break;
  }
  return block;
}
