import { VirtualSamReader, type SimResidentIdHolder } from '@kycd/hardware-sim';
import { describe, expect, it } from 'vitest';
import { memorySamTransport } from './__fixtures__/memorySamTransport.js';
import { readResidentId } from './readResidentId.js';
import type { WltDecoder } from './WltDecoder.js';

describe('readResidentId', () => {
  it('reports timings per phase and the SAM as the verifier', async () => {
    const sim = new VirtualSamReader({ card: {} });
    const result = await readResidentId(memorySamTransport(sim), { wltDecoder: sim.wltDecoder });
    expect(Object.keys(result.timing)).toEqual(
      expect.arrayContaining([
        'samStatus',
        'samId',
        'findCard',
        'selectCard',
        'read',
        'appendedAddress',
        'decodePhoto',
        'total',
        'bytes',
      ]),
    );
    expect(result.timing['bytes']).toBe(1280);
    expect(result.authenticity.passiveAuthentication.details).toEqual({
      verifier: 'SAM',
      samId: '05.01-20101126-0000000042-0123456789',
    });
    expect(result.samId.formatted).toBe('05.01-20101126-0000000042-0123456789');
  });

  it('the current address is the newest appended one; both stay available', async () => {
    const sim = new VirtualSamReader({ card: { appendedAddresses: ['上海市浦东新区测试路3号'] } });
    const result = await readResidentId(memorySamTransport(sim), {});
    expect(result.fields.address).toBe('上海市浦东新区测试路3号');
    expect(result.appendedAddresses).toEqual(['上海市浦东新区测试路3号']);
    expect(result.residentId.type === 'resident-id' && result.residentId.address).toBe(
      '北京市东城区测试路1号',
    );
  });

  it('skips the appended address when asked', async () => {
    const sim = new VirtualSamReader({ card: {} });
    await readResidentId(memorySamTransport(sim), { readAppendedAddress: false });
    expect(sim.commandLog).not.toContain('readAppendedAddress');
  });

  it('a failing decoder leaves the read intact without a photo: document_photo_decoder_failed', async () => {
    const sim = new VirtualSamReader({ card: {} });
    const unlicensed: WltDecoder = {
      name: 'vendor-lib',
      decode: () => Promise.reject(new Error('WltRS.dll 文件与机具不匹配或软件未授权')),
    };
    const result = await readResidentId(memorySamTransport(sim), { wltDecoder: unlicensed });
    expect(result.photo).toBeUndefined();
    expect(result.photoUnavailable).toMatchObject({ code: 'document_photo_decoder_failed' });
    expect(result.photoUnavailable?.reason).toContain('vendor-lib');
    expect(result.authenticity.genuine).toBe(true);
  });

  it('a decoder returning something that is not an image → document_photo_decoder_failed', async () => {
    const sim = new VirtualSamReader({ card: {} });
    const broken: WltDecoder = {
      name: 'broken',
      decode: async () => ({ format: 'jpeg', bytes: Uint8Array.of(0xff, 0xd8, 0xff, 0) }),
    };
    const result = await readResidentId(memorySamTransport(sim), { wltDecoder: broken });
    expect(result.photoUnavailable?.code).toBe('document_photo_decoder_failed');
  });

  it('the simulator decoder refuses a WLT blob it did not make (like an unlicensed vendor library)', async () => {
    const sim = new VirtualSamReader({ card: {} });
    await expect(sim.wltDecoder.decode(new Uint8Array(1024), {})).rejects.toMatchObject({
      code: 'document_photo_decoder_failed',
    });
  });

  it('read failure 41 with the card still present stays document_sam_read_failed; with the card gone it is document_card_removed', async () => {
    const sim = new VirtualSamReader({ card: {} });
    sim.injectFault({ kind: 'read-failure' });
    await expect(readResidentId(memorySamTransport(sim), {})).rejects.toMatchObject({
      code: 'document_sam_read_failed',
      data: { step: 'readBaseInfo', sw3: '41' },
    });
    const sim2 = new VirtualSamReader({ card: {} });
    sim2.injectFault({ kind: 'card-removed-mid-read' });
    await expect(readResidentId(memorySamTransport(sim2), {})).rejects.toMatchObject({
      code: 'document_card_removed',
      data: { step: 'readBaseInfo', sw3: '41' },
    });
  });

  it.each<[string, SimResidentIdHolder, Record<string, unknown>]>([
    [
      'HK/Macao/Taiwan residence permit',
      {
        type: 'hmt-residence-permit',
        name: '陈大文',
        sexCode: '1',
        birthDate: '19900307',
        address: '广东省深圳市',
        idNumber: '810000199003078033',
        issuingAuthority: '深圳市公安局',
        validFrom: '20190101',
        validTo: '20240101',
        passNumber: 'H12345678',
        issueCount: '01',
      },
      {
        documentType: 'cn-residence-permit-hmt',
        documentNumber: '810000199003078033',
        fullName: '陈大文',
        address: '广东省深圳市',
      },
    ],
    [
      'foreign permanent resident 2017',
      {
        type: 'foreign-permanent-resident-2017',
        englishName: 'SMITH, JOHN',
        chineseName: '',
        sexCode: '1',
        permitNumber: 'USA110080101001',
        nationalityCode: 'USA',
        issueDate: '20170601',
        expiryDate: '20270601',
        birthDate: '19800101',
        cardVersion: '17',
        authorityCode: '1100',
      },
      {
        documentType: 'cn-foreign-permanent-resident-2017',
        documentNumber: 'USA110080101001',
        fullName: 'SMITH, JOHN',
        nameLatin: 'SMITH, JOHN',
        nationality: 'USA',
      },
    ],
    [
      'foreign permanent resident 2023',
      {
        type: 'foreign-permanent-resident-2023',
        chineseName: '范德比',
        englishName: 'VANDERBILT, ALEX',
        sexCode: '2',
        renewalCount: '00',
        birthDate: '19850615',
        idNumber: '931586198506150026',
        issueDate: '20231201',
        expiryDate: '20331201',
        nationalityCode: 'GBR',
      },
      {
        documentType: 'cn-foreign-permanent-resident-2023',
        documentNumber: '931586198506150026',
        fullName: '范德比',
        nameLatin: 'VANDERBILT, ALEX',
        nationality: 'GBR',
        sex: 'female',
      },
    ],
  ])('maps a %s to the common fields', async (_name, holder, fields) => {
    const sim = new VirtualSamReader({ card: { holder } });
    const result = await readResidentId(memorySamTransport(sim), {});
    expect(result.fields).toMatchObject(fields);
    expect(result.residentId.type).toBe(holder.type);
  });
});
