/**
 * One passport session through the real daemon on the hardware simulator (in-process chip,
 * virtual camera pacing, real liveness and match models, the reference carrier), with the POS
 * preview on — then what the daemon left behind: the store's timeline, the signed record the
 * carrier received, and every log line.
 */
import { readFileSync, existsSync } from 'node:fs';
import { parseConfig } from '@kycd/daemon';
import { simulatorWiring, type SimulatorRig } from '@kycd/daemon/sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RawClient } from '../helpers/RawClient.js';
import { startTestDaemon, type TestDaemon } from '../helpers/startTestDaemon.js';

const CONFIG = {
  session: { faceAttempts: 1 },
  liveness: { positioningDeadlineMs: 120_000 },
  camera: { preview: { enabled: true, fps: 10 } },
};
const HOLDER = {
  surname: 'Zhang',
  givenNames: 'Wei',
  documentNumber: 'E12345678',
  nationality: 'CHN',
  birthDate: '1990-03-07',
  expiryDate: '2031-05-20',
  sex: 'male',
};
const STEP_MS = 60_000;

let d: TestDaemon;
let rig: SimulatorRig;
let c: RawClient;
let sessionId: string;
let registrationId: string;

beforeAll(async () => {
  const wiring = await simulatorWiring(parseConfig(CONFIG), {
    emrtd: 'memory',
    seed: 4321,
    cameraPacing: 'virtual',
  });
  rig = wiring.rig;
  d = await startTestDaemon({ wiring, config: CONFIG });
  c = await RawClient.hello(d.url, d.token);
  const ok = async (method: string, params: Record<string, unknown>): Promise<unknown> => {
    const res = await c.request(method, params);
    expect(res.error, method).toBeUndefined();
    return res.result;
  };
  await ok('sim.presentFace', { behavior: 'live' });
  sessionId = (
    (await ok('session.start', { consent: { accepted: true, textVersion: '2026-01' } })) as {
      sessionId: string;
    }
  ).sessionId;
  await ok('sim.insertDocument', { kind: 'emrtd', holder: HOLDER });
  const state = (s: string) => (f: { sessionId?: string; data?: unknown }) =>
    f.sessionId === sessionId && (f.data as { state: string }).state === s;
  await c.event('session.state', state('document.credentials'), STEP_MS);
  await ok('session.provideMrz', {
    sessionId,
    documentNumber: 'E12345678',
    birthDate: '900307',
    expiryDate: '310520',
  });
  await c.event('session.state', state('registration.awaitingConfirmation'), STEP_MS);
  registrationId = (
    (await ok('session.confirmRegistration', {
      sessionId,
      msisdn: '+8613800138000',
      operatorId: 'op-7',
    })) as { registrationId: string }
  ).registrationId;
  await c.event('session.state', state('completed'), STEP_MS);
  await c.event(
    'registration.status',
    (f) => f.sessionId === sessionId && (f.data as { status: string }).status === 'delivered',
    STEP_MS,
  );
}, 180_000);

afterAll(async () => {
  c?.close();
  await d?.close();
});

describe('a simulated passport session through the daemon', () => {
  it('never stores the POS preview frames (or any image) in the session timeline', () => {
    const previews = c.frames.filter(
      (f) => f.event === 'face.preview' && f.sessionId === sessionId,
    );
    // The preview was on: the POS did get JPEG frames …
    expect(previews.length).toBeGreaterThan(0);
    const jpeg = (previews[0]!.data as { jpeg: string }).jpeg;
    expect(jpeg.startsWith('/9j/')).toBe(true);
    // … but the timeline the store kept for export has none of them.
    const stored = d.daemon.store.events.since(sessionId, -1);
    expect(stored.length).toBeGreaterThan(5);
    expect(stored.map((e) => (e.event as { event: string }).event)).not.toContain('face.preview');
    expect(JSON.stringify(stored)).not.toMatch(/\/9j\/[A-Za-z0-9+/]{40}/);
    // Nor are any of its bytes anywhere in the database or its WAL.
    d.daemon.store.db.pragma('wal_checkpoint(PASSIVE)');
    const needle = Buffer.from(jpeg.slice(100, 160));
    for (const file of [d.daemon.store.file, `${d.daemon.store.file}-wal`]) {
      if (existsSync(file)) expect(readFileSync(file).includes(needle), file).toBe(false);
    }
  });

  it('delivered the registration once', () => {
    expect(rig.carrier.received().filter((r) => r.registrationId === registrationId)).toHaveLength(
      1,
    );
  });
  it('signed a record with the times of each step, the liveness challenges and scores, and the model ids', () => {
    const [delivery] = rig.carrier.received().filter((r) => r.registrationId === registrationId);
    const record = delivery!.record as {
      timestamps: Record<string, string>;
      liveness: {
        passed: boolean;
        challenges?: string[];
        antiSpoofScore?: number;
        antiSpoofThreshold?: number;
        models?: string[];
      };
      match: { modelId?: string; similarity: number };
    };
    const t = record.timestamps;
    const at = (k: string): number => Date.parse(t[k] ?? '');
    for (const k of [
      'sessionStartedAt',
      'documentReadAt',
      'livenessCompletedAt',
      'matchedAt',
      'confirmedAt',
    ])
      expect(Number.isNaN(at(k)), k).toBe(false);
    // In the order the session went through them, and not all the same moment.
    expect(at('sessionStartedAt')).toBeLessThan(at('documentReadAt'));
    expect(at('documentReadAt')).toBeLessThan(at('livenessCompletedAt'));
    expect(at('livenessCompletedAt')).toBeLessThanOrEqual(at('matchedAt'));
    expect(at('matchedAt')).toBeLessThanOrEqual(at('confirmedAt'));
    // The session row the store kept says the same.
    const row = d.daemon.store.sessions.get(sessionId)!;
    expect(new Date(row.createdAt).toISOString()).toBe(t.sessionStartedAt);
    expect(row.milestones?.documentReadAt).toBe(at('documentReadAt'));
    // What the liveness check asked and measured.
    const asked = c.frames
      .filter((f) => f.event === 'liveness.challenge' && f.sessionId === sessionId)
      .map((f) => (f.data as { challenge: string }).challenge);
    expect(record.liveness.challenges).toEqual([...new Set(asked)]);
    expect(record.liveness.antiSpoofScore).toBeGreaterThan(0);
    expect(record.liveness.antiSpoofScore).toBeGreaterThanOrEqual(
      record.liveness.antiSpoofThreshold!,
    );
    expect(record.liveness.models).toEqual(['fr_liveness']);
    expect(record.match.modelId).toBe('fr_feature');
  });
  it('wrote no personal data to the log: no document number, MRZ, name, birth date, phone number, embedding or image', () => {
    // The daemon logs at debug here: connection, authentication, the simulator, the session.
    expect(d.logs.length).toBeGreaterThanOrEqual(3);
    const forbidden: [string, RegExp][] = [
      ['document number', /E12345678/],
      ['MRZ', /[A-Z0-9<]{10,}<<[A-Z0-9<]*/],
      ['MRZ key fields', /900307|310520/],
      ['name', /ZHANG|Zhang|\bWEI\b|\bWei\b/],
      ['birth date', /1990-03-07/],
      ['phone number', /8613800138000/],
      ['embedding-like number list', /(-?\d+\.\d+(e-?\d+)?\s*,\s*){15,}/],
      ['base64 image', /\/9j\/[A-Za-z0-9+/]{20}|iVBORw0KGgo|AAAADGpQ/],
    ];
    for (const line of d.logs)
      for (const [what, pattern] of forbidden)
        expect(pattern.test(line), `${what} in log line: ${line.slice(0, 300)}`).toBe(false);
  });
});
