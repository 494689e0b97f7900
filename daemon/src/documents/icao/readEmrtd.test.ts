import { beforeAll, describe, expect, it } from 'vitest';
import { createRequire } from 'node:module';
import { createHash, generateKeyPairSync } from 'node:crypto';
import {
  VirtualEmrtd,
  TestPki,
  EF,
  buildEmrtdFiles,
  buildSod,
  createSampleHolder,
  jpeg2000Photo,
  jp2Container,
  SAMPLE_ADDITIONAL_DETAILS,
  type EmrtdFaults,
  type EmrtdHolder,
  type VirtualEmrtdCreateOptions,
} from '@kycd/hardware-sim';
import { encodeTlv } from './tlv/BerTlv.js';
import { encodeOid } from './tlv/oid.js';
import { EmrtdError } from './EmrtdError.js';
import type { CardTransport } from './transport/CardTransport.js';
import { parseAtr } from '../../drivers/pcsc/parseAtr.js';
import { PcscCardTransport } from '../../drivers/pcsc/PcscCardTransport.js';
import { CscaTrustStore } from '../authenticity/CscaTrustStore.js';
import { assertGenuine, readEmrtd, type EmrtdReadProgress } from './readEmrtd.js';
import { parseMrzCredentials } from './EmrtdCredentials.js';
import { SodFile } from './files/SodFile.js';
import { verifyPassiveAuthentication } from '../authenticity/PassiveAuthentication.js';

/** The virtual chip in-process (no pcscd): what vpcd would relay, byte for byte. */
class InProcessCard implements CardTransport {
  readonly extendedLengthSupported: boolean;
  apdus = 0;
  constructor(private readonly card: VirtualEmrtd) {
    card.powerOn();
    this.extendedLengthSupported = parseAtr(card.atr).extendedLength;
  }
  async transmit(command: Uint8Array): Promise<Uint8Array> {
    this.apdus++;
    const r = this.card.transmit(command);
    if (r === null) throw new EmrtdError('document_card_removed', 'the card left the field');
    return r;
  }
}

/**
 * The same chip behind the daemon's real PC/SC transport (its 61xx / 6Cxx handling included),
 * as pcscd would hand its answers over.
 */
function behindPcscTransport(chip: VirtualEmrtd): CardTransport {
  chip.powerOn();
  return new PcscCardTransport(
    {
      transmit(data, _resLen, _protocol, cb) {
        const r = chip.transmit(new Uint8Array(data));
        if (r === null) cb(new Error('SCardTransmit: card removed'), Buffer.alloc(0));
        else cb(null, Buffer.from(r));
      },
    },
    2,
    { extendedLength: parseAtr(chip.atr).extendedLength },
  );
}

let pki: TestPki;
let holder: EmrtdHolder;
let trustStore: CscaTrustStore;
const MRZ = {
  kind: 'mrz',
  documentNumber: 'L898902C3',
  birthDate: '740812',
  expiryDate: '340415',
} as const;

beforeAll(async () => {
  pki = await TestPki.create();
  holder = await createSampleHolder();
  trustStore = CscaTrustStore.fromCertificates([new Uint8Array(pki.csca.certificate.rawData)]);
});

async function card(
  options: Partial<VirtualEmrtdCreateOptions> = {},
  faults?: EmrtdFaults,
): Promise<InProcessCard> {
  return new InProcessCard(
    await VirtualEmrtd.create({
      holder,
      pki,
      ...options,
      ...(faults === undefined ? {} : { faults }),
    }),
  );
}

const DG_FID: Readonly<Record<number, number>> = {
  1: EF.dg1,
  2: EF.dg2,
  11: EF.dg11,
  12: EF.dg12,
  14: EF.dg14,
  15: EF.dg15,
};
const PACE = { curve: 'brainpoolP256r1', cipher: 'AES-128' } as const;

/**
 * A genuine chip (CA and AA keys generated) whose data groups `replace` overrides, with EF.SOD
 * re-signed by the real Document Signer over the new contents: what an issuer would produce.
 */
async function issuedChip(replace: ReadonlyMap<number, Uint8Array>): Promise<InProcessCard> {
  const documentSigner = await pki.issueDocumentSigner();
  const files = buildEmrtdFiles(holder, {
    documentSigner,
    pace: PACE,
    chipAuthentication: true,
    activeAuthentication: true,
  });
  const map = new Map(files.files);
  for (const [dg, bytes] of replace) map.set(DG_FID[dg] as number, bytes);
  const hashes = new Map<number, Uint8Array>();
  for (const [dg, fid] of Object.entries(DG_FID)) {
    const bytes = map.get(fid);
    if (bytes !== undefined) hashes.set(Number(dg), createHash('sha256').update(bytes).digest());
  }
  map.set(EF.sod, buildSod(hashes, documentSigner, new Date()));
  return new InProcessCard(new VirtualEmrtd({ files: { ...files, files: map }, pace: PACE }));
}

const der = (tag: number, ...parts: Uint8Array[]): Uint8Array =>
  encodeTlv(tag, Buffer.concat(parts));
const derOidTlv = (oid: string): Uint8Array => encodeTlv(0x06, encodeOid(oid));

describe('readEmrtd against the virtual chip (in-process)', () => {
  it('reads a PACE chip (brainpoolP256r1, AES-128) with CA: fields, photo, PA, progress', async () => {
    const progress: EmrtdReadProgress[] = [];
    const transport = await card();
    const r = await readEmrtd(transport, {
      credentials: MRZ,
      trustStore,
      onProgress: (p) => progress.push(p),
    });
    expect(r.accessControl).toBe('PACE');
    expect(r.pace).toEqual({
      oid: '0.4.0.127.0.7.2.2.4.2.2',
      cipher: 'AES-128',
      curve: 'brainpoolP256r1',
    });
    expect(r.fields).toMatchObject({
      documentNumber: 'L898902C3',
      surname: 'SPECIMEN',
      givenNames: 'ANNA MARIA',
      birthDate: '1974-08-12',
      expiryDate: '2034-04-15',
      sex: 'female',
      issuingState: 'UTO',
    });
    expect(r.photo?.format).toBe('jpeg');
    expect(r.photo?.rgb).toMatchObject({ width: 240, height: 320 });
    expect(r.photo?.rgb?.data.length).toBe(240 * 320 * 3);
    expect(r.authenticity).toMatchObject({
      passiveAuthentication: { status: 'passed' },
      chipAuthentication: { status: 'passed' },
      activeAuthentication: { status: 'not_supported' },
      genuine: true,
    });
    expect(r.passiveAuthentication).toMatchObject({
      sodSignature: { status: 'passed' },
      dataGroupHashes: { status: 'passed' },
      certificateChain: { status: 'passed' },
      certificateValidity: { status: 'passed' },
      revocation: { status: 'not_run' },
    });
    expect([...r.dataGroups.keys()].sort((a, b) => a - b)).toEqual([1, 2, 14]);
    expect(r.timing.apdus).toBe(transport.apdus);
    const dg2 = progress.filter(
      (p): p is Extract<EmrtdReadProgress, { phase: 'read' }> =>
        p.phase === 'read' && p.file === 'DG2',
    );
    expect(dg2.length).toBeGreaterThan(1);
    expect(dg2.at(-1)?.bytesRead).toBe(dg2.at(-1)?.totalBytes);
    expect(progress[0]).toEqual({ phase: 'accessControl', protocol: 'PACE' });
    expect(() => assertGenuine(r)).not.toThrow();
  });

  it('falls back to BAC on a BAC-only chip, says so, and runs Active Authentication', async () => {
    const r = await readEmrtd(
      await card({
        accessControl: 'bac-only',
        activeAuthentication: true,
        chipAuthentication: false,
      }),
      { credentials: MRZ, trustStore },
    );
    expect(r.accessControl).toBe('BAC');
    expect(r.paceSkippedReason).toMatch(/no EF.CardAccess/);
    expect(r.authenticity).toMatchObject({
      chipAuthentication: { status: 'not_supported' },
      activeAuthentication: { status: 'passed' },
      genuine: true,
    });
  });

  it('runs PACE with the CAN, and on NIST P-256 with AES-256', async () => {
    const r1 = await readEmrtd(await card({ can: '123456' }), {
      credentials: { kind: 'can', can: '123456' },
      trustStore,
      decodePhoto: false,
    });
    expect(r1.accessControl).toBe('PACE');
    const r2 = await readEmrtd(await card({ pace: { curve: 'P-256', cipher: 'AES-256' } }), {
      credentials: MRZ,
      trustStore,
      decodePhoto: false,
    });
    expect(r2.pace).toMatchObject({ cipher: 'AES-256', curve: 'P-256' });
    expect(r2.authenticity.genuine).toBe(true);
  });

  it('uses extended-length reads when the chip declares them (fewer APDUs, same data)', async () => {
    const short = await readEmrtd(await card(), {
      credentials: MRZ,
      trustStore,
      decodePhoto: false,
    });
    const ext = await readEmrtd(await card({ extendedLength: true }), {
      credentials: MRZ,
      trustStore,
      decodePhoto: false,
    });
    expect(ext.extendedLengthUsed).toBe(true);
    expect(short.extendedLengthUsed).toBe(false);
    expect(ext.timing.apdus!).toBeLessThan(short.timing.apdus!);
    expect(Buffer.from(ext.dataGroups.get(2)!).equals(Buffer.from(short.dataGroups.get(2)!))).toBe(
      true,
    );
  });

  it("sizes extended reads so the protected response fits the chip's declared maximum: no refusal, the fewest READ BINARYs", async () => {
    for (const [declared, pace] of [
      [1024, undefined],
      [0x1000, undefined],
      [2000, { curve: 'brainpoolP256r1', cipher: '3DES' }],
    ] as const) {
      const traces: { ins: number; protected: boolean; responseLength: number; sw: number }[] = [];
      const lengths = new Map<string, number>();
      const r = await readEmrtd(
        await card({
          extendedLength: true,
          maxExtendedReadLength: declared,
          ...(pace === undefined ? {} : { pace }),
        }),
        {
          credentials: MRZ,
          trustStore,
          decodePhoto: false,
          onTrace: (t) => traces.push(t),
          onProgress: (p) =>
            p.phase === 'read' ? void lengths.set(p.file, p.totalBytes) : undefined,
        },
      );
      expect(r.extendedLengthUsed).toBe(true);
      const reads = traces.filter((t) => t.ins === 0xb0 && t.protected);
      expect(reads.filter((t) => t.sw !== 0x9000 && t.sw !== 0x6282)).toEqual([]);
      expect(Math.max(...reads.map((t) => t.responseLength))).toBeLessThanOrEqual(declared);
      // data per read: the largest whole-block cryptogram that fits beside 87 L 01, DO99 (4), DO8E (10) and SW (2), less one padding byte
      const block = pace === undefined ? 16 : 8;
      let perRead = 0;
      for (
        let padded = block;
        1 + (padded + 1 < 256 ? 2 : 3) + padded + 1 + 16 <= declared;
        padded += block
      )
        perRead = padded - 1;
      const dg2 = lengths.get('DG2') as number;
      const protectedReadsOf = (files: string[]): number =>
        files.reduce((n, f) => n + Math.ceil((lengths.get(f) as number) / perRead), 0);
      expect(reads.filter((t) => t.responseLength > 258).length).toBeGreaterThan(0);
      expect(reads.length).toBe(protectedReadsOf(['EF.COM', 'EF.SOD', 'DG14', 'DG1', 'DG2']));
      expect(dg2).toBeGreaterThan(perRead);
    }
  });

  it('steps down on 6700 and on 6Cxx when the chip refuses long reads', async () => {
    for (const oversizeReadStatus of ['6700', '6Cxx'] as const) {
      const r = await readEmrtd(await card({ maxReadLength: 150, oversizeReadStatus }), {
        credentials: MRZ,
        trustStore,
        decodePhoto: false,
      });
      expect(r.authenticity.passiveAuthentication.status).toBe('passed');
    }
  });

  it('a chip that refuses a long read outside secure messaging (bare 6700 / 6Cxx ends SM): re-authenticates with fresh keys and reads on with the smaller size', async () => {
    for (const [accessControl, oversizeReadStatus, transport] of [
      ['pace-and-bac', '6700', 'in-process'],
      ['pace-and-bac', '6Cxx', 'in-process'],
      ['bac-only', '6700', 'in-process'],
      ['bac-only', '6Cxx', 'in-process'],
      ['pace-and-bac', '6Cxx', 'pcsc'],
      ['bac-only', '6Cxx', 'pcsc'],
    ] as const) {
      const chip = await VirtualEmrtd.create({
        holder,
        pki,
        accessControl,
        maxReadLength: 150,
        oversizeReadStatus,
        oversizeReadUnprotected: true,
        activeAuthentication: true,
      });
      const progress: EmrtdReadProgress[] = [];
      const r = await readEmrtd(
        transport === 'pcsc' ? behindPcscTransport(chip) : new InProcessCard(chip),
        { credentials: MRZ, trustStore, decodePhoto: false, onProgress: (p) => progress.push(p) },
      );
      expect(r.accessControl).toBe(accessControl === 'bac-only' ? 'BAC' : 'PACE');
      expect(r.timing.reauthentications).toBeGreaterThanOrEqual(1);
      expect(progress.filter((p) => p.phase === 'accessControl').length).toBe(
        1 + (r.timing.reauthentications as number),
      );
      expect(r.authenticity).toMatchObject({
        passiveAuthentication: { status: 'passed' },
        activeAuthentication: { status: 'passed' },
        genuine: true,
      });
      expect(r.authenticity.chipAuthentication.status).toBe('passed');
    }
  });

  it('fails with stable codes and no data: no credentials, wrong MRZ, CAN on a BAC chip, malformed credentials', async () => {
    await expect(readEmrtd(await card(), { trustStore })).rejects.toMatchObject({
      code: 'document_credentials_required',
    });
    await expect(
      readEmrtd(await card(), { credentials: { ...MRZ, birthDate: '740813' }, trustStore }),
    ).rejects.toMatchObject({ code: 'document_access_denied', protocol: 'PACE' });
    await expect(
      readEmrtd(await card({ accessControl: 'bac-only' }), {
        credentials: { ...MRZ, birthDate: '740813' },
        trustStore,
      }),
    ).rejects.toMatchObject({ code: 'document_access_denied', protocol: 'BAC' });
    await expect(
      readEmrtd(await card({ accessControl: 'bac-only' }), {
        credentials: { kind: 'can', can: '123456' },
        trustStore,
      }),
    ).rejects.toMatchObject({ code: 'document_credentials_required' });
    await expect(
      readEmrtd(await card(), { credentials: { ...MRZ, birthDate: '7408' }, trustStore }),
    ).rejects.toMatchObject({ code: 'document_credentials_invalid' });
  });

  it.each([
    ['wrong MAC', { wrongMacOnRead: 3 }, 'document_mac_invalid'],
    ['truncated response', { truncateOnRead: 4 }, 'document_response_truncated'],
    ['card removed mid-read', { removeAfterBytes: 3000 }, 'document_card_removed'],
    ['corrupted TLV in DG2', { corruptTlvInDataGroup: 2 }, 'document_response_malformed'],
  ] as const)('%s rejects with %s', async (_name, faults, code) => {
    await expect(
      readEmrtd(await card({}, faults), { credentials: MRZ, trustStore }),
    ).rejects.toMatchObject({ code });
  });

  it.each([
    ['expired DS', { expiredDs: true }, 'document_certificate_expired'],
    ['untrusted DS', { untrustedDs: true }, 'document_ds_untrusted'],
    ['swapped photo', { hashMismatch: true }, 'document_hash_mismatch'],
  ] as const)(
    '%s: Passive Authentication fails with %s, not genuine',
    async (_name, faults, code) => {
      const r = await readEmrtd(await card({}, faults), {
        credentials: MRZ,
        trustStore,
        decodePhoto: false,
      });
      expect(r.authenticity.passiveAuthentication).toMatchObject({ status: 'failed', code });
      expect(r.authenticity.genuine).toBe(false);
      expect(() => assertGenuine(r)).toThrow(expect.objectContaining({ code }));
    },
  );

  it('detects a cloned chip: CA and AA fail, the read still completes (re-authenticated), not genuine', async () => {
    const progress: EmrtdReadProgress[] = [];
    const r = await readEmrtd(await card({ activeAuthentication: true }, { chipClone: true }), {
      credentials: MRZ,
      trustStore,
      decodePhoto: false,
      onProgress: (p) => progress.push(p),
    });
    // the failed CA killed the channel: one re-authentication, counted like any other
    expect(r.timing.reauthentications).toBe(1);
    expect(progress.filter((p) => p.phase === 'accessControl')).toHaveLength(2);
    expect(r.authenticity.chipAuthentication).toMatchObject({
      status: 'failed',
      code: 'document_chip_authentication_failed',
    });
    expect(r.authenticity.activeAuthentication).toMatchObject({
      status: 'failed',
      code: 'document_active_authentication_failed',
    });
    expect(r.authenticity.genuine).toBe(false);
  });

  it('takes the data groups from the signed EF.SOD: a clone hiding DG14/DG15 from EF.COM (6A82 on select) is not genuine', async () => {
    const transport = await card({ activeAuthentication: true }, { hideCloneDetection: true });
    const r = await readEmrtd(transport, { credentials: MRZ, trustStore, decodePhoto: false });
    expect(r.authenticity.passiveAuthentication.status).toBe('passed');
    expect(r.authenticity.chipAuthentication).toMatchObject({
      status: 'failed',
      code: 'document_chip_authentication_failed',
      reason: expect.stringMatching(/EF.SOD lists DG14 .*EF.COM does not list it/),
    });
    expect(r.authenticity.activeAuthentication).toMatchObject({
      status: 'failed',
      code: 'document_active_authentication_failed',
      reason: expect.stringMatching(/EF.SOD lists DG15/),
    });
    expect(r.authenticity.genuine).toBe(false);
    expect(() => assertGenuine(r)).toThrow(
      expect.objectContaining({ code: 'document_chip_authentication_failed' }),
    );
    // the same clone with only DG14 hidden still fails: DG15 alone passing is not enough
    const ca = await readEmrtd(
      await card({ activeAuthentication: false }, { hideCloneDetection: true }),
      { credentials: MRZ, trustStore, decodePhoto: false },
    );
    expect(ca.authenticity).toMatchObject({
      chipAuthentication: { status: 'failed' },
      activeAuthentication: { status: 'not_supported' },
      genuine: false,
    });
  });

  it('reads DG14 and DG15 whenever EF.SOD lists them, even when the caller asks for no optional data groups', async () => {
    const r = await readEmrtd(await card({ activeAuthentication: true }), {
      credentials: MRZ,
      trustStore,
      decodePhoto: false,
      optionalDataGroups: [],
    });
    expect([...r.dataGroups.keys()].sort((a, b) => a - b)).toEqual([1, 2, 14, 15]);
    expect(r.authenticity).toMatchObject({
      chipAuthentication: { status: 'passed' },
      activeAuthentication: { status: 'passed' },
      genuine: true,
    });
  });

  it('a chip whose EF.SOD lists neither DG14 nor DG15 does not offer clone detection: not_supported, genuine on Passive Authentication', async () => {
    const r = await readEmrtd(
      await card({ chipAuthentication: false, activeAuthentication: false }),
      { credentials: MRZ, trustStore, decodePhoto: false },
    );
    expect(r.authenticity.chipAuthentication).toMatchObject({
      status: 'not_supported',
      reason: expect.stringMatching(/EF.SOD lists no DG14/),
    });
    expect(r.authenticity.activeAuthentication).toMatchObject({
      status: 'not_supported',
      reason: expect.stringMatching(/EF.SOD lists no DG15/),
    });
    expect(r.authenticity.genuine).toBe(true);
  });

  it('Chip Authentication on a curve kycd does not implement is not_run (not a clone verdict) and never genuine', async () => {
    // DG14 signed by the issuer: a CA key on secp256k1, which kycd does not implement
    const spki = new Uint8Array(
      generateKeyPairSync('ec', { namedCurve: 'secp256k1' }).publicKey.export({
        type: 'spki',
        format: 'der',
      }),
    );
    const dg14 = der(
      0x6e,
      der(
        0x31,
        der(0x30, derOidTlv('0.4.0.127.0.7.2.2.1.2'), spki),
        der(0x30, derOidTlv('0.4.0.127.0.7.2.2.3.2.2'), Uint8Array.of(2, 1, 1)),
      ),
    );
    const r = await readEmrtd(await issuedChip(new Map([[14, dg14]])), {
      credentials: MRZ,
      trustStore,
      decodePhoto: false,
    });
    expect(r.authenticity.passiveAuthentication.status).toBe('passed');
    expect(r.authenticity.chipAuthentication).toMatchObject({
      status: 'not_run',
      code: 'document_unsupported_algorithm',
      reason: expect.stringMatching(/could not run.*curve/),
    });
    expect(r.authenticity.chipAuthentication.reason).not.toMatch(/clone/);
    expect(r.authenticity.activeAuthentication.status).toBe('passed');
    expect(r.authenticity.genuine).toBe(false);
    expect(() => assertGenuine(r)).toThrow(
      expect.objectContaining({ code: 'document_unsupported_algorithm' }),
    );
    // DG14 offering only DH Chip Authentication (kycd runs ECDH)
    const dh = der(
      0x6e,
      der(
        0x31,
        der(0x30, derOidTlv('0.4.0.127.0.7.2.2.3.1.2'), Uint8Array.of(2, 1, 1)),
        der(0x30, derOidTlv('0.4.0.127.0.7.2.2.1.1'), spki),
      ),
    );
    const r2 = await readEmrtd(await issuedChip(new Map([[14, dh]])), {
      credentials: MRZ,
      trustStore,
      decodePhoto: false,
    });
    expect(r2.authenticity).toMatchObject({
      chipAuthentication: { status: 'not_run', code: 'document_unsupported_algorithm' },
      genuine: false,
    });
  });

  it('Active Authentication with a key type kycd does not implement is not_run before INTERNAL AUTHENTICATE is sent, never genuine', async () => {
    const spki = new Uint8Array(
      generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'der' }),
    );
    const transport = await issuedChip(new Map([[15, der(0x6f, spki)]]));
    const sent: number[] = [];
    const r = await readEmrtd(
      { transmit: (c) => (sent.push(c[1] as number), transport.transmit(c)) },
      { credentials: MRZ, trustStore, decodePhoto: false },
    );
    expect(r.authenticity.activeAuthentication).toMatchObject({
      status: 'not_run',
      code: 'document_unsupported_algorithm',
    });
    expect(r.authenticity.activeAuthentication.reason).not.toMatch(/clone/);
    expect(sent).not.toContain(0x88);
    expect(r.authenticity.chipAuthentication.status).toBe('passed');
    expect(r.authenticity.genuine).toBe(false);
  });

  it('reports the chain as not run (never genuine) without a trust store', async () => {
    const r = await readEmrtd(await card(), { credentials: MRZ, decodePhoto: false });
    expect(r.authenticity.passiveAuthentication).toMatchObject({
      status: 'not_run',
      code: 'document_trust_store_empty',
    });
    expect(r.authenticity.genuine).toBe(false);
  });

  it('decodes a JPEG 2000 face image', async () => {
    const require = createRequire(import.meta.url);
    const m = await (
      require('@cornerstonejs/codec-openjpeg/wasmjs') as (o: object) => Promise<{
        J2KEncoder: new () => {
          getDecodedBuffer(i: object): Uint8Array;
          encode(): void;
          getEncodedBuffer(): Uint8Array;
        };
      }>
    )({ print: () => undefined, printErr: () => undefined });
    const enc = new m.J2KEncoder();
    const px = enc.getDecodedBuffer({
      width: 96,
      height: 120,
      bitsPerSample: 8,
      componentCount: 3,
      isSigned: false,
    });
    for (let i = 0; i < px.length; i++) px[i] = (i * 13) & 0xff;
    enc.encode();
    const j2k = Uint8Array.from(enc.getEncodedBuffer());
    const h = await createSampleHolder({ photo: jpeg2000Photo(j2k) });
    const r = await readEmrtd(new InProcessCard(await VirtualEmrtd.create({ holder: h, pki })), {
      credentials: MRZ,
      trustStore,
    });
    expect(r.photo?.format).toBe('jpeg2000');
    expect(r.photo?.rgb).toMatchObject({ width: 96, height: 120 });
    expect(r.photo?.rgb?.data[3]).toBe(3 * 13);

    // the same portrait in a JP2 container, as passports store it
    const jp2 = jp2Container(j2k, { width: 96, height: 120 });
    const inJp2 = await readEmrtd(
      new InProcessCard(
        await VirtualEmrtd.create({
          holder: await createSampleHolder({ photo: jpeg2000Photo(jp2) }),
          pki,
        }),
      ),
      { credentials: MRZ, trustStore },
    );
    expect(Buffer.from(inJp2.photo!.encoded.subarray(0, 12)).toString('hex')).toBe(
      '0000000c6a5020200d0a870a',
    );
    expect(inJp2.photo?.format).toBe('jpeg2000');
    expect(inJp2.photo?.rgb).toMatchObject({ width: 96, height: 120 });
    expect(Buffer.from(inJp2.photo!.rgb!.data).equals(Buffer.from(r.photo!.rgb!.data))).toBe(true);
  });

  it.each([
    ['RSA PKCS#1 v1.5', 'rsa-pkcs1', '1.2.840.113549.1.1.11'],
    ['RSASSA-PSS', 'rsa-pss', '1.2.840.113549.1.1.10'],
  ] as const)(
    'verifies an EF.SOD signed with %s by an RSA Document Signer',
    async (_name, sodSignature, oid) => {
      const r = await readEmrtd(await card({ sodSignature }), {
        credentials: MRZ,
        trustStore,
        decodePhoto: false,
      });
      expect(SodFile.parse(r.sod).signerInfo.signatureAlgorithm.algorithm).toBe(oid);
      expect(r.passiveAuthentication.sodSignature.reason).toBeUndefined();
      expect(r.passiveAuthentication).toMatchObject({
        sodSignature: { status: 'passed' },
        certificateChain: { status: 'passed' },
      });
      expect(r.authenticity.genuine).toBe(true);
      // one flipped bit in the signature fails it
      const sod = SodFile.parse(r.sod);
      const sig = new Uint8Array(sod.signerInfo.signature.buffer.slice(0));
      sig[10] = (sig[10] as number) ^ 1;
      const flipped = Buffer.from(r.sod);
      const at = flipped.indexOf(Buffer.from(new Uint8Array(sod.signerInfo.signature.buffer)));
      expect(at).toBeGreaterThan(0);
      flipped.set(sig, at);
      const bad = verifyPassiveAuthentication({
        sod: SodFile.parse(new Uint8Array(flipped)),
        dataGroups: r.dataGroups,
        trustStore,
      });
      expect(bad.sodSignature).toMatchObject({ status: 'failed', code: 'document_sod_invalid' });
    },
  );

  it('reads DG11 and DG12 into the fields (full name, personal number, full birth date, address, issuing authority, issue date)', async () => {
    const r = await readEmrtd(
      await card({ holder: await createSampleHolder({ additionalDetails: true }) }),
      { credentials: MRZ, trustStore, decodePhoto: false },
    );
    expect([...r.dataGroups.keys()].sort((a, b) => a - b)).toEqual([1, 2, 11, 12, 14]);
    expect(r.fields).toMatchObject({
      nameLatin: 'SPECIMEN ANNA MARIA',
      personalNumber: SAMPLE_ADDITIONAL_DETAILS.additionalPersonalDetails.personalNumber,
      birthDate: '1974-08-12',
      address: SAMPLE_ADDITIONAL_DETAILS.additionalPersonalDetails.address.replace(/</g, ' '),
      issuingAuthority: 'UTOPIA PASSPORT OFFICE',
      issueDate: '2024-04-16',
    });
    expect(r.passiveAuthentication.dataGroupHashes.status).toBe('passed');
    expect(r.authenticity.genuine).toBe(true);
  });

  it('runs PACE with AES-192 (id-PACE-ECDH-GM-AES-CBC-CMAC-192)', async () => {
    const r = await readEmrtd(
      await card({ pace: { curve: 'brainpoolP256r1', cipher: 'AES-192' } }),
      { credentials: MRZ, trustStore, decodePhoto: false },
    );
    expect(r.accessControl).toBe('PACE');
    expect(r.pace).toEqual({
      oid: '0.4.0.127.0.7.2.2.4.2.3',
      cipher: 'AES-192',
      curve: 'brainpoolP256r1',
    });
    expect(r.authenticity.genuine).toBe(true);
  });

  it('falls back to BAC when PACE fails for a non-key reason, and says so; a PACE-only chip reports the PACE error', async () => {
    const quirky = (inner: InProcessCard): CardTransport => ({
      transmit: async (c) =>
        c[1] === 0x22 && c[2] === 0xc1 ? Uint8Array.of(0x6a, 0x80) : inner.transmit(c),
    });
    const r = await readEmrtd(quirky(await card()), {
      credentials: MRZ,
      trustStore,
      decodePhoto: false,
    });
    expect(r.accessControl).toBe('BAC');
    expect(r.paceSkippedReason).toMatch(/PACE mseSetAt failed \(SW 6A80\); fell back to BAC/);
    expect(r.authenticity.genuine).toBe(true);
    await expect(
      readEmrtd(quirky(await card({ accessControl: 'pace-only' })), {
        credentials: MRZ,
        trustStore,
      }),
    ).rejects.toMatchObject({
      code: 'document_protocol_error',
      protocol: 'PACE',
      step: 'mseSetAt',
      sw: 0x6a80,
    });
  });

  it('stops with document_aborted when the signal fires mid-read', async () => {
    const inner = await card();
    const controller = new AbortController();
    const transport: CardTransport = {
      transmit: async (c) => {
        if (inner.apdus === 20) controller.abort();
        return inner.transmit(c);
      },
    };
    await expect(
      readEmrtd(transport, { credentials: MRZ, trustStore, signal: controller.signal }),
    ).rejects.toMatchObject({ code: 'document_aborted' });
  });

  it('parses credentials from a printed MRZ', () => {
    expect(
      parseMrzCredentials(
        'P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10',
      ),
    ).toEqual({
      kind: 'mrz',
      documentNumber: 'L898902C3',
      birthDate: '740812',
      expiryDate: '120415',
    });
    expect(
      parseMrzCredentials(
        'I<UTOD23145890<7349<<<<<<<<<<<3407127M9507122UTO<<<<<<<<<<<2STEVENSON<<PETER<JOHN<<<<<<<<<',
      ),
    ).toMatchObject({ documentNumber: 'D23145890734' });
    expect(() =>
      parseMrzCredentials(
        'P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C37UTO7408122F1204159ZE184226B<<<<<10',
      ),
    ).toThrow(expect.objectContaining({ code: 'document_credentials_invalid' }));
  });
});
