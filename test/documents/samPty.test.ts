/**
 * End-to-end reads of a Chinese resident ID through the real serial stack: the daemon's
 * SerialSamTransport (node-serialport, termios) opens a pseudo-terminal on which the virtual SAM
 * reader answers the real frames. Every fault mode yields its stable code and no partial data.
 */
import { readFile, readdir } from 'node:fs/promises';
import { KycdError } from '@kycd/plugin-sdk';
import {
  readResidentId,
  SamReader,
  SerialSamTransport,
  type ResidentIdReadResult,
} from '@kycd/daemon';
import { VirtualSamReader, startSamPty, type SamPty, type SimSamFault } from '@kycd/hardware-sim';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

// Short timeouts keep the timeout faults fast; the slow fault is far beyond them.
const timeouts = {
  resetSam: 300,
  getSamStatus: 300,
  readSamId: 300,
  findCard: 300,
  selectCard: 300,
  readBaseInfo: 400,
  readAppendedAddress: 300,
};

let sim: VirtualSamReader;
let pty: SamPty;
let transport: SerialSamTransport;
let reader: SamReader;

beforeAll(async () => {
  sim = new VirtualSamReader();
  pty = await startSamPty(sim);
  transport = await SerialSamTransport.open(pty.path);
  reader = new SamReader(transport, { timeouts });
});

afterAll(async () => {
  await transport?.close();
  await pty?.close();
});

beforeEach(async () => {
  sim.clearFaults();
  sim.removeCard();
  sim.insertCard();
  // Let any late reply of the previous test arrive before the next one starts.
  await new Promise((r) => setTimeout(r, 20));
});

async function failure(p: Promise<ResidentIdReadResult>): Promise<KycdError> {
  let result: ResidentIdReadResult | undefined;
  try {
    result = await p;
  } catch (err) {
    expect(err).toBeInstanceOf(KycdError);
    return err as KycdError;
  }
  throw new Error(`expected a failure, got a result for ${result.fields.documentNumber}`);
}

describe('SAM reader on a pty', () => {
  it('the pty is a real terminal device behind a device path', async () => {
    expect(pty.ptsPath).toMatch(/^\/dev\/pts\/\d+$/u);
  });

  it('reads the synthetic card with the simulator decoder: fields, photo, SAM verdict', async () => {
    const result = await readResidentId(reader, { wltDecoder: sim.wltDecoder });
    expect(result.kind).toBe('cn-resident-id');
    expect(result.accessControl).toBe('SAM');
    expect(result.fields).toMatchObject({
      documentNumber: '11010519491231002X',
      fullName: '测试',
      ethnicity: '汉',
      sex: 'male',
      birthDate: '1949-12-31',
      expiryDate: '2040-01-01',
    });
    expect(result.photo?.format).toBe('wlt');
    expect(result.photo?.encoded.length).toBe(1024);
    expect(result.photo?.rgb).toMatchObject({ width: 102, height: 126 });
    expect(result.photoUnavailable).toBeUndefined();
    expect(result.authenticity).toMatchObject({
      passiveAuthentication: { status: 'passed' },
      chipAuthentication: { status: 'not_supported' },
      activeAuthentication: { status: 'not_supported' },
      genuine: true,
    });
    expect(sim.commandLog.slice(-6)).toEqual([
      'getSamStatus',
      'readSamId',
      'findCard',
      'selectCard',
      'readBaseInfo',
      'readAppendedAddress',
    ]);
  });

  it('without a decoder: no photo, document_photo_decoder_missing, the rest intact', async () => {
    const result = await readResidentId(reader, {});
    expect(result.photo).toBeUndefined();
    expect(result.photoUnavailable?.code).toBe('document_photo_decoder_missing');
    expect(result.fields.documentNumber).toBe('11010519491231002X');
  });

  it('a second read needs the card to leave the field', async () => {
    await readResidentId(reader, {});
    const err = await failure(readResidentId(reader, {}));
    expect(err.code).toBe('document_no_card');
    expect(err.data).toMatchObject({ hint: 'card_must_leave_field' });
  });

  it('garbage on the line is skipped (resynchronisation) and the read succeeds', async () => {
    sim.injectFault({ kind: 'garbage', bytes: 40 });
    const result = await readResidentId(reader, {});
    expect(result.fields.documentNumber).toBe('11010519491231002X');
  });

  const faults: Array<[string, SimSamFault, string]> = [
    ['card removed mid-read', { kind: 'card-removed-mid-read' }, 'document_card_removed'],
    ['bad checksum', { kind: 'bad-checksum' }, 'document_sam_frame_checksum'],
    ['truncated frame', { kind: 'truncated-frame' }, 'document_sam_timeout'],
    ['wrong length', { kind: 'wrong-length' }, 'document_sam_frame_length'],
    ['SAM self-test failure', { kind: 'sam-self-test-failure' }, 'document_sam_self_test_failed'],
    [
      'card fails to authenticate the SAM (31)',
      { kind: 'card-auth-failure', sw3: 0x31 },
      'document_sam_card_auth_failed',
    ],
    [
      'SAM fails to authenticate the card (32)',
      { kind: 'card-auth-failure', sw3: 0x32 },
      'document_sam_sam_auth_failed',
    ],
    [
      'information verification failed (33)',
      { kind: 'card-auth-failure', sw3: 0x33 },
      'document_sam_info_verification_failed',
    ],
    ['read failure (41), card still present', { kind: 'read-failure' }, 'document_sam_read_failed'],
    ['slow response', { kind: 'slow', delayMs: 1500 }, 'document_sam_timeout'],
    [
      'slow find-card',
      { kind: 'slow', delayMs: 1500, command: 'findCard' },
      'document_sam_timeout',
    ],
    [
      'bad checksum on select',
      { kind: 'bad-checksum', command: 'selectCard' },
      'document_sam_frame_checksum',
    ],
  ];

  it.each(faults)('%s → %s', async (_name, fault, code) => {
    sim.injectFault(fault);
    const err = await failure(readResidentId(reader, { wltDecoder: sim.wltDecoder }));
    expect(err.code).toBe(code);
    expect(err.data).toMatchObject({ protocol: 'SAM' });
    // No partial data: the error carries no personal field.
    expect(JSON.stringify(err.toJSON())).not.toMatch(/11010519491231002X|测试|北京/u);
    sim.stop();
  });

  it('no card on the reader → document_no_card', async () => {
    sim.removeCard();
    expect((await failure(readResidentId(reader, {}))).code).toBe('document_no_card');
  });

  it('a cancelled read → document_aborted', async () => {
    sim.injectFault({ kind: 'slow', delayMs: 1500 });
    const ac = new AbortController();
    const p = readResidentId(reader, { signal: ac.signal });
    setTimeout(() => ac.abort(), 50);
    expect((await failure(p)).code).toBe('document_aborted');
    sim.stop();
  });
});

describe('virtual SAM pty lifecycle', () => {
  it('closing leaves no socat process and removes the device link', async () => {
    const other = await startSamPty(new VirtualSamReader({ card: {} }));
    const t = await SerialSamTransport.open(other.path);
    const r = await readResidentId(t, {});
    expect(r.fields.fullName).toBe('测试');
    await t.close();
    const before = await socatChildren();
    await other.close();
    const after = await socatChildren();
    expect(after.length).toBe(before.length - 1);
    await expect(SerialSamTransport.open(other.path)).rejects.toMatchObject({
      code: 'document_reader_unavailable',
    });
  });
});

describe('reader unplugged', () => {
  it('the pty vanishing mid-read → document_sam_transport_failed, and later commands fail the same way', async () => {
    const sim2 = new VirtualSamReader({ card: {} });
    sim2.injectFault({ kind: 'slow', delayMs: 2000 });
    const pty2 = await startSamPty(sim2);
    const t = await SerialSamTransport.open(pty2.path);
    const r = new SamReader(t, { timeouts: { readBaseInfo: 5000 } });
    const pending = readResidentId(r, {}).catch((err: unknown) => err);
    await new Promise((res) => setTimeout(res, 100));
    await pty2.close();
    expect(await pending).toMatchObject({
      code: 'document_sam_transport_failed',
      data: { protocol: 'SAM', step: 'readBaseInfo' },
    });
    await expect(r.getSamStatus()).rejects.toMatchObject({ code: 'document_sam_transport_failed' });
    await t.close();
  });
});

/** socat processes whose parent is this test process. */
async function socatChildren(): Promise<number[]> {
  const out: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/u.test(entry)) continue;
    try {
      const stat = await readFile(`/proc/${entry}/stat`, 'utf8');
      const m = /^\d+ \((.*)\) \S+ (\d+)/u.exec(stat);
      if (m?.[1] === 'socat' && Number(m[2]) === process.pid) out.push(Number(entry));
    } catch {
      // the process ended meanwhile
    }
  }
  return out;
}
