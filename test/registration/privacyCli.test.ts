/**
 * The privacy commands as an operator runs them — `kycd export --session`, `kycd erase
 * --session`, `kycd purge` — in separate processes on a store another connection (standing in
 * for the daemon) keeps open, and what is left on disk afterwards: an erased or purged
 * session's data must not survive in the bytes of the database or its WAL.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  EvidenceVault,
  TerminalSigningKey,
  confirmRegistration,
  openStore,
  parseConfig,
  type Store,
} from '@kycd/daemon';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runKycd, type KycdRun } from '../helpers/runKycd.js';
import { SAMPLE_DOCUMENT, confirmInput } from './fixtures.js';

const DAY_MS = 86_400_000;
let dir: string;
let daemonStore: Store;

function kycd(...args: string[]): Promise<KycdRun> {
  return runKycd(['--data-dir', dir, ...args]);
}

/** A finished, delivered session whose personal data all carry `marker`. */
function seedSession(store: Store, sessionId: string, marker: string): string {
  store.sessions.upsert({
    id: sessionId,
    terminalId: 'till-1',
    state: 'registration.submitting',
    step: 'registration',
  });
  store.events.append(sessionId, 1, {
    event: 'document.read',
    data: { summary: { fullName: marker } },
    sessionId,
    seq: 1,
  });
  const document = { ...SAMPLE_DOCUMENT, fields: { ...SAMPLE_DOCUMENT.fields, fullName: marker } };
  const c = confirmRegistration(
    {
      store,
      key: TerminalSigningKey.loadOrCreate(store.dataDir),
      recordConfig: parseConfig({}).registration.record,
    },
    {
      ...confirmInput(sessionId, { document }),
      requireSessionState: ['registration.submitting'],
      sessionUpdate: { state: 'completed', step: 'done' },
    },
  );
  new EvidenceVault(store, { ...parseConfig({}).privacy.evidence, retain: true }).put(
    sessionId,
    'chip_photo',
    'text/plain',
    Buffer.from(marker),
  );
  store.registrations.markDelivered(c.registrationId, 201, `{"carrierRef":"${marker}"}`);
  return c.registrationId;
}

/** Whether `marker` appears anywhere in the database file or its WAL. */
function onDisk(marker: string): boolean {
  const file = join(dir, 'kycd.sqlite');
  return [file, `${file}-wal`].some(
    (f) => existsSync(f) && readFileSync(f).includes(Buffer.from(marker)),
  );
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kycd-privacy-cli-'));
  daemonStore = openStore({ dataDir: dir });
});
afterEach(() => {
  daemonStore.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('kycd export / erase / purge', () => {
  it('exports a session as JSON, and exits 1 for an unknown one', async () => {
    const id = seedSession(daemonStore, 's-1', 'MARKER-EXPORT-7d1f');
    const out = await kycd('export', '--session', 's-1');
    expect(out.code).toBe(0);
    const exported = JSON.parse(out.stdout) as Record<string, unknown>;
    expect(exported).toMatchObject({
      sessionId: 's-1',
      session: { state: 'completed' },
      events: [{ seq: 1 }],
      registration: {
        registrationId: id,
        status: 'delivered',
        record: { document: { fields: { fullName: 'MARKER-EXPORT-7d1f' } } },
      },
      evidence: [
        { kind: 'chip_photo', base64: Buffer.from('MARKER-EXPORT-7d1f').toString('base64') },
      ],
    });
    // The export itself is audited.
    expect(daemonStore.audit.list({ sessionId: 's-1' }).map((e) => e.kind)).toContain(
      'session.exported',
    );
    const unknown = await kycd('export', '--session', 'nope');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/nothing is stored about session nope \[not_found\]/);
  }, 60_000);

  it("erases a session: nothing of it is left in the database's or the WAL's bytes", async () => {
    const marker = 'MARKER-ERASE-93ab5c';
    seedSession(daemonStore, 's-erase', marker);
    seedSession(daemonStore, 's-keep', 'MARKER-KEEP-0e4422');
    expect(onDisk(marker)).toBe(true);
    const out = await kycd('erase', '--session', 's-erase', '--json');
    expect(out.code).toBe(0);
    expect(JSON.parse(out.stdout)).toEqual({
      sessionId: 's-erase',
      session: true,
      sessionEvents: 1,
      evidence: 1,
      record: true,
      walTruncated: true,
    });
    expect(onDisk(marker)).toBe(false);
    // The other session is untouched, and the trail records the erasure.
    expect(onDisk('MARKER-KEEP-0e4422')).toBe(true);
    expect(daemonStore.audit.list({ sessionId: 's-erase' }).map((e) => e.kind)).toContain(
      'session.erased',
    );
    expect(daemonStore.audit.verify().ok).toBe(true);
    const again = await kycd('erase', '--session', 'nope');
    expect(again.code).toBe(1);
  }, 60_000);

  it('refuses to erase a registration still queued for the carrier unless --force', async () => {
    daemonStore.sessions.upsert({ id: 's-q', state: 'registration.submitting' });
    confirmRegistration(
      {
        store: daemonStore,
        key: TerminalSigningKey.loadOrCreate(dir),
        recordConfig: parseConfig({}).registration.record,
      },
      { ...confirmInput('s-q'), requireSessionState: ['registration.submitting'] },
    );
    const refused = await kycd('erase', '--session', 's-q');
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/still queued/);
    expect(daemonStore.registrations.bySession('s-q')?.status).toBe('queued');
    const forced = await kycd('erase', '--session', 's-q', '--force', '--json');
    expect(forced.code).toBe(0);
    expect(daemonStore.registrations.bySession('s-q')).toMatchObject({
      status: 'rejected',
      rejectReason: 'erased on request before delivery',
    });
  }, 60_000);

  it('purges what retention no longer allows, leaving no copy on disk', async () => {
    // Written 40 days ago (the store's clock), retention 30 days.
    const old = openStore({ dataDir: dir, now: () => Date.now() - 40 * DAY_MS });
    seedSession(old, 's-old', 'MARKER-PURGE-51c0');
    old.close();
    seedSession(daemonStore, 's-new', 'MARKER-FRESH-a7e2');
    const config = join(dir, 'kycd.yaml');
    writeFileSync(
      config,
      JSON.stringify({
        privacy: {
          sessionRetentionDays: 30,
          recordRetentionDays: 30,
          evidence: { retain: true, days: 30 },
        },
      }),
    );
    const out = await kycd('purge', '--json', '--config', config);
    expect(out.code).toBe(0);
    expect(JSON.parse(out.stdout)).toEqual({
      evidence: 1,
      sessions: 1,
      sessionEvents: 1,
      records: 1,
    });
    expect(onDisk('MARKER-PURGE-51c0')).toBe(false);
    expect(onDisk('MARKER-FRESH-a7e2')).toBe(true);
    expect(daemonStore.audit.list().map((e) => e.kind)).toContain('retention.purged');
  }, 60_000);
});
