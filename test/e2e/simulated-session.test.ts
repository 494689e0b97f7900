/**
 * The goal of this stretch, end to end: a POS drives a whole session over the WebSocket API
 * with the SDK — a virtual passport read through the real PC/SC stack (pcscd + vpcd), liveness
 * with the simulated camera and the real ONNX models, the match, and a signed registration
 * delivered to the reference carrier — plus the attacks and failures a mature product must
 * turn into the right outcome.
 */
import { KycdClient, KycdError, type Session } from '@kycd/plugin-sdk';
import { parseConfig } from '@kycd/daemon';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { simulatorWiring, type SimulatorRig } from '@kycd/daemon/sim';
import { claimVpcdSlot, startPcscd, type PcscdHandle, type VpcdSlot } from '../setup/pcscd.js';
import { startTestDaemon, type TestDaemon } from '../helpers/startTestDaemon.js';

const CONSENT = { accepted: true as const, textVersion: '2026-01' };
const HOLDER = {
  surname: 'Zhang',
  givenNames: 'Wei',
  documentNumber: 'E12345678',
  nationality: 'CHN',
  birthDate: '1990-03-07',
  expiryDate: '2031-05-20',
  sex: 'male' as const,
};
const MRZ_KEYS = { documentNumber: 'E12345678', birthDate: '900307', expiryDate: '310520' };

describe('a whole simulated session over the WebSocket API', () => {
  let pcscd: PcscdHandle;
  let slot: VpcdSlot;
  let d: TestDaemon;
  let rig: SimulatorRig;
  let client: KycdClient;

  beforeAll(async () => {
    pcscd = await startPcscd();
    slot = await claimVpcdSlot();
    const config = { session: { faceAttempts: 2 } };
    const wiring = await simulatorWiring(parseConfig(config), {
      emrtd: { vpcdPort: slot.port },
      seed: 1234,
      cameraPacing: 'virtual',
    });
    rig = wiring.rig;
    d = await startTestDaemon({ wiring, config });
    client = new KycdClient({ url: d.url, token: d.token, WebSocket: WebSocket as never });
    await client.connect();
  }, 120_000);

  afterAll(async () => {
    client?.close();
    await d?.close();
    slot?.release();
    await pcscd?.stop();
  });

  /** Collect a session's events by name. */
  function record(session: Session): Map<string, unknown[]> {
    const seen = new Map<string, unknown[]>();
    for (const name of [
      'session.state',
      'document.read',
      'document.progress',
      'liveness.challenge',
      'liveness.result',
      'match.result',
      'registration.status',
      'face.guidance',
      'face.preview',
    ] as const) {
      seen.set(name, []);
      session.on(name, (data: unknown) => seen.get(name)!.push(data));
    }
    return seen;
  }
  const waitFor = async (
    session: Session,
    predicate: () => boolean,
    timeoutMs = 60_000,
  ): Promise<void> => {
    const t0 = Date.now();
    while (!predicate()) {
      if (Date.now() - t0 > timeoutMs) throw new Error(`timed out in state ${session.state}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  const cleanUp = async (): Promise<void> => {
    await client.request('sim.removeDocument', {});
    await client.request('sim.removeFace', {});
  };
  afterEach(async () => {
    // A failed test must not leave its session active for the next one.
    for (const s of await client
      .request('session.get', { sessionId: lastSessionId ?? 'none' })
      .then(
        (v) => [v],
        () => [],
      )) {
      if (!['completed', 'failed', 'cancelled', 'expired'].includes(s.state))
        await client.cancelSession(s.sessionId).catch(() => undefined);
    }
    await cleanUp();
  });
  let lastSessionId: string | undefined;
  const start = async (): Promise<Session> => {
    const session = await client.startSession({ consent: CONSENT });
    lastSessionId = session.id;
    return session;
  };

  it('passport over PC/SC → liveness → match → signed registration delivered exactly once', async () => {
    await client.request('sim.presentFace', { behavior: 'live' });
    const session = await start();
    const events = record(session);
    await client.request('sim.insertDocument', { kind: 'emrtd', holder: HOLDER });
    await waitFor(session, () => /credentials/i.test(session.state));
    await session.provideMrz(MRZ_KEYS);
    await waitFor(
      session,
      () => session.state === 'registration.awaitingConfirmation' || session.isSettled,
      90_000,
    );
    expect(session.state).toBe('registration.awaitingConfirmation');

    const read = events.get('document.read')![0] as {
      accessControl: string;
      genuine: boolean;
      summary: Record<string, string>;
    };
    expect(read).toMatchObject({
      accessControl: 'PACE',
      genuine: true,
      summary: { fullName: 'WEI ZHANG', documentNumber: '*****5678' },
    });
    expect(events.get('document.progress')!.length).toBeGreaterThan(5);
    expect(events.get('liveness.challenge')).toHaveLength(3);
    expect(events.get('liveness.result')).toEqual([{ passed: true, reasons: [] }]);
    const match = events.get('match.result')![0] as {
      score: number;
      threshold: number;
      decision: string;
    };
    expect(match.decision).toBe('match');
    expect(match.score).toBeGreaterThan(match.threshold);

    const confirmed = await session.confirmRegistration({
      msisdn: '+8613800138000',
      operatorId: 'op-42',
    });
    const done = await session.completed;
    expect(done.state).toBe('completed');
    await waitFor(
      session,
      () =>
        events
          .get('registration.status')!
          .some((e) => (e as { status: string }).status === 'delivered'),
      20_000,
    );
    const received = rig.carrier
      .received()
      .filter((r) => r.registrationId === confirmed.registrationId);
    expect(received).toHaveLength(1);
    // Nothing biometric or unmasked reached the POS: no preview frames unless enabled.
    expect(JSON.stringify([...events.values()])).not.toContain('E12345678');
    expect(events.get('face.preview')).toHaveLength(0);
    await cleanUp();
  }, 150_000);

  it('a printed photo tilted before the camera fails liveness on every attempt; nothing is registered', async () => {
    const before = rig.carrier.received().length;
    await client.request('sim.presentFace', { behavior: 'print' });
    const session = await start();
    const events = record(session);
    await client.request('sim.insertDocument', { kind: 'emrtd', holder: HOLDER });
    await waitFor(session, () => /credentials/i.test(session.state));
    await session.provideMrz(MRZ_KEYS);
    const failure = await session.completed.then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(failure).toBeInstanceOf(KycdError);
    expect((failure as KycdError).code).toBe('session_face_attempts_exhausted');
    const results = events.get('liveness.result') as { passed: boolean; reasons: string[] }[];
    expect(results).toHaveLength(2);
    expect(results.every((r) => !r.passed && r.reasons.length > 0)).toBe(true);
    expect(events.get('match.result')).toHaveLength(0);
    expect(rig.carrier.received().length).toBe(before);
    // Why the customer was turned away stays with the session row (for review and `kycd
    // export`): each attempt's evidence record — verdict, timeline, scores, frame hashes.
    const stored = d.daemon.store.sessions.get(session.id);
    expect(stored?.failureCode).toBe('session_face_attempts_exhausted');
    const evidence = stored?.livenessEvidence as {
      passed: boolean;
      reasons: string[];
      frameHashes: { sha256: string }[];
      scores: { antiSpoofMean: number };
    }[];
    expect(evidence).toHaveLength(2);
    expect(evidence.map((e) => e.reasons)).toEqual(results.map((r) => r.reasons));
    for (const e of evidence) {
      expect(e.passed).toBe(false);
      expect(e.frameHashes.length).toBeGreaterThan(0);
      expect(e.frameHashes.every((f) => /^[0-9a-f]{64}$/.test(f.sha256))).toBe(true);
      expect(typeof e.scores.antiSpoofMean).toBe('number');
    }
    // numbers and hashes only: nothing image-sized, no embedding
    expect(JSON.stringify(evidence)).not.toMatch(/[A-Za-z0-9+/]{200,}|embedding/);
    await cleanUp();
  }, 150_000);

  it('a cloned chip is never called genuine: the session fails at the document step', async () => {
    await client.request('sim.presentFace', { behavior: 'live' });
    const session = await start();
    await client.request('sim.insertDocument', {
      kind: 'emrtd',
      holder: HOLDER,
      fault: 'chipClone',
    });
    await waitFor(session, () => /credentials/i.test(session.state));
    await session.provideMrz(MRZ_KEYS);
    const failure = (await session.completed.catch((e: unknown) => e)) as KycdError;
    // The session says which check failed: Chip Authentication (the clone lacks the private key).
    expect(failure.code).toBe('document_chip_authentication_failed');
    await cleanUp();
  }, 90_000);

  it('a clone that hides DG14/DG15 from EF.COM is caught: the data groups come from the signed EF.SOD', async () => {
    await client.request('sim.presentFace', { behavior: 'live' });
    const session = await start();
    await client.request('sim.insertDocument', {
      kind: 'emrtd',
      holder: HOLDER,
      fault: 'hideCloneDetection',
    });
    await waitFor(session, () => /credentials/i.test(session.state));
    await session.provideMrz(MRZ_KEYS);
    const failure = (await session.completed.catch((e: unknown) => e)) as KycdError;
    expect(failure).toBeInstanceOf(KycdError);
    expect(failure.code).toBe('document_chip_authentication_failed');
    await cleanUp();
  }, 90_000);

  it('a resident ID through the SAM reader on a serial line, photo from the (simulated) licensed decoder', async () => {
    await client.request('sim.presentFace', { behavior: 'live' });
    const session = await start();
    const events = record(session);
    await client.request('sim.insertDocument', { kind: 'cn-resident-id' });
    await waitFor(
      session,
      () => session.state === 'registration.awaitingConfirmation' || session.isSettled,
      90_000,
    );
    expect(session.snapshot.failure).toBeUndefined();
    expect(session.state).toBe('registration.awaitingConfirmation');
    expect(events.get('document.read')![0]).toMatchObject({
      kind: 'cn-resident-id',
      accessControl: 'SAM',
      genuine: true,
    });
    await session.cancel('customer left');
    await cleanUp();
  }, 120_000);

  it('a camera unplugged mid-liveness suspends the session; it resumes when the camera returns', async () => {
    await client.request('sim.presentFace', { behavior: 'live' });
    const session = await start();
    await client.request('sim.insertDocument', { kind: 'emrtd', holder: HOLDER });
    await waitFor(session, () => /credentials/i.test(session.state));
    await session.provideMrz(MRZ_KEYS);
    await waitFor(session, () => session.state.startsWith('face'), 60_000);
    const deviceStates: string[] = [];
    const off = client.on('device.changed', (data) => {
      if (data.device.id === 'sim-camera') deviceStates.push(data.device.state);
    });
    await client.request('sim.unplug', { deviceId: 'sim-camera' });
    await waitFor(session, () => session.state === 'suspended', 10_000);
    await client.request('sim.plug', { deviceId: 'sim-camera' });
    await waitFor(
      session,
      () => session.state === 'registration.awaitingConfirmation' || session.isSettled,
      90_000,
    );
    expect(session.snapshot.failure).toBeUndefined();
    expect(session.state).toBe('registration.awaitingConfirmation');
    // Every POS saw the camera go and come back through its device lifecycle; the resumed
    // capture held it (busy) and gave it back: once the session waits for confirmation the
    // camera is ready again, never left busy. (The release is broadcast on its own, so it may
    // reach the POS after the session's state; on a loaded machine the resumed capture can
    // also start as the camera turns ready, before a busy is seen.)
    const cameraState = async (): Promise<string | undefined> =>
      (await client.request('devices.list', {})).devices.find((d) => d.id === 'sim-camera')?.state;
    const t0 = Date.now();
    while ((await cameraState()) !== 'ready' && Date.now() - t0 < 5_000)
      await new Promise((r) => setTimeout(r, 50));
    expect(await cameraState()).toBe('ready');
    off();
    expect(deviceStates.slice(0, 4)).toEqual(['absent', 'present', 'opening', 'ready']);
    expect(deviceStates.at(-1)).toBe('ready');
    expect(deviceStates.slice(4).every((s, i) => s === (i % 2 === 0 ? 'busy' : 'ready'))).toBe(
      true,
    );
    await session.cancel();
    await cleanUp();
  }, 150_000);
});

describe('the optional camera preview', () => {
  it('sends low-rate JPEG frames to the POS during the face step when camera.preview is enabled', async () => {
    const config = { camera: { preview: { enabled: true, fps: 4 } } };
    const wiring = await simulatorWiring(parseConfig(config), {
      seed: 99,
      cameraPacing: 'virtual',
    });
    const d = await startTestDaemon({ wiring, config });
    const client = new KycdClient({ url: d.url, token: d.token, WebSocket: WebSocket as never });
    try {
      await client.connect();
      await client.request('sim.presentFace', { behavior: 'live' });
      const session = await client.startSession({ consent: CONSENT });
      const previews: { jpeg: string; width: number; height: number }[] = [];
      session.on('face.preview', (p) => previews.push(p));
      await client.request('sim.insertDocument', { kind: 'emrtd', holder: HOLDER });
      while (!/credentials/i.test(session.state)) await new Promise((r) => setTimeout(r, 50));
      await session.provideMrz(MRZ_KEYS);
      const t0 = Date.now();
      while (previews.length < 2 && Date.now() - t0 < 60_000)
        await new Promise((r) => setTimeout(r, 50));
      expect(previews.length).toBeGreaterThanOrEqual(2);
      expect(previews[0]).toMatchObject({ width: 320, height: 240 });
      expect(Buffer.from(previews[0]!.jpeg, 'base64').subarray(0, 2)).toEqual(
        Buffer.from([0xff, 0xd8]),
      );
      await session.cancel();
    } finally {
      client.close();
      await d.close();
    }
  }, 120_000);
});
