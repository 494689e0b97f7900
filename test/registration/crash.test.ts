import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TerminalSigningKey, openStore } from '@kycd/daemon';
import { ReferenceCarrier } from '@kycd/hardware-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * 200 registrations through the daemon's own confirmation and outbox modules (see
 * crashWriter.ts: `startRegistrationService` + `createRegistrationServices`), SIGKILLed at
 * random moments. A full simulated session over the socket takes ~6 s (and a daemon start
 * another ~6 s) on the 2-core CI machine, so 200 of them would take 20 minutes: the real
 * `kycd start --sim` daemon is SIGKILLed in daemonCrash.test.ts with fewer registrations.
 */
const REGISTRATIONS = 200;
/** Each restart costs ~1–2 s of tsx start-up; 10 kills keep the test well under a minute. */
const MAX_KILLS = 10;
const here = dirname(fileURLToPath(import.meta.url));
// The writer imports the daemon's store modules directly (a lean child that starts fast).
const WRITER = join(
  here,
  '..',
  '..',
  'daemon',
  'src',
  'registration',
  '__fixtures__',
  'crashWriter.ts',
);
let dir: string;
let carrier: ReferenceCarrier;
let url: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kycd-crash-'));
  const key = TerminalSigningKey.loadOrCreate(dir);
  carrier = new ReferenceCarrier({ trustedKeys: [key.publicKeyPem] });
  url = await carrier.start();
});
afterAll(async () => {
  await carrier.stop();
  rmSync(dir, { recursive: true, force: true });
});

/**
 * When to SIGKILL the writer: this many ms after it said `ready` or after it was spawned — and
 * at the latest once it has confirmed `byConfirmed` registrations in this run, so that every
 * kill lands before the writer is done however fast the machine is.
 */
type KillAt =
  | { afterReadyMs: number; byConfirmed: number }
  | { afterSpawnMs: number; byConfirmed: number }
  | undefined;

/** Run the writer until it says `done` or until it is killed at `kill`. */
function runWriter(
  kill: KillAt,
): Promise<{ confirmed: string[]; done: boolean; errors: string[]; queuedAtStart: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--conditions=@kycd/source', '--import', 'tsx', WRITER, dir, url, String(REGISTRATIONS)],
      {
        cwd: here,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const killNow = (): void => void (child.exitCode === null && child.kill('SIGKILL'));
    if (kill !== undefined && 'afterSpawnMs' in kill) setTimeout(killNow, kill.afterSpawnMs);
    const confirmed: string[] = [];
    const errors: string[] = [];
    let done = false;
    let queuedAtStart = 0;
    let buffer = '';
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      buffer += d.toString();
      let nl: number;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        if (line.startsWith('ready ')) {
          queuedAtStart = Number(line.split(' ')[1]);
          if (kill !== undefined && 'afterReadyMs' in kill) setTimeout(killNow, kill.afterReadyMs);
        } else if (line.startsWith('confirmed ')) {
          confirmed.push(line.split(' ')[1] as string);
          if (kill !== undefined && confirmed.length >= kill.byConfirmed) killNow();
        } else if (line === 'done') done = true;
        else if (line.startsWith('error ')) errors.push(line);
      }
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (signal !== 'SIGKILL' && code !== 0)
        reject(new Error(`writer exited with ${code}: ${stderr}`));
      else resolve({ confirmed, done, errors, queuedAtStart });
    });
  });
}

describe('crash safety of the registration outbox', () => {
  it(`delivers each of ${REGISTRATIONS} confirmed registrations exactly once across SIGKILLs at random moments`, async () => {
    const confirmedByWriter = new Set<string>();
    let kills = 0;
    let finished = false;
    /** Registrations a restarted writer found still queued: kills that landed mid-delivery. */
    let resumedQueued = 0;
    // One request in eight fails with 503 so that retries are pending when the writer dies.
    carrier.behave({ mode: 'fail', status: 503, probability: 0.125 });
    while (!finished) {
      // Kill at a random moment, MAX_KILLS times; then let it finish. Two of the kills count
      // from the spawn, so they may land in start-up (opening the store, the first migration).
      // The backstop spreads the kills over the registrations still to come.
      const left = REGISTRATIONS - confirmedByWriter.size;
      const byConfirmed =
        1 + Math.floor(Math.random() * Math.max(1, Math.floor(left / (MAX_KILLS - kills + 1))));
      const kill: KillAt =
        kills >= MAX_KILLS
          ? undefined
          : kills === 0 || kills === 5
            ? { afterSpawnMs: Math.floor(Math.random() * 2500), byConfirmed }
            : { afterReadyMs: 30 + Math.floor(Math.random() * 370), byConfirmed };
      const run = await runWriter(kill);
      run.confirmed.forEach((id) => confirmedByWriter.add(id));
      resumedQueued += run.queuedAtStart;
      if (run.done) finished = true;
      else kills++;
    }
    expect(finished).toBe(true);
    // Every kill is armed to land before the writer is done; one that arrives as the writer's
    // last lines are already in the pipe finds it exited (done), which ends the loop early.
    expect(kills).toBeGreaterThanOrEqual(MAX_KILLS - 2);

    const store = openStore({ dataDir: dir });
    try {
      const rows = store.registrations.list();
      // Every registration the writer saw committed survived the SIGKILLs.
      const inStore = new Set(rows.map((r) => r.registrationId));
      for (const id of confirmedByWriter) expect(inStore.has(id)).toBe(true);
      expect(rows).toHaveLength(REGISTRATIONS);
      expect(new Set(rows.map((r) => r.sessionId)).size).toBe(REGISTRATIONS);
      expect(rows.every((r) => r.status === 'delivered')).toBe(true);
      // The carrier accepted each exactly once (a repeat after a crash is an idempotent replay).
      const received = carrier.received();
      expect(received).toHaveLength(REGISTRATIONS);
      expect(new Set(received.map((d) => d.registrationId))).toEqual(inStore);
      expect(carrier.rejections()).toEqual([]);
      // Store consistency: sessions and registrations move together, audit chain intact.
      const registered = store.db
        .prepare(`SELECT COUNT(*) AS n FROM sessions WHERE state = 'completed'`)
        .get() as { n: number };
      expect(registered.n).toBe(REGISTRATIONS);
      const orphans = store.db
        .prepare(
          `SELECT COUNT(*) AS n FROM sessions s LEFT JOIN registrations r ON r.session_id = s.id WHERE (s.state = 'completed') != (r.id IS NOT NULL)`,
        )
        .get() as { n: number };
      expect(orphans.n).toBe(0);
      expect(store.db.pragma('integrity_check', { simple: true })).toBe('ok');
      const audit = store.audit.verify();
      expect(audit.ok).toBe(true);
      expect(store.audit.list().filter((e) => e.kind === 'registration.confirmed')).toHaveLength(
        REGISTRATIONS,
      );
      const replays = received.reduce((n, d) => n + d.replays, 0);
      console.log(
        `crash test: ${kills} SIGKILLs, ${REGISTRATIONS} registrations, ${resumedQueued} resumed after a kill, ${replays} idempotent replays, ${carrier.requestCount} carrier requests`,
      );
      // The kills landed while deliveries were pending, not only between quiet moments.
      expect(resumedQueued + replays).toBeGreaterThan(0);
    } finally {
      store.close();
    }
  }, 120_000);
});
