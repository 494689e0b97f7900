import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  StoreError,
  TerminalSigningKey,
  confirmRegistration,
  openStore,
  parseConfig,
  type Store,
} from '@kycd/daemon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { confirmInput } from './fixtures.js';

/**
 * A full disk, for real where we may mount: a 640 KiB tmpfs (needs root). Where mounting is not
 * permitted the test says so and simulates the same SQLite condition with `max_page_count`
 * (SQLite then raises SQLITE_FULL exactly as on a full disk).
 */
let mountPoint: string;
let mounted = false;
beforeAll(() => {
  mountPoint = mkdtempSync(join(tmpdir(), 'kycd-full-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=640k,mode=0700', 'tmpfs', mountPoint], {
      stdio: 'ignore',
    });
    mounted = true;
  } catch {
    console.warn(
      'diskFull: cannot mount a tmpfs here (not root?) — simulating a full disk with PRAGMA max_page_count',
    );
  }
});
afterAll(() => {
  if (mounted) execFileSync('umount', [mountPoint], { stdio: 'ignore' });
  rmSync(mountPoint, { recursive: true, force: true });
});

describe('a full disk', () => {
  it('fails the write cleanly with registration_store_full, keeps the store consistent, and recovers when space returns', () => {
    const dataDir = join(mountPoint, 'data');
    let store: Store = openStore({ dataDir });
    const key = TerminalSigningKey.loadOrCreate(dataDir);
    const recordConfig = parseConfig({}).registration.record;
    const filler = join(mountPoint, 'filler');
    if (mounted) writeFileSync(filler, Buffer.alloc(256 * 1024));
    else
      store.db.pragma(
        `max_page_count = ${(store.db.pragma('page_count', { simple: true }) as number) + 40}`,
      );

    let confirmed = 0;
    let failure: unknown;
    for (let i = 0; i < 10_000 && failure === undefined; i++) {
      try {
        store.transaction('seed session', () =>
          store.sessions.upsert({ id: `s-${i}`, state: 'awaiting_confirmation' }),
        );
        confirmRegistration(
          { store, key, recordConfig },
          confirmInput(`s-${i}`, {
            requireSessionState: ['awaiting_confirmation'],
            sessionUpdate: { state: 'registered' },
          }),
        );
        confirmed++;
      } catch (err) {
        failure = err;
      }
    }
    expect(failure).toBeInstanceOf(StoreError);
    expect((failure as StoreError).code).toBe('registration_store_full');
    expect((failure as StoreError).message).toMatch(/full.*rolled back/);
    expect(confirmed).toBeGreaterThan(0);
    console.log(
      `diskFull: ${mounted ? 'real 640 KiB tmpfs' : 'simulated (max_page_count)'}: ${confirmed} registrations fit, then ${(failure as StoreError).sqliteCode}`,
    );

    // Nothing half-written: each registered session has exactly its registration, and the failed one none.
    const registered = store.db
      .prepare(`SELECT COUNT(*) AS n FROM sessions WHERE state = 'registered'`)
      .get() as { n: number };
    expect(registered.n).toBe(confirmed);
    expect(store.registrations.counts().queued).toBe(confirmed);

    // Space comes back: the same store takes writes again; after a reopen everything is intact.
    if (mounted) unlinkSync(filler);
    else store.db.pragma('max_page_count = 1073741823');
    store.transaction('seed session', () =>
      store.sessions.upsert({ id: 'after', state: 'awaiting_confirmation' }),
    );
    confirmRegistration({ store, key, recordConfig }, confirmInput('after'));
    store.close();
    store = openStore({ dataDir });
    expect(store.registrations.counts().queued).toBe(confirmed + 1);
    expect(store.db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(store.audit.verify().ok).toBe(true);
    store.close();
  });
});
