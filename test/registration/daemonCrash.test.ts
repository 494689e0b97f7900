/**
 * Crash safety on the real production path: the `kycd start --sim` daemon process (socket,
 * session flow, simulated SAM reader and camera, liveness and match models, confirmation,
 * outbox) is SIGKILLed while POS sessions run and registrations are being delivered, and
 * started again on the same data directory, until every session the test drove is registered.
 * The carrier is the reference carrier outside the daemon (it outlives every kill).
 *
 * A simulated session takes ~6 s over the socket on the 2-core CI machine (with the one head
 * turn configured here 3–4 s, even on a loaded machine) and a daemon start ~5 s, so this test
 * drives 20 registrations across 4 kills; crash.test.ts covers 200 registrations and 10 kills
 * through the same confirmation and outbox modules without the camera and the chip.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TerminalSigningKey, openStore } from '@kycd/daemon';
import { ReferenceCarrier } from '@kycd/hardware-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RawClient } from '../helpers/RawClient.js';

const root = join(import.meta.dirname, '..', '..');
/** Sessions the POS gets an answer to `session.confirmRegistration` for. */
const TARGET_CONFIRMED = 20;
/**
 * The simulated camera runs on a real camera's clock: on a loaded machine a liveness check may
 * time out; the POS then starts another session (failed sessions register nothing).
 */
const MAX_FAILED_SESSIONS = 10;
const MAX_KILLS = 4;
const STEP_MS = 60_000;

let dir: string;
let configFile: string;
let carrier: ReferenceCarrier;
let failedSessions = 0;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kycd-daemon-crash-'));
  // The daemon loads this key from the data directory: the carrier trusts it from the start.
  const key = TerminalSigningKey.loadOrCreate(dir);
  carrier = new ReferenceCarrier({ trustedKeys: [key.publicKeyPem] });
  const endpoint = await carrier.start();
  configFile = join(dir, 'kycd.yaml');
  writeFileSync(
    configFile,
    JSON.stringify({
      registration: {
        endpoint,
        requestTimeoutMs: 2000,
        retry: { initialDelayMs: 100, maxDelayMs: 400, jitter: 0.2 },
      },
      // One head turn (held long enough to be seen on a loaded machine, unlike a blink), one
      // attempt: a session takes 3–4 s, a failed one ends after ~10 s.
      session: { faceAttempts: 1 },
      liveness: { challengeCount: 1, challengePool: ['turnLeft'], challengeDeadlineMs: 8000 },
    }),
  );
});

afterAll(async () => {
  await carrier.stop();
  rmSync(dir, { recursive: true, force: true });
});

interface Daemon {
  child: ChildProcess;
  client: RawClient;
  exited: Promise<NodeJS.Signals | number | null>;
}

async function startDaemon(): Promise<Daemon> {
  const child = spawn(
    process.execPath,
    [
      '--conditions=@kycd/source',
      '--import',
      'tsx',
      'daemon/src/cli/main.ts',
      'start',
      '--sim',
      '--port',
      '0',
      '--config',
      configFile,
    ],
    {
      cwd: root,
      env: { ...process.env, KYCD_DATA_DIR: dir, NODE_OPTIONS: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const exited = new Promise<NodeJS.Signals | number | null>((resolve) =>
    child.once('exit', (code, signal) => resolve(signal ?? code)),
  );
  let out = '';
  let err = '';
  child.stdout!.on('data', (d) => (out += String(d)));
  child.stderr!.on('data', (d) => (err += String(d)));
  const t0 = Date.now();
  while (!/Press Ctrl-C/.test(out)) {
    if (Date.now() - t0 > STEP_MS || child.exitCode !== null)
      throw new Error(`kycd start did not come up:\n${out}\n${err.slice(-2000)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  const url = /listening on (ws:\/\/\S+)/.exec(out)![1]!;
  const token = /pairing token[^:]*: (\S+)/.exec(out)![1]!;
  return { child, client: await RawClient.hello(url, token), exited };
}

/** Registrations still queued in the store (the daemon is not running). */
function queuedInStore(): number {
  const store = openStore({ dataDir: dir });
  try {
    return store.registrations.counts().queued;
  } finally {
    store.close();
  }
}

/**
 * Drive resident-ID sessions one after another until the daemon dies or `target` confirmations
 * were answered; `onConfirmed` runs right after each answer (and may kill the daemon).
 */
const dbg = (...a: unknown[]): void => {
  if (process.env.KYCD_DEBUG_CRASH) console.log(new Date().toISOString(), ...a);
};
async function runSessions(
  d: Daemon,
  target: number,
  confirmed: Set<string>,
  beforeConfirm: () => void,
  onConfirmed: () => void,
): Promise<void> {
  const c = d.client;
  // Every wait ends as soon as the daemon dies (its socket answers nothing any more).
  const dead = d.exited.then(() => {
    throw new Error('the daemon exited');
  });
  dead.catch(() => undefined);
  const step = <T>(p: Promise<T>): Promise<T> => Promise.race([p, dead]);
  const state = (id: string, states: string[]) => (f: { sessionId?: string; data?: unknown }) =>
    f.sessionId === id && states.includes((f.data as { state: string }).state);
  const ok = async (method: string, params: Record<string, unknown>): Promise<unknown> => {
    const res = await step(c.request(method, params));
    if (res.error !== undefined)
      throw new Error(`${method}: ${res.error.code} ${res.error.message}`);
    return res.result;
  };
  while (confirmed.size < target) {
    await ok('sim.presentFace', { behavior: 'live' });
    const id = (
      (await ok('session.start', { consent: { accepted: true, textVersion: '2026-01' } })) as {
        sessionId: string;
      }
    ).sessionId;
    await ok('sim.insertDocument', { kind: 'cn-resident-id' });
    dbg('session', id);
    const reached = await step(
      c.event('session.state', state(id, ['registration.awaitingConfirmation', 'failed']), STEP_MS),
    );
    if ((reached.data as { state: string }).state === 'failed') {
      dbg('failed', JSON.stringify(reached.data));
      if (++failedSessions > MAX_FAILED_SESSIONS)
        throw new Error(`too many failed sessions, last: ${JSON.stringify(reached.data)}`);
      await ok('sim.removeDocument', {});
      await ok('sim.removeFace', {});
      continue;
    }
    beforeConfirm();
    const result = (await ok('session.confirmRegistration', {
      sessionId: id,
      msisdn: `+86138${String(confirmed.size).padStart(8, '0')}`,
      operatorId: 'op-7',
    })) as { registrationId: string };
    confirmed.add(result.registrationId);
    dbg('confirmed', result.registrationId);
    onConfirmed();
    await step(c.event('session.state', state(id, ['completed', 'failed']), STEP_MS));
    await ok('sim.removeDocument', {});
    await ok('sim.removeFace', {});
  }
}

describe('crash safety of the real daemon', () => {
  it(`delivers every confirmed registration exactly once across ${MAX_KILLS} SIGKILLs of kycd start --sim`, async () => {
    const confirmed = new Set<string>();
    let kills = 0;
    let queuedAtRestart = 0;
    // One delivery in four fails with 503: retries are pending when the daemon dies.
    carrier.behave({ mode: 'fail', status: 503, probability: 0.25 });
    while (kills < MAX_KILLS) {
      const d = await startDaemon();
      dbg('started', kills);
      // Even kills land right after the POS got its confirmation answer, while the carrier
      // holds the delivery (in flight); odd kills at a random moment of the sessions.
      const afterConfirm = kills % 2 === 0;
      const kill = (): void => {
        d.child.kill('SIGKILL');
      };
      const timer = afterConfirm
        ? undefined
        : setTimeout(kill, 500 + Math.floor(Math.random() * 6000));
      const sessions = runSessions(
        d,
        TARGET_CONFIRMED,
        confirmed,
        () => {
          if (afterConfirm) carrier.behaveNext(1, { mode: 'stall', ms: 1500 });
        },
        () => {
          if (afterConfirm) kill();
        },
      ).catch((e: unknown) => dbg('sessions ended', String(e))); // the socket dies with the daemon
      const how = await Promise.race([d.exited, sessions.then(() => 'sessions done' as const)]);
      clearTimeout(timer);
      if (how === 'sessions done') kill(); // reached the target before the timer: kill now
      dbg('race', how);
      expect(await d.exited).toBe('SIGKILL');
      d.client.close();
      await sessions;
      kills++;
      queuedAtRestart += queuedInStore();
    }
    // The last start runs to the target, lets the outbox drain and stops cleanly.
    carrier.behave({ mode: 'accept' });
    const last = await startDaemon();
    await runSessions(
      last,
      TARGET_CONFIRMED,
      confirmed,
      () => undefined,
      () => undefined,
    );
    const deadline = Date.now() + STEP_MS;
    while (carrier.received().length < confirmed.size && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 100));
    last.child.kill('SIGTERM');
    expect(await last.exited).toBe(0);
    last.client.close();

    const store = openStore({ dataDir: dir });
    try {
      const rows = store.registrations.list();
      const inStore = new Set(rows.map((r) => r.registrationId));
      // Every confirmation the POS was told about survived; a kill between the commit and the
      // answer may have left one more in the store, which is delivered too.
      for (const id of confirmed) expect(inStore.has(id), id).toBe(true);
      expect(rows.every((r) => r.status === 'delivered')).toBe(true);
      // Exactly once at the carrier: each id accepted once, repeats answered as replays.
      const received = carrier.received();
      expect(received.map((r) => r.registrationId).sort()).toEqual([...inStore].sort());
      expect(carrier.rejections()).toEqual([]);
      // The store is consistent: every registration's session row is completed and vice versa.
      const mismatched = store.db
        .prepare(
          `SELECT COUNT(*) AS n FROM sessions s LEFT JOIN registrations r ON r.session_id = s.id WHERE (s.state = 'completed') != (r.id IS NOT NULL)`,
        )
        .get() as { n: number };
      expect(mismatched.n).toBe(0);
      expect(store.db.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(store.audit.verify().ok).toBe(true);
      expect(store.audit.list().filter((e) => e.kind === 'registration.confirmed')).toHaveLength(
        rows.length,
      );
      const replays = received.reduce((n, r) => n + r.replays, 0);
      console.log(
        `daemon crash test: ${kills} SIGKILLs, ${rows.length} registrations, ${queuedAtRestart} queued at a restart, ${replays} replays, ${failedSessions} failed liveness sessions`,
      );
      // The kills landed during delivery.
      expect(kills).toBe(MAX_KILLS);
      expect(queuedAtRestart + replays).toBeGreaterThan(0);
    } finally {
      store.close();
    }
  }, 240_000);
});
