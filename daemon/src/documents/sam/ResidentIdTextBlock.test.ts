import fc from 'fast-check';
import {
  encodeResidentIdText,
  SIM_DEFAULT_RESIDENT,
  type SimResidentIdHolder,
} from '@kycd/hardware-sim';
import { describe, expect, it } from 'vitest';
import { parseResidentIdText } from './ResidentIdTextBlock.js';
import { SamError } from './SamError.js';
import { SYNTHETIC_TEXT256 } from './__fixtures__/documentsVectors.js';

const block = (hex: string): Uint8Array => Uint8Array.from(Buffer.from(hex, 'hex'));

function expectCode(fn: () => unknown, code: string, field?: string): void {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(SamError);
    expect((err as SamError).code).toBe(code);
    if (field !== undefined) expect((err as SamError).data?.['field']).toBe(field);
    return;
  }
  throw new Error(`expected ${code}`);
}

describe('parseResidentIdText', () => {
  it('parses the DOCUMENTS.md synthetic text block', () => {
    expect(parseResidentIdText(block(SYNTHETIC_TEXT256))).toEqual({
      type: 'resident-id',
      name: '测试',
      sexCode: '1',
      sex: 'male',
      nationCode: '01',
      nation: '汉',
      birthDate: '1949-12-31',
      address: '北京市东城区测试路1号',
      idNumber: '11010519491231002X',
      issuingAuthority: '北京市公安局东城分局',
      validFrom: '2020-01-01',
      validTo: '2040-01-01',
    });
  });

  it('the simulator encodes the synthetic person byte for byte like the vector', () => {
    expect(
      Buffer.from(encodeResidentIdText(SIM_DEFAULT_RESIDENT)).toString('hex').toUpperCase(),
    ).toBe(SYNTHETIC_TEXT256);
  });

  it('reads 长期 as long-term', () => {
    const t = parseResidentIdText(
      encodeResidentIdText({ ...SIM_DEFAULT_RESIDENT, validTo: '长期' }),
    );
    expect(t.type === 'resident-id' && t.validTo).toBe('long-term');
  });

  it('parses a HK/Macao/Taiwan residence permit (J)', () => {
    const holder: SimResidentIdHolder = {
      type: 'hmt-residence-permit',
      name: '陈大文',
      sexCode: '2',
      birthDate: '19900307',
      address: '广东省深圳市福田区测试街2号',
      idNumber: '810000199003078033',
      issuingAuthority: '深圳市公安局福田分局',
      validFrom: '20190101',
      validTo: '20240101',
      passNumber: 'H12345678',
      issueCount: '01',
    };
    expect(parseResidentIdText(encodeResidentIdText(holder))).toMatchObject({
      type: 'hmt-residence-permit',
      name: '陈大文',
      sex: 'female',
      idNumber: '810000199003078033',
      passNumber: 'H12345678',
      issueCount: '01',
      validTo: '2024-01-01',
    });
  });

  it('parses a 2017 foreign permanent resident card (I)', () => {
    const holder: SimResidentIdHolder = {
      type: 'foreign-permanent-resident-2017',
      englishName: 'SMITH, JOHN',
      chineseName: '史密斯',
      sexCode: '1',
      permitNumber: 'USA110080101001',
      nationalityCode: 'USA',
      issueDate: '20170601',
      expiryDate: '20270601',
      birthDate: '19800101',
      cardVersion: '17',
      authorityCode: '1100',
    };
    expect(parseResidentIdText(encodeResidentIdText(holder))).toEqual({
      ...holder,
      sex: 'male',
      type: 'foreign-permanent-resident-2017',
      issueDate: '2017-06-01',
      expiryDate: '2027-06-01',
      birthDate: '1980-01-01',
    });
  });

  it('parses a 2023 foreign permanent resident card (Y) with a long English name split over two fields', () => {
    const englishName = 'VANDERBILT-MONTGOMERY, ALEXANDRA CATHERINE E';
    const holder: SimResidentIdHolder = {
      type: 'foreign-permanent-resident-2023',
      chineseName: '范德比',
      englishName,
      sexCode: '2',
      renewalCount: '00',
      birthDate: '19850615',
      idNumber: '931586198506150026',
      issueDate: '20231201',
      expiryDate: '20331201',
      nationalityCode: 'GBR',
    };
    expect(parseResidentIdText(encodeResidentIdText(holder))).toMatchObject({
      type: 'foreign-permanent-resident-2023',
      englishName,
      chineseName: '范德比',
      nationalityCode: 'GBR',
      idNumber: '931586198506150026',
      birthDate: '1985-06-15',
    });
  });

  it('a wrong GB 11643 check character is document_id_number_invalid', () => {
    expectCode(
      () =>
        parseResidentIdText(
          encodeResidentIdText({ ...SIM_DEFAULT_RESIDENT, idNumber: '110105194912310021' }),
        ),
      'document_id_number_invalid',
      'idNumber',
    );
  });

  it.each([
    ['nation', { nationCode: '77' }],
    ['sex', { sexCode: '5' }],
    ['birthDate', { birthDate: '19490231' }],
    ['validTo', { validTo: '2040' }],
    ['name', { name: '' }],
    ['idNumber', { idNumber: 'ABC' }],
  ])('malformed %s is document_sam_text_invalid naming the field', (field, patch) => {
    expectCode(
      () => parseResidentIdText(encodeResidentIdText({ ...SIM_DEFAULT_RESIDENT, ...patch })),
      'document_sam_text_invalid',
      field,
    );
  });

  it('refuses an unknown type flag, a wrong size, control characters and lone surrogates', () => {
    const b = encodeResidentIdText(SIM_DEFAULT_RESIDENT);
    const flagged = b.slice();
    flagged[248] = 0x5a;
    expectCode(() => parseResidentIdText(flagged), 'document_sam_text_invalid', 'typeFlag');
    expectCode(() => parseResidentIdText(b.subarray(0, 255)), 'document_sam_text_invalid', 'block');
    const ctrl = b.slice();
    ctrl[60] = 0x07;
    ctrl[61] = 0x00;
    expectCode(() => parseResidentIdText(ctrl), 'document_sam_text_invalid', 'address');
    const sur = b.slice();
    sur[0] = 0x00;
    sur[1] = 0xd8;
    expectCode(() => parseResidentIdText(sur), 'document_sam_text_invalid', 'name');
  });

  it('error messages never carry the personal data', () => {
    try {
      parseResidentIdText(
        encodeResidentIdText({ ...SIM_DEFAULT_RESIDENT, idNumber: '110105194912310021' }),
      );
    } catch (err) {
      expect(JSON.stringify((err as SamError).toJSON())).not.toContain('11010519491231002');
    }
  });

  it('fuzz: random 256-byte blocks parse or fail with a SamError, never anything else', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 256, maxLength: 256 }),
        fc.constantFrom(0x20, 0x4a, 0x49, 0x59),
        (bytes, flag) => {
          bytes[248] = flag;
          bytes[249] = 0;
          try {
            parseResidentIdText(bytes);
          } catch (err) {
            expect(err).toBeInstanceOf(SamError);
            expect(['document_sam_text_invalid', 'document_id_number_invalid']).toContain(
              (err as SamError).code,
            );
          }
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('fuzz: mutating one byte of a valid block parses or fails with a SamError', () => {
    const valid = encodeResidentIdText(SIM_DEFAULT_RESIDENT);
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 255 }),
        fc.integer({ min: 0, max: 255 }),
        (pos, value) => {
          const b = valid.slice();
          b[pos] = value;
          try {
            parseResidentIdText(b);
          } catch (err) {
            expect(err).toBeInstanceOf(SamError);
          }
        },
      ),
      { numRuns: 1000 },
    );
  });
});
