/**
 * Fault modes of the virtual eMRTD end to end: the card sits in vpcd's reader behind a real
 * pcscd, and `kycd document read` (the daemon's own PC/SC + ICAO 9303 stack, as a user runs it)
 * reads it. Each fault must yield its stable code or failed check, and never a genuine verdict.
 * (test/documents/emrtd.test.ts drives every fault through the daemon's PC/SC stack in-process;
 * this file covers the CLI a user runs, with one genuine chip and two faults.)
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PcscManager, type PcscReader } from '@kycd/daemon';
import {
  SimulatedDocumentReader,
  type EmrtdFaults,
  type VirtualEmrtdCreateOptions,
} from '@kycd/hardware-sim';
import { claimVpcdSlot, startPcscd, type PcscdHandle, type VpcdSlot } from '../setup/pcscd.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

let pcscd: PcscdHandle;
let slot: VpcdSlot;
let reader: SimulatedDocumentReader;
let cscaDir: string;
let pcsc: PcscManager;
let pcscReader: PcscReader;

/**
 * A card that vanished mid-APDU (or was taken out) must be seen gone by pcscd before the next
 * card goes in: inserting while the vpcd driver still holds the old card leaves the slot stuck.
 * A person pulling a card and presenting the next one is just as slow.
 */
async function untilPcscdSeesNoCard(): Promise<void> {
  const t0 = Date.now();
  while (pcscReader?.card !== undefined && Date.now() - t0 < 20_000)
    await new Promise((r) => setTimeout(r, 50));
}

beforeAll(async () => {
  pcscd = await startPcscd();
  slot = await claimVpcdSlot();
  pcsc = PcscManager.start();
  pcsc.on('error', () => undefined);
  pcscReader = await pcsc.waitForReader({ name: slot.readerName, timeoutMs: 15_000 });
  pcscReader.on('error', () => undefined);
  cscaDir = await mkdtemp(join(tmpdir(), 'kycd-csca-'));
  reader = await SimulatedDocumentReader.create({ port: slot.port, trustStoreDir: cscaDir });
  reader.on('error', () => undefined);
});

afterEach(async () => {
  await reader.remove();
  await untilPcscdSeesNoCard();
});

afterAll(async () => {
  await reader?.remove();
  await untilPcscdSeesNoCard();
  pcsc?.close();
  slot?.release();
  await pcscd?.stop();
  if (cscaDir) await rm(cscaDir, { recursive: true, force: true });
});

interface CliRun {
  readonly exitCode: number | null;
  readonly json: Record<string, unknown> & {
    error?: { code: string };
    accessControl?: string;
    authenticity?: Record<string, { status?: string; code?: string } | boolean>;
  };
}

/** Inserts a document with `faults` and reads it with `kycd document read --json` on the slot's reader. */
async function readWithCli(
  faults: EmrtdFaults,
  options: Partial<VirtualEmrtdCreateOptions> = {},
): Promise<CliRun> {
  const card = await reader.insertDocument({ activeAuthentication: true, ...options, faults });
  const info = card.files.mrz.mrzInformation; // doc(9) cd dob(6) cd doe(6) cd
  const args = [
    '--conditions=@kycd/source',
    '--import',
    'tsx',
    'daemon/src/cli/main.ts',
    'document',
    'read',
    '--reader',
    slot.readerName,
    '--document-number',
    info.slice(0, 9).replace(/<+$/, ''),
    '--birth-date',
    info.slice(10, 16),
    '--expiry-date',
    info.slice(17, 23),
    '--csca',
    cscaDir,
    '--json',
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let json: CliRun['json'] | undefined;
    let settled = false;
    const finish = (exitCode: number | null): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (json !== undefined) resolve({ exitCode, json });
      else
        reject(
          new Error(
            `kycd document read printed no JSON (exit ${exitCode}): ${stdout.slice(0, 300)} ${stderr.slice(-600)}`,
          ),
        );
    };
    // The CLI prints one JSON document; once it is complete the answer is in. (A CLI that then
    // lingers — an open PC/SC context — is ended after a grace period: exitCode null.)
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      try {
        json = JSON.parse(stdout) as CliRun['json'];
        setTimeout(() => {
          if (!settled) {
            child.kill('SIGKILL');
            finish(null);
          }
        }, 1500).unref();
      } catch {
        // not complete yet
      }
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 40_000);
    child.on('error', reject);
    child.on('close', (exitCode) => finish(exitCode));
  });
}

describe(
  'virtual eMRTD through pcscd + vpcd, read by kycd document read',
  { timeout: 60_000 },
  () => {
    it('a genuine chip: PACE, Chip and Active Authentication pass, genuine', async () => {
      const run = await readWithCli({});
      expect(run.exitCode === 0 || run.exitCode === null).toBe(true);
      expect(run.json.accessControl).toBe('PACE');
      expect(run.json.authenticity).toMatchObject({
        passiveAuthentication: { status: 'passed' },
        chipAuthentication: { status: 'passed' },
        activeAuthentication: { status: 'passed' },
        genuine: true,
      });
    });

    it('card removed mid-read: document_card_removed, no data', async () => {
      const run = await readWithCli({ removeAfterBytes: 1500 });
      expect(run.json).toEqual({
        error: expect.objectContaining({ code: 'document_card_removed' }),
      });
    });

    it('a cloned chip: CA and AA fail, not genuine', async () => {
      const run = await readWithCli({ chipClone: true });
      expect(run.json.error).toBeUndefined();
      expect(run.json.authenticity).toMatchObject({
        chipAuthentication: { status: 'failed', code: 'document_chip_authentication_failed' },
        activeAuthentication: { status: 'failed', code: 'document_active_authentication_failed' },
        genuine: false,
      });
    });
  },
);
