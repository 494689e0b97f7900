/**
 * End-to-end eMRTD reads through the real PC/SC stack: the virtual chip behind vpcd, a private
 * pcscd, @pokusew/pcsclite, and the daemon's PcscManager → PcscCardTransport → readEmrtd. Every
 * simulator fault mode yields its stable code (and, for errors, no data).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  SimulatedDocumentReader,
  createSampleHolder,
  type EmrtdFaults,
  type VirtualEmrtdCreateOptions,
} from '@kycd/hardware-sim';
import {
  CscaTrustStore,
  EmrtdReaderDevice,
  PcscManager,
  pcscCardSlot,
  readEmrtd,
  type EmrtdReadResult,
  type PcscReader,
} from '@kycd/daemon';
import { claimVpcdSlot, startPcscd, type PcscdHandle, type VpcdSlot } from '../setup/pcscd.js';

let pcscd: PcscdHandle;
let slot: VpcdSlot;
let sim: SimulatedDocumentReader;
let pcsc: PcscManager;
let reader: PcscReader;
let trustStore: CscaTrustStore;
const MRZ = {
  kind: 'mrz',
  documentNumber: 'L898902C3',
  birthDate: '740812',
  expiryDate: '340415',
} as const;

beforeAll(async () => {
  pcscd = await startPcscd();
  slot = await claimVpcdSlot();
  sim = await SimulatedDocumentReader.create({ port: slot.port });
  sim.on('error', () => undefined);
  trustStore = CscaTrustStore.fromCertificates([new Uint8Array(sim.pki.csca.certificate.rawData)]);
  pcsc = PcscManager.start();
  pcsc.on('error', () => undefined);
  reader = await pcsc.waitForReader({ name: slot.readerName, timeoutMs: 15_000 });
  reader.on('error', () => undefined);
});

afterAll(async () => {
  await sim?.remove().catch(() => undefined);
  pcsc?.close();
  slot?.release();
  await pcscd?.stop();
});

/** Insert a fresh virtual document and wait until PC/SC reports the card. */
async function present(
  options: Partial<VirtualEmrtdCreateOptions> = {},
  faults?: EmrtdFaults,
): Promise<void> {
  if (reader.card !== undefined) {
    const gone = new Promise<void>((resolve) => {
      const off = reader.on('card.off', () => {
        off();
        resolve();
      });
    });
    await sim.remove();
    await gone;
  }
  await sim.insertDocument({ ...options, ...(faults === undefined ? {} : { faults }) });
  await PcscManager.waitForCard(reader, { timeoutMs: 10_000 });
}

async function read(
  options: Partial<VirtualEmrtdCreateOptions> = {},
  faults?: EmrtdFaults,
): Promise<EmrtdReadResult> {
  await present(options, faults);
  const transport = await reader.connect();
  try {
    return await readEmrtd(transport, { credentials: MRZ, trustStore, decodePhoto: false });
  } finally {
    await reader.disconnect({ reset: true }).catch(() => undefined);
  }
}

describe('eMRTD through pcscd + vpcd', () => {
  it('reads a PACE chip with CA and AA, genuine, with the photo decoded (via the daemon EmrtdReaderDevice on a PC/SC slot)', async () => {
    await present({ activeAuthentication: true });
    const device = new EmrtdReaderDevice({
      id: 'pcsc:test',
      slot: pcscCardSlot(reader),
      trustStore: () => trustStore,
    });
    expect(device.present).toBe(true);
    const files: string[] = [];
    const r = await device.read({
      credentials: {
        kind: 'mrz',
        documentNumber: 'L898902C3',
        dateOfBirth: '740812',
        dateOfExpiry: '340415',
      },
      signal: new AbortController().signal,
      onProgress: (p) => void (p.phase === 'read' ? files.push(p.file) : files.push(p.phase)),
    });
    expect(r.accessControl).toBe('PACE');
    expect(r.fields.documentNumber).toBe('L898902C3');
    expect(r.photo?.rgb).toMatchObject({ width: 240, height: 320 });
    expect(r.authenticity).toMatchObject({
      passiveAuthentication: { status: 'passed' },
      chipAuthentication: { status: 'passed' },
      activeAuthentication: { status: 'passed' },
      genuine: true,
    });
    expect(files).toContain('DG2');
    // every phase reaches the session: access control first, verification last
    expect(files[0]).toBe('accessControl');
    expect(files.at(-1)).toBe('verify');
  });

  it('reads a BAC-only chip and reports BAC', async () => {
    const r = await read({ accessControl: 'bac-only' });
    expect(r.accessControl).toBe('BAC');
    expect(r.authenticity.genuine).toBe(true);
  });

  it('reads DG11 and DG12 end to end, with EF.SOD signed by an RSA-PSS Document Signer', async () => {
    const r = await read({
      holder: await createSampleHolder({ additionalDetails: true }),
      sodSignature: 'rsa-pss',
    });
    expect([...r.dataGroups.keys()].sort((a, b) => a - b)).toEqual([1, 2, 11, 12, 14]);
    expect(r.fields).toMatchObject({
      personalNumber: 'ZE184226B',
      address: '123 MAPLE ROAD ANYTOWN UTOPIA',
      issuingAuthority: 'UTOPIA PASSPORT OFFICE',
      issueDate: '2024-04-16',
    });
    expect(r.passiveAuthentication).toMatchObject({
      sodSignature: { status: 'passed' },
      dataGroupHashes: { status: 'passed' },
    });
    expect(r.authenticity.genuine).toBe(true);
  });

  it('uses extended-length reads through pcscd when the ATR declares them', async () => {
    const r = await read({ extendedLength: true });
    expect(r.extendedLengthUsed).toBe(true);
    expect(r.authenticity.passiveAuthentication.status).toBe('passed');
  });

  it('rejects wrong credentials with document_access_denied', async () => {
    await present();
    const transport = await reader.connect();
    await expect(
      readEmrtd(transport, { credentials: { ...MRZ, expiryDate: '340416' }, trustStore }),
    ).rejects.toMatchObject({ code: 'document_access_denied' });
    await reader.disconnect({ reset: true });
  });

  it.each([
    ['wrong MAC', { wrongMacOnRead: 2 }, /^document_mac_invalid$/],
    ['truncated response', { truncateOnRead: 3 }, /^document_response_truncated$/],
    ['corrupted TLV', { corruptTlvInDataGroup: 1 }, /^document_response_malformed$/],
    ['card removed mid-read', { removeAfterBytes: 2500 }, /^document_card_removed$/],
    ['card removed early in the read', { removeAfterBytes: 300 }, /^document_card_removed$/],
  ] as const)('%s → %s and no data', async (_name, faults, code) => {
    await present({}, faults);
    const transport = await reader.connect();
    const outcome = await readEmrtd(transport, {
      credentials: MRZ,
      trustStore,
      decodePhoto: false,
    }).then(
      (r) => ({ ok: true as const, r }),
      (err: unknown) => ({ ok: false as const, err: err as { code: string } }),
    );
    await reader.disconnect({ reset: true }).catch(() => undefined);
    expect(outcome.ok).toBe(false);
    if (!outcome.ok)
      expect(outcome.err.code, (outcome.err as unknown as Error).message).toMatch(code);
  });

  it.each([
    ['expired DS', { expiredDs: true }, 'passiveAuthentication', 'document_certificate_expired'],
    ['untrusted DS', { untrustedDs: true }, 'passiveAuthentication', 'document_ds_untrusted'],
    ['swapped photo', { hashMismatch: true }, 'passiveAuthentication', 'document_hash_mismatch'],
    [
      'cloned chip',
      { chipClone: true },
      'chipAuthentication',
      'document_chip_authentication_failed',
    ],
    [
      'clone hiding DG14/DG15 from EF.COM',
      { hideCloneDetection: true },
      'chipAuthentication',
      'document_chip_authentication_failed',
    ],
  ] as const)(
    '%s → authenticity.%s failed with %s, not genuine',
    async (_name, faults, check, code) => {
      const r = await read({}, faults);
      expect(r.authenticity[check]).toMatchObject({ status: 'failed', code });
      expect(r.authenticity.genuine).toBe(false);
    },
  );
});
