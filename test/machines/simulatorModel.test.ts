/**
 * The second layer of the session flow's model-based tests (see shared/STYLE.md), on the
 * hardware simulator: a small abstract model of a shop session — no `invoke`, no `after`, as
 * `createTestModel` requires — whose events drive the simulator (a passport, a cloned passport
 * or a resident ID on the readers; a live person or a printed photo before the camera; the
 * camera's cable) and the POS requests, and whose states assert what the daemon sent over the
 * socket. The daemon is the real one — flow, eMRTD and SAM protocols, ONNX liveness and match,
 * signed registration delivered to the reference carrier — started once for every path.
 *
 * The customer steps before the camera only when the face step has begun (the model's face
 * events are sent in `face.capturing.positioning`), so every model state is a resting point of the flow:
 * nobody there keeps the face step positioning (the positioning deadline is raised for that).
 */
import { parseConfig } from '@kycd/daemon';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createMachine } from 'xstate';
import { createTestModel } from 'xstate/graph';
import { simulatorWiring, type SimulatorRig } from '@kycd/daemon/sim';
import { RawClient, type Frame } from '../helpers/RawClient.js';
import { startTestDaemon, type TestDaemon } from '../helpers/startTestDaemon.js';

/** One face attempt keeps the attack paths short; nobody before the camera waits (virtual time). */
const CONFIG = { session: { faceAttempts: 1 }, liveness: { positioningDeadlineMs: 120_000 } };
const CONSENT = { accepted: true, textVersion: '2026-01' };
const HOLDER = {
  surname: 'Zhang',
  givenNames: 'Wei',
  documentNumber: 'E12345678',
  nationality: 'CHN',
  birthDate: '1990-03-07',
  expiryDate: '2031-05-20',
  sex: 'male',
};
const MRZ_KEYS = { documentNumber: 'E12345678', birthDate: '900307', expiryDate: '310520' };
const CAMERA = 'sim-camera';
const READER = 'sim-emrtd-reader';
/** Generous: liveness runs the real models on a shared, loaded machine. */
const STEP_TIMEOUT_MS = 60_000;
const PATH_TIMEOUT_MS = 180_000;
const FINAL_STATES = ['completed', 'failed', 'cancelled', 'expired'];

/** A shop session as the POS and the customer experience it, with faceAttempts 1. */
const simulatorModel = createMachine({
  id: 'simulatorModel',
  initial: 'waitingForDocument',
  states: {
    waitingForDocument: {
      on: {
        INSERT_PASSPORT: 'passportCredentials',
        INSERT_CLONED_PASSPORT: 'clonedCredentials',
        INSERT_RESIDENT_ID: 'residentFace',
        CANCEL: 'cancelled',
      },
    },
    passportCredentials: {
      on: { PROVIDE_MRZ: 'passportFace', UNPLUG_READER: 'readerSuspended', CANCEL: 'cancelled' },
    },
    readerSuspended: { on: { PLUG_READER: 'passportCredentialsResumed' } },
    passportCredentialsResumed: { on: { CANCEL: 'cancelled' } },
    clonedCredentials: { on: { PROVIDE_MRZ: 'failedChip' } },
    passportFace: {
      on: {
        PRESENT_LIVE_FACE: 'passportConfirming',
        PRESENT_PRINT_ATTACK: 'failedLiveness',
        UNPLUG_CAMERA: 'suspended',
        CANCEL: 'cancelled',
      },
    },
    suspended: { on: { PLUG_CAMERA: 'resumedFace' } },
    resumedFace: { on: { PRESENT_LIVE_FACE: 'resumedConfirming' } },
    resumedConfirming: { on: { CANCEL: 'cancelledAtConfirmation', CONFIRM: 'completed' } },
    residentFace: { on: { PRESENT_LIVE_FACE: 'residentConfirming' } },
    passportConfirming: { on: { CONFIRM: 'completed', CANCEL: 'cancelledAtConfirmation' } },
    residentConfirming: { on: { CONFIRM: 'residentCompleted' } },
    completed: { type: 'final' },
    residentCompleted: { type: 'final' },
    cancelled: { type: 'final' },
    cancelledAtConfirmation: { type: 'final' },
    failedChip: { type: 'final' },
    failedLiveness: { type: 'final' },
  },
});

/** States the daemon may report on the way between two model states. */
const PASSING = new Set([
  'consent',
  'document.reading.accessControl',
  'document.reading.files',
  'document.reading.authenticity',
  'document.verifying',
  'face.capturing.liveness',
  'face.capturing.bestFrame',
  'match',
  'registration.submitting',
]);

type StateFrame = Frame & {
  sessionId: string;
  data: { state: string; step: string; reason?: { code: string } };
};
interface DocumentRead {
  kind: string;
  accessControl: string;
  genuine: boolean;
  summary: Record<string, string>;
}
interface MatchResult {
  score: number;
  threshold: number;
  decision: string;
}
interface LivenessResult {
  passed: boolean;
  reasons: string[];
}
interface RegistrationStatus {
  registrationId: string;
  status: string;
}

/** Every transition of the model, as `state:EVENT`. */
function transitionsOf(config: {
  states?: Record<string, { on?: Record<string, unknown> }>;
}): Set<string> {
  return new Set(
    Object.entries(config.states ?? {}).flatMap(([state, node]) =>
      Object.keys(node.on ?? {}).map((event) => `${state}:${event}`),
    ),
  );
}

describe('session flow on the hardware simulator, driven by an abstract model (createTestModel)', () => {
  const model = createTestModel(simulatorModel);
  // The test model's shortest paths reach every (state, incoming event) pair and drop the ones
  // that are prefixes of others; keep those that end in a final state (the session settled, so
  // the path asserted its outcome).
  const paths = model.getShortestPaths().filter((p) => p.state.status === 'done');
  let d: TestDaemon;
  let rig: SimulatorRig;
  let c: RawClient;
  let sessionId: string | undefined;

  beforeAll(async () => {
    const wiring = await simulatorWiring(parseConfig(CONFIG), {
      emrtd: 'memory',
      seed: 1234,
      cameraPacing: 'virtual',
    });
    rig = wiring.rig;
    d = await startTestDaemon({ wiring, config: CONFIG });
    c = await RawClient.hello(d.url, d.token);
  }, 120_000);

  afterAll(async () => {
    c?.close();
    await d?.close();
  });

  /** Between paths: end the session if it is still running, take everything off the devices. */
  afterEach(async () => {
    if (rig.camera.unplugged) await c.request('sim.plug', { deviceId: CAMERA });
    if (d.daemon.devices.get(READER)?.state === 'absent')
      await c.request('sim.plug', { deviceId: READER });
    if (sessionId !== undefined) {
      const got = await c.request('session.get', { sessionId });
      const state = (got.result as { state?: string } | undefined)?.state;
      if (state !== undefined && !FINAL_STATES.includes(state))
        await c.request('session.cancel', { sessionId });
    }
    await c.request('sim.removeFace', {});
    await c.request('sim.removeDocument', {});
    sessionId = undefined;
  });

  it('takes every transition of the model and visits every model state', () => {
    const visited = new Set(
      paths.flatMap((p) => [...p.steps.map((s) => String(s.state.value)), String(p.state.value)]),
    );
    expect(visited).toEqual(new Set(Object.keys(simulatorModel.config.states ?? {})));
    const taken = new Set(
      paths.flatMap((p) =>
        p.steps.slice(1).map((s, i) => `${String(p.steps[i]!.state.value)}:${s.event.type}`),
      ),
    );
    expect(taken).toEqual(
      transitionsOf(simulatorModel.config as Parameters<typeof transitionsOf>[0]),
    );
  });

  it.each(paths.map((p) => [p.description, p] as const))(
    '%s',
    async (_description, path) => {
      const started = await c.request('session.start', { consent: CONSENT });
      expect(started.error).toBeUndefined();
      const id = (started.result as { sessionId: string }).sessionId;
      sessionId = id;
      const carrierBefore = rig.carrier.received().length;
      let registrationId: string | undefined;
      let cursor = 0; // this session's session.state frames already accounted for

      const mine = <T>(event: string): T[] =>
        c.frames.filter((f) => f.event === event && f.sessionId === id).map((f) => f.data as T);
      const stateFrames = (): StateFrame[] =>
        c.frames.filter((f): f is StateFrame => f.event === 'session.state' && f.sessionId === id);
      /** The next session.state must be `state` (with `reason`), passing only through PASSING states. */
      const expectNext = async (state: string, reason?: string): Promise<void> => {
        await c.event(
          'session.state',
          (f) =>
            f.sessionId === id &&
            stateFrames().indexOf(f as StateFrame) >= cursor &&
            (f as StateFrame).data.state === state,
          STEP_TIMEOUT_MS,
        );
        const frames = stateFrames();
        const at = frames.findIndex((f, i) => i >= cursor && f.data.state === state);
        const between = frames.slice(cursor, at).map((f) => f.data.state);
        expect(
          between.filter((s) => !PASSING.has(s)),
          `states before ${state}`,
        ).toEqual([]);
        expect(frames[at]!.data.reason?.code, `reason of ${state}`).toBe(reason);
        cursor = at + 1;
      };
      const expectPassportRead = (): void => {
        expect(mine<DocumentRead>('document.read')).toEqual([
          expect.objectContaining({
            kind: 'emrtd',
            accessControl: 'PACE',
            genuine: true,
            summary: expect.objectContaining({
              fullName: 'WEI ZHANG',
              documentNumber: '*****5678',
            }),
          }),
        ]);
      };
      const expectMatched = (): void => {
        expect(mine<LivenessResult>('liveness.result')).toEqual([{ passed: true, reasons: [] }]);
        const matches = mine<MatchResult>('match.result');
        expect(matches).toHaveLength(1);
        expect(matches[0]!.decision).toBe('match');
        expect(matches[0]!.score).toBeGreaterThan(matches[0]!.threshold);
      };
      const expectDelivered = async (): Promise<void> => {
        expect(registrationId).toBeDefined();
        await c.event(
          'registration.status',
          (f) => f.sessionId === id && (f.data as RegistrationStatus).status === 'delivered',
          STEP_TIMEOUT_MS,
        );
        const delivered = rig.carrier.received().filter((r) => r.registrationId === registrationId);
        expect(delivered).toHaveLength(1);
        expect(rig.carrier.received().length).toBe(carrierBefore + 1);
      };
      const expectNothingRegistered = (): void => {
        expect(mine<RegistrationStatus>('registration.status')).toEqual([]);
        expect(rig.carrier.received().length).toBe(carrierBefore);
      };
      const sim = async (method: string, params: Record<string, unknown>): Promise<void> => {
        const res = await c.request(method, params);
        expect(res.error, method).toBeUndefined();
        expect(res.result).toEqual({ ok: true });
      };

      await path.test({
        states: {
          waitingForDocument: () => expectNext('document.waiting'),
          passportCredentials: () =>
            expectNext('document.credentials', 'document_credentials_required'),
          clonedCredentials: () =>
            expectNext('document.credentials', 'document_credentials_required'),
          passportFace: async () => {
            await expectNext('face.capturing.positioning');
            expectPassportRead();
            expect(mine('liveness.result')).toEqual([]);
          },
          residentFace: async () => {
            await expectNext('face.capturing.positioning');
            expect(mine<DocumentRead>('document.read')).toEqual([
              expect.objectContaining({
                kind: 'cn-resident-id',
                accessControl: 'SAM',
                genuine: true,
              }),
            ]);
          },
          suspended: async () => {
            await expectNext('suspended', 'session_device_lost');
            const got = await c.request('session.get', { sessionId: id });
            expect(got.result).toMatchObject({ state: 'suspended' });
          },
          resumedFace: () => expectNext('face.capturing.positioning'),
          readerSuspended: async () => {
            await expectNext('suspended', 'session_device_lost');
            const got = await c.request('session.get', { sessionId: id });
            expect(got.result).toMatchObject({ state: 'suspended', step: 'document' });
          },
          // back where it paused, still saying what the chip wants
          passportCredentialsResumed: () =>
            expectNext('document.credentials', 'document_credentials_required'),
          passportConfirming: async () => {
            await expectNext('registration.awaitingConfirmation');
            expectPassportRead();
            expectMatched();
          },
          resumedConfirming: async () => {
            await expectNext('registration.awaitingConfirmation');
            expectPassportRead();
            // The attempt the unplug interrupted gave no verdict; the resumed one matched.
            expectMatched();
          },
          residentConfirming: async () => {
            await expectNext('registration.awaitingConfirmation');
            expectMatched();
          },
          completed: async () => {
            await expectNext('completed');
            await expectDelivered();
          },
          residentCompleted: async () => {
            await expectNext('completed');
            await expectDelivered();
          },
          cancelled: async () => {
            await expectNext('cancelled', 'session_cancelled');
            expectNothingRegistered();
          },
          cancelledAtConfirmation: async () => {
            await expectNext('cancelled', 'session_cancelled');
            expectNothingRegistered();
          },
          failedChip: async () => {
            await expectNext('failed', 'document_chip_authentication_failed');
            // A clone is never called genuine, and the flow never reached the camera.
            expect(mine<DocumentRead>('document.read').filter((r) => r.genuine)).toEqual([]);
            expect(mine('liveness.result')).toEqual([]);
            expectNothingRegistered();
          },
          failedLiveness: async () => {
            await expectNext('failed', 'session_face_attempts_exhausted');
            const results = mine<LivenessResult>('liveness.result');
            expect(results).toHaveLength(1);
            expect(results[0]!.passed).toBe(false);
            expect(results[0]!.reasons.length).toBeGreaterThan(0);
            expect(mine('match.result')).toEqual([]);
            expectNothingRegistered();
          },
        },
        events: {
          INSERT_PASSPORT: () => sim('sim.insertDocument', { kind: 'emrtd', holder: HOLDER }),
          INSERT_CLONED_PASSPORT: () =>
            sim('sim.insertDocument', { kind: 'emrtd', holder: HOLDER, fault: 'chipClone' }),
          INSERT_RESIDENT_ID: () => sim('sim.insertDocument', { kind: 'cn-resident-id' }),
          PROVIDE_MRZ: async () => {
            const res = await c.request('session.provideMrz', { sessionId: id, ...MRZ_KEYS });
            expect(res.result).toEqual({ accepted: true });
          },
          PRESENT_LIVE_FACE: () => sim('sim.presentFace', { behavior: 'live' }),
          PRESENT_PRINT_ATTACK: () => sim('sim.presentFace', { behavior: 'print' }),
          UNPLUG_CAMERA: () => sim('sim.unplug', { deviceId: CAMERA }),
          PLUG_CAMERA: () => sim('sim.plug', { deviceId: CAMERA }),
          UNPLUG_READER: () => sim('sim.unplug', { deviceId: READER }),
          PLUG_READER: () => sim('sim.plug', { deviceId: READER }),
          CONFIRM: async () => {
            const res = await c.request('session.confirmRegistration', {
              sessionId: id,
              msisdn: '+8613800138000',
              operatorId: 'op-7',
            });
            expect(res.error).toBeUndefined();
            registrationId = (res.result as { registrationId: string }).registrationId;
          },
          CANCEL: async () => {
            const res = await c.request('session.cancel', { sessionId: id });
            expect(res.result).toMatchObject({ state: 'cancelled' });
          },
        },
      });
      // Nothing unmasked reached the POS.
      expect(JSON.stringify(c.frames.filter((f) => f.sessionId === id))).not.toContain('E12345678');
    },
    PATH_TIMEOUT_MS,
  );
});
