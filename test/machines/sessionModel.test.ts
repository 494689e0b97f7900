/**
 * The second layer of the session flow's model-based tests (see shared/STYLE.md): a small
 * abstract model of the flow — no `invoke`, no `after`, as `createTestModel` requires — whose
 * events drive the daemon's services and the POS requests, and whose states assert what the
 * daemon sent over the socket. Every shortest path of the model runs against a fresh daemon
 * with the real session machine and orchestrator; the services are scripted fakes that answer
 * when the model's event says so.
 */
import { KycdError } from '@kycd/plugin-sdk';
import {
  createSessionFlow,
  type DocumentReadResult,
  type SessionServices,
  type Wiring,
} from '@kycd/daemon';
import { afterEach, describe, expect, it } from 'vitest';
import { createMachine } from 'xstate';
import { createTestModel } from 'xstate/graph';
import { FAKE_DOCUMENT } from '../helpers/fakeServicesWiring.js';
import { RawClient, type Frame } from '../helpers/RawClient.js';
import { startTestDaemon, type TestDaemon } from '../helpers/startTestDaemon.js';

/** One call of a scripted service, answered by the test. */
interface Call<T> {
  resolve(value: T): void;
  reject(error: unknown): void;
}

/** The calls a scripted service received, handed out in order to whoever answers them. */
class Calls<T> {
  private readonly pending: Call<T>[] = [];
  private readonly waiters: ((call: Call<T>) => void)[] = [];

  /** The service side: wait until the test answers (a call aborted meanwhile is withdrawn). */
  take(signal?: AbortSignal): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const call = { resolve, reject };
      signal?.addEventListener('abort', () => {
        const at = this.pending.indexOf(call);
        if (at >= 0) this.pending.splice(at, 1);
      });
      const waiter = this.waiters.shift();
      if (waiter === undefined) this.pending.push(call);
      else waiter(call);
    });
  }

  /** The test side: the next unanswered call. */
  next(timeoutMs = 5_000): Promise<Call<T>> {
    const call = this.pending.shift();
    if (call !== undefined) return Promise.resolve(call);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the service was not called')), timeoutMs);
      this.waiters.push((c) => {
        clearTimeout(timer);
        resolve(c);
      });
    });
  }
}

/** Per-path timing: short session / suspension timeouts only for the paths that wait for them. */
interface PathTiming {
  sessionMs?: number;
  suspendedMs?: number;
}

const READER = { kind: 'documentReader', id: 'reader-0' } as const;

function scriptedWiring(timing: PathTiming = {}) {
  let onDevice: ((event: { type: 'lost' | 'restored'; device: typeof READER }) => void) | undefined;
  const reads = new Calls<DocumentReadResult>();
  const faces = new Calls<boolean>();
  const matches = new Calls<number>();
  const services: SessionServices = {
    presentDocument: () => undefined,
    watchDocument(onEvent) {
      queueMicrotask(() => onEvent({ type: 'presented', kind: 'emrtd' }));
      return () => undefined;
    },
    watchDevices(onEvent) {
      onDevice = onEvent;
      return () => (onDevice = undefined);
    },
    readDocument: ({ signal }) => reads.take(signal),
    async captureFace() {
      const passed = await faces.take();
      return {
        verdict: { passed, reasons: passed ? [] : ['liveness_challenge_timeout'] },
        bestFrame: { data: new Uint8Array(12), width: 2, height: 2 },
        evidence: {},
      };
    },
    async matchFace() {
      const score = await matches.take();
      // 0.30–0.35: too close to call, an operator decides (manualReview)
      return {
        score,
        threshold: 0.35,
        decision: score >= 0.35 ? 'match' : score >= 0.3 ? 'inconclusive' : 'no_match',
      };
    },
    submitRegistration: async () => ({ status: 'queued' }),
  };
  const wiring: Wiring = {
    flowFactory: (deps) => (session, start) =>
      createSessionFlow(session, start, {
        services,
        logger: deps.logger,
        flowConfig: {
          faceAttempts: 2,
          documentRetries: 1,
          documentRetryDelayMs: 5,
          faceRetryDelayMs: 5,
          manualReview: true,
          ...timing,
        },
      }),
  };
  return {
    wiring,
    reads,
    faces,
    matches,
    device: (type: 'lost' | 'restored') => onDevice?.({ type, device: READER }),
  };
}

/**
 * The abstract flow, as the POS experiences it with faceAttempts 2, documentRetries 1 and manual
 * review allowed; the reader can be unplugged while the chip is read or while the session waits
 * for an MRZ, and the session can run out of time.
 */
const sessionModel = createMachine({
  id: 'sessionModel',
  initial: 'reading',
  states: {
    reading: {
      on: {
        READ_OK: 'capturing',
        READ_NEEDS_MRZ: 'credentials',
        READ_CARD_REMOVED: 'rereading',
        READ_FORGED: 'failedDocument',
        READER_LOST: 'readingSuspended',
        EXPIRE: 'expired',
        CANCEL: 'cancelled',
      },
    },
    readingSuspended: {
      on: { READER_BACK: 'readingAfterLoss', SUSPEND_TIMEOUT: 'failedSuspended' },
    },
    readingAfterLoss: { on: { READ_OK: 'capturing' } },
    rereading: { on: { READ_OK: 'capturing', READ_CARD_REMOVED: 'failedRetries' } },
    credentials: {
      on: {
        PROVIDE_MRZ: 'readingWithMrz',
        READER_LOST: 'credentialsSuspended',
        CANCEL: 'cancelled',
      },
    },
    credentialsSuspended: { on: { READER_BACK: 'credentialsResumed' } },
    credentialsResumed: { on: { PROVIDE_MRZ: 'readingWithMrz' } },
    readingWithMrz: { on: { READ_OK: 'capturing' } },
    capturing: {
      on: { LIVENESS_PASS: 'matching', LIVENESS_FAIL: 'capturingAgain', CANCEL: 'cancelled' },
    },
    capturingAgain: { on: { LIVENESS_PASS: 'matching', LIVENESS_FAIL: 'failedLiveness' } },
    matching: {
      on: { MATCH: 'awaitingConfirmation', NO_MATCH: 'failedMatch', MATCH_INCONCLUSIVE: 'review' },
    },
    review: {
      on: { REVIEW_APPROVE: 'approvedAwaitingConfirmation', REVIEW_REJECT: 'failedReview' },
    },
    approvedAwaitingConfirmation: { on: { CONFIRM: 'completedAfterReview' } },
    awaitingConfirmation: { on: { CONFIRM: 'completed', CANCEL: 'cancelled' } },
    completed: { type: 'final' },
    completedAfterReview: { type: 'final' },
    cancelled: { type: 'final' },
    expired: { type: 'final' },
    failedSuspended: { type: 'final' },
    failedReview: { type: 'final' },
    failedDocument: { type: 'final' },
    failedRetries: { type: 'final' },
    failedLiveness: { type: 'final' },
    failedMatch: { type: 'final' },
  },
});

/** What the socket must show in each model state: the session.state and, if any, its reason code. */
const EXPECTED: Record<string, { state: string; reason?: string }> = {
  reading: { state: 'document.reading.accessControl' },
  rereading: { state: 'document.reading.accessControl' },
  credentials: { state: 'document.credentials', reason: 'document_credentials_required' },
  readingWithMrz: { state: 'document.reading.accessControl' },
  capturing: { state: 'face.capturing.positioning' },
  capturingAgain: { state: 'face.capturing.positioning' },
  matching: { state: 'match' },
  readingSuspended: { state: 'suspended', reason: 'session_device_lost' },
  readingAfterLoss: { state: 'document.reading.accessControl' },
  credentialsSuspended: { state: 'suspended', reason: 'session_device_lost' },
  // the pause comes back with the chip's reason, not without one
  credentialsResumed: { state: 'document.credentials', reason: 'document_credentials_required' },
  review: { state: 'review' },
  approvedAwaitingConfirmation: { state: 'registration.awaitingConfirmation' },
  completedAfterReview: { state: 'completed' },
  expired: { state: 'expired', reason: 'session_expired' },
  failedSuspended: { state: 'failed', reason: 'session_suspended_timeout' },
  failedReview: { state: 'failed', reason: 'session_review_rejected' },
  awaitingConfirmation: { state: 'registration.awaitingConfirmation' },
  completed: { state: 'completed' },
  cancelled: { state: 'cancelled', reason: 'session_cancelled' },
  failedDocument: { state: 'failed', reason: 'document_sod_invalid' },
  failedRetries: { state: 'failed', reason: 'session_document_retries_exhausted' },
  failedLiveness: { state: 'failed', reason: 'session_face_attempts_exhausted' },
  failedMatch: { state: 'failed', reason: 'session_face_no_match' },
};

/** States the daemon may report on the way between two model states. */
const PASSING = new Set([
  'consent',
  'document.waiting',
  'document.verifying',
  'document.retryWait',
  'face.retryWait',
  'registration.submitting',
]);

type StateFrame = Frame & { data: { state: string; step: string; reason?: { code: string } } };

describe('session flow over the socket, driven by an abstract model (createTestModel)', () => {
  const model = createTestModel(sessionModel);
  const paths = model.getShortestPaths();
  let daemon: TestDaemon | undefined;
  afterEach(async () => {
    await daemon?.close();
    daemon = undefined;
  });

  it('visits every model state on the way (paths that are prefixes of others are dropped)', () => {
    const visited = new Set(
      paths.flatMap((p) => [...p.steps.map((s) => String(s.state.value)), String(p.state.value)]),
    );
    expect(visited).toEqual(new Set(Object.keys(EXPECTED)));
  });

  it.each(paths.map((p) => [p.description, p] as const))('%s', async (_description, path) => {
    const events = new Set(path.steps.map((step) => step.event.type));
    const script = scriptedWiring({
      ...(events.has('EXPIRE') ? { sessionMs: 1_000 } : {}),
      ...(events.has('SUSPEND_TIMEOUT') ? { suspendedMs: 300 } : {}),
    });
    daemon = await startTestDaemon({ wiring: script.wiring });
    const c = await RawClient.hello(daemon.url, daemon.token);
    const started = await c.request('session.start', {
      consent: { accepted: true, textVersion: '2026-01' },
    });
    const sessionId = (started.result as { sessionId: string }).sessionId;
    let cursor = 0; // session.state frames already accounted for

    const stateFrames = (): StateFrame[] =>
      c.frames.filter(
        (f): f is StateFrame => f.event === 'session.state' && f.sessionId === sessionId,
      );
    const expectNext = async (key: string): Promise<void> => {
      const want = EXPECTED[key]!;
      const isWanted = (f: StateFrame) => f.data.state === want.state;
      await c.event(
        'session.state',
        (f) =>
          f.sessionId === sessionId &&
          stateFrames().indexOf(f as StateFrame) >= cursor &&
          isWanted(f as StateFrame),
      );
      const frames = stateFrames();
      const at = frames.findIndex((f, i) => i >= cursor && isWanted(f));
      const between = frames.slice(cursor, at).map((f) => f.data.state);
      expect(
        between.filter((s) => !PASSING.has(s)),
        `states before ${want.state}`,
      ).toEqual([]);
      expect(frames[at]!.data.reason?.code).toBe(want.reason);
      cursor = at + 1;
    };

    await path.test({
      states: Object.fromEntries(Object.keys(EXPECTED).map((key) => [key, () => expectNext(key)])),
      events: {
        READ_OK: async () => (await script.reads.next()).resolve(FAKE_DOCUMENT),
        READ_NEEDS_MRZ: async () =>
          (await script.reads.next()).reject(
            new KycdError('document_credentials_required', 'PACE needs the MRZ'),
          ),
        READ_CARD_REMOVED: async () =>
          (await script.reads.next()).reject(
            new KycdError('document_card_removed', 'the card left the field'),
          ),
        READ_FORGED: async () =>
          (await script.reads.next()).reject(
            new KycdError('document_sod_invalid', 'the SOD signature does not verify'),
          ),
        PROVIDE_MRZ: async () => {
          const res = await c.request('session.provideMrz', {
            sessionId,
            documentNumber: 'L898902C3',
            birthDate: '740812',
            expiryDate: '120415',
          });
          expect(res.result).toEqual({ accepted: true });
        },
        LIVENESS_PASS: async () => (await script.faces.next()).resolve(true),
        LIVENESS_FAIL: async () => (await script.faces.next()).resolve(false),
        MATCH: async () => (await script.matches.next()).resolve(0.8),
        NO_MATCH: async () => (await script.matches.next()).resolve(0.1),
        MATCH_INCONCLUSIVE: async () => (await script.matches.next()).resolve(0.32),
        REVIEW_APPROVE: async () => {
          const res = await c.request('session.review', {
            sessionId,
            operatorId: 'op-9',
            approve: true,
          });
          expect(res.result).toMatchObject({ review: { operatorId: 'op-9', approve: true } });
        },
        REVIEW_REJECT: async () => {
          const res = await c.request('session.review', {
            sessionId,
            operatorId: 'op-9',
            approve: false,
          });
          expect(res.result).toMatchObject({
            state: 'failed',
            review: { operatorId: 'op-9', approve: false },
          });
        },
        READER_LOST: () => script.device('lost'),
        READER_BACK: () => script.device('restored'),
        // the short timeout of this path runs out on its own
        SUSPEND_TIMEOUT: () => undefined,
        EXPIRE: () => undefined,
        CONFIRM: async () => {
          const res = await c.request('session.confirmRegistration', {
            sessionId,
            msisdn: '+8613800138000',
            operatorId: 'op-7',
          });
          expect(res.error).toBeUndefined();
        },
        CANCEL: async () => {
          const res = await c.request('session.cancel', { sessionId });
          expect(res.result).toMatchObject({ state: 'cancelled' });
        },
      },
    });
    const get = await c.request('session.get', { sessionId });
    const final = String(path.state.value);
    expect((get.result as { state: string }).state).toBe(EXPECTED[final]!.state);
    // a completed session's registration is in the outbox, queued for the carrier
    if (final.startsWith('completed'))
      expect(get.result).toMatchObject({ registration: { status: 'queued' } });
    if (final === 'completedAfterReview')
      expect(get.result).toMatchObject({ review: { operatorId: 'op-9', approve: true } });
    c.close();
  });
});
