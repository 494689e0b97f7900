import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { TestPki } from '../pki/TestPki.js';
import { toHex } from './bytes.js';
import { createSampleHolder, createSamplePhoto } from './createSampleHolder.js';
import { buildEmrtdFiles, EF } from './EmrtdFiles.js';
import type { EmrtdHolder } from './EmrtdHolder.js';
import { jpegPhoto } from './photo.js';
import { buildTd3Mrz, mrzCheckDigit } from './Td3Mrz.js';
import { parseTlvs } from './Tlv.js';
import { verifySod } from './__fixtures__/verifySod.js';

let pki: TestPki;
let holder: EmrtdHolder;
beforeAll(async () => {
  pki = await TestPki.create();
  holder = await createSampleHolder();
});

const sha = (b: Uint8Array | undefined): string =>
  createHash('sha256')
    .update(b ?? new Uint8Array(0))
    .digest('hex');

describe('Td3Mrz', () => {
  it('computes ICAO check digits (9303-3) and the ERIKSSON specimen line 2', () => {
    expect(mrzCheckDigit('L898902C3')).toBe('6');
    expect(mrzCheckDigit('740812')).toBe('2');
    expect(mrzCheckDigit('120415')).toBe('9');
    const mrz = buildTd3Mrz({
      ...holder,
      surname: 'ERIKSSON',
      givenNames: 'ANNA MARIA',
      documentNumber: 'L898902C3',
      dateOfBirth: '740812',
      dateOfExpiry: '120415',
      optionalData: 'ZE184226B',
    });
    expect(mrz.line1).toBe('P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<');
    expect(mrz.line2).toBe('L898902C36UTO7408122F1204159ZE184226B<<<<<10');
    expect(mrz.mrzInformation).toBe('L898902C3674081221204159');
  });

  it('rejects fields an MRZ cannot hold', () => {
    expect(() => buildTd3Mrz({ ...holder, documentNumber: 'ABCDEFGHIJ' })).toThrow(RangeError);
    expect(() => buildTd3Mrz({ ...holder, dateOfBirth: '7408' })).toThrow(RangeError);
  });
});

describe('buildEmrtdFiles', () => {
  it('generates EF.COM, DG1, DG2, DG14, DG15 and an EF.SOD that verifies against the CSCA', async () => {
    const files = buildEmrtdFiles(holder, {
      documentSigner: await pki.issueDocumentSigner(),
      pace: { curve: 'brainpoolP256r1', cipher: 'AES-128' },
      chipAuthentication: true,
      activeAuthentication: true,
    });
    expect(toHex(files.files.get(EF.com)!)).toBe(
      '60165F0104303130375F36063034303030305C0461756E6F',
    );
    const dg1 = parseTlvs(files.files.get(EF.dg1)!)[0]!;
    expect(new TextDecoder().decode(parseTlvs(dg1.value)[0]!.value)).toBe(
      files.mrz.line1 + files.mrz.line2,
    );
    const dg2 = files.files.get(EF.dg2)!;
    expect(Buffer.from(dg2).indexOf(Buffer.from(holder.photo.data))).toBeGreaterThan(0);
    expect(Buffer.from(dg2).indexOf(Buffer.from('FAC\x00010\x00', 'latin1'))).toBeGreaterThan(0);
    const check = await verifySod(files.files.get(EF.sod)!, pki.csca.certificate);
    expect(check).toMatchObject({ signatureValid: true, chainValid: true, dsValidNow: true });
    expect(check.hashes.get(1)).toBe(sha(files.files.get(EF.dg1)));
    expect(check.hashes.get(2)).toBe(sha(dg2));
    expect(check.hashes.get(14)).toBe(sha(files.files.get(EF.dg14)));
    expect(check.hashes.get(15)).toBe(sha(files.files.get(EF.dg15)));
    expect(files.chipAuthenticationKey?.curve).toBe('brainpoolP256r1');
  });

  it('writes DG11 and DG12 when the holder has those details, listed in EF.COM and hashed in EF.SOD', async () => {
    const files = buildEmrtdFiles(
      {
        ...holder,
        additionalPersonalDetails: { placeOfBirth: 'ZENITH', fullDateOfBirth: '19740812' },
        additionalDocumentDetails: { issuingAuthority: 'UTOPIA PASSPORT OFFICE' },
      },
      {
        documentSigner: await pki.issueDocumentSigner(),
        pace: false,
        chipAuthentication: false,
        activeAuthentication: false,
      },
    );
    const dg11 = parseTlvs(parseTlvs(files.files.get(EF.dg11)!)[0]!.value);
    expect(toHex(dg11[0]!.value)).toBe('5F0E5F2B5F11');
    expect(new TextDecoder().decode(dg11[1]!.value)).toBe('SPECIMEN<<ANNA<MARIA');
    expect(new TextDecoder().decode(dg11[3]!.value)).toBe('ZENITH');
    expect(files.files.get(EF.com)!.slice(-4)).toEqual(Uint8Array.of(0x61, 0x75, 0x6b, 0x6c));
    const check = await verifySod(files.files.get(EF.sod)!, pki.csca.certificate);
    expect(check.hashes.get(12)).toBe(sha(files.files.get(EF.dg12)));
  });

  it('signs with an expired DS, an untrusted DS, a swapped photo or a corrupt TLV when asked', async () => {
    const other = await TestPki.create({ cscaName: 'other CSCA' });
    const expired = buildEmrtdFiles(holder, {
      documentSigner: await pki.issueDocumentSigner({ expired: true }),
      pace: false,
      chipAuthentication: false,
      activeAuthentication: false,
    });
    expect(await verifySod(expired.files.get(EF.sod)!, pki.csca.certificate)).toMatchObject({
      signatureValid: true,
      chainValid: true,
      dsValidNow: false,
    });
    const untrusted = buildEmrtdFiles(holder, {
      documentSigner: await other.issueDocumentSigner(),
      pace: false,
      chipAuthentication: false,
      activeAuthentication: false,
    });
    expect(await verifySod(untrusted.files.get(EF.sod)!, pki.csca.certificate)).toMatchObject({
      signatureValid: true,
      chainValid: false,
    });
    const swapped = buildEmrtdFiles(holder, {
      documentSigner: await pki.issueDocumentSigner(),
      pace: false,
      chipAuthentication: false,
      activeAuthentication: false,
      swappedPhoto: await createSamplePhoto({ variant: 3 }),
    });
    const swappedCheck = await verifySod(swapped.files.get(EF.sod)!, pki.csca.certificate);
    expect(swappedCheck.hashes.get(2)).not.toBe(sha(swapped.files.get(EF.dg2)));
    expect(swappedCheck.hashes.get(1)).toBe(sha(swapped.files.get(EF.dg1)));
    const corrupt = buildEmrtdFiles(holder, {
      documentSigner: await pki.issueDocumentSigner(),
      pace: false,
      chipAuthentication: false,
      activeAuthentication: false,
      corruptTlvInDataGroup: 1,
    });
    const dg1 = corrupt.files.get(EF.dg1)!;
    expect(() => parseTlvs(parseTlvs(dg1)[0]!.value)).toThrow();
    expect((await verifySod(corrupt.files.get(EF.sod)!, pki.csca.certificate)).hashes.get(1)).toBe(
      sha(dg1),
    );
  });

  it('writes the CSCA as a trust store', async () => {
    const { mkdtemp, readFile } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = await mkdtemp(join(tmpdir(), 'kycd-csca-'));
    const [pem, der] = await pki.writeTrustStore(dir);
    expect((await readFile(pem!, 'utf8')).startsWith('-----BEGIN CERTIFICATE-----')).toBe(true);
    expect(new Uint8Array(await readFile(der!))).toEqual(
      new Uint8Array(pki.csca.certificate.rawData),
    );
  });

  it('reads JPEG dimensions and makes a small sample photo', async () => {
    const photo = await createSamplePhoto();
    expect(photo).toMatchObject({ format: 'jpeg', width: 240, height: 320 });
    expect(photo.data.length).toBeLessThan(20_000);
    expect(() => jpegPhoto(new Uint8Array([1, 2, 3]))).toThrow(RangeError);
  });
});
