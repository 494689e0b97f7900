import { beforeAll, describe, expect, it } from 'vitest';
import {
  createActor,
  fromCallback,
  fromPromise,
  transition,
  type AnyEventObject,
  type EventObject,
} from 'xstate';
import { getShortestPaths, getSimplePaths, getStateNodes, type StatePath } from 'xstate/graph';
import {
  ALL_SESSION_EVENTS,
  CONSENT,
  EXTERNAL_EVENTS,
  SESSION_ID,
} from '../__fixtures__/sessionEvents.js';
import { emittedOf, replayEvents } from '../__fixtures__/replayEvents.js';
import { delayedEventsOf } from '../__fixtures__/delayedEventsOf.js';
import { isLiveActorEvent } from '../__fixtures__/isLiveActorEvent.js';
import { DEFAULT_SESSION_FLOW_CONFIG, type SessionFlowConfig } from './SessionFlowConfig.js';
import { sessionMachine } from './sessionMachine.js';
import { sessionStateOf } from './sessionStateOf.js';
import type {
  FaceMatchResult,
  MatchFaceInput,
  RegistrationConfirmation,
  RegistrationSubmitResult,
  SessionEmitted,
  SessionInput,
} from './sessionTypes.js';

type Snap = ReturnType<typeof sessionMachine.transition>;
type Path = StatePath<Snap, EventObject>;

/** The parts of a snapshot the assertions look at; coarser than the default keeps traversals small. */
function serializeState(snapshot: Snap): string {
  const c = snapshot.context;
  return JSON.stringify([
    snapshot.value,
    c.documentPresent,
    c.documentAttempt,
    c.credentialAttempts,
    c.faceAttempt,
    c.reason?.code,
    c.lostDevices.map((d) => d.id),
    c.document?.genuine,
    c.document?.hasPhoto,
    c.liveness?.passed,
    c.match?.decision,
    c.review?.approve,
    c.registration?.status,
  ]);
}

/** Events that apply in (nearly) every state; their tests append them to every shortest path instead. */
const EVERYWHERE = new Set(['CANCEL', 'xstate.after.sessionMs.session']);
const isDeviceEvent = (e: EventObject): boolean =>
  e.type.startsWith('DEVICE.') || e.type.includes('suspendedMs');

function traverse(
  input: SessionInput,
  events: readonly EventObject[],
  filter: (e: EventObject) => boolean,
): Path[] {
  return getShortestPaths(sessionMachine, {
    input,
    events: events.filter(filter) as never,
    filterEvents: isLiveActorEvent,
    serializeState,
    limit: 200_000,
  }) as Path[];
}

const eventsOf = (path: Path): EventObject[] =>
  path.steps.map((s) => s.event).filter((e) => e.type !== 'xstate.init');
type SessionStateEvent = Extract<SessionEmitted, { type: 'session.state' }>;
const sessionStates = (emitted: readonly EventObject[]): SessionStateEvent[] =>
  emitted.filter((e): e is SessionStateEvent => e.type === 'session.state');
const replay = (input: SessionInput, events: readonly AnyEventObject[]) =>
  replayEvents(sessionMachine, input, events);
const lastStateEvent = (emitted: readonly EventObject[]) => sessionStates(emitted).at(-1);

/** All atomic and final state strings the machine defines (history pseudo-states excluded). */
function definedStateStrings(): string[] {
  return getStateNodes(sessionMachine.root)
    .filter((node) => node.type === 'atomic' || node.type === 'final')
    .map((node) => node.path.filter((key: string) => key !== 'active').join('.'));
}

describe('sessionMachine (graph traversal of the production machine)', () => {
  const withoutReview: SessionInput = { sessionId: SESSION_ID, config: { manualReview: false } };
  const withReview: SessionInput = { sessionId: SESSION_ID, config: { manualReview: true } };
  const ALL = [...ALL_SESSION_EVENTS, ...delayedEventsOf(sessionMachine)];
  let plain: Path[] = [];
  let reviewed: Path[] = [];
  let devices: Path[] = [];
  /** The events that lead to `match`, where the `reviewed` traversal starts. */
  let reviewedPrefix: EventObject[] = [];
  beforeAll(() => {
    const flow = (e: EventObject) => !EVERYWHERE.has(e.type) && !isDeviceEvent(e);
    plain = traverse(withoutReview, ALL, flow);
    // manual review changes only what follows the match: traverse from the match state
    const atMatch = plain.find(
      (p) => p.state.value !== null && sessionStateOf(p.state).state === 'match',
    );
    const toMatch = atMatch === undefined ? [] : eventsOf(atMatch);
    const fromState = replay(withReview, toMatch).snapshot;
    reviewed = getShortestPaths(sessionMachine, {
      input: withReview,
      fromState,
      events: ALL.filter(flow) as never,
      filterEvents: isLiveActorEvent,
      serializeState,
      limit: 200_000,
    }) as Path[];
    reviewedPrefix = toMatch;
    // device loss and return, over the flow's success events and the step timeouts
    devices = traverse(withoutReview, ALL, (e) => {
      if (EVERYWHERE.has(e.type)) return false;
      if (isDeviceEvent(e) || e.type.includes('RetryDelayMs')) return true;
      if (e.type.startsWith('xstate.after.')) return false;
      const output = (e as { output?: { genuine?: boolean; passed?: boolean; decision?: string } })
        .output;
      if (e.type.startsWith('xstate.error.actor.')) return e.type.endsWith('readDocument');
      return (
        output === undefined ||
        (output.genuine !== false && output.passed !== false && output.decision !== 'no_match')
      );
    });
  });

  const find = (paths: Path[], predicate: (s: Snap) => boolean): Path => {
    const found = paths.filter((p) => predicate(p.state)).sort((a, b) => a.weight - b.weight)[0];
    if (found === undefined) throw new Error('no path reaches the requested state');
    return found;
  };
  const failedWith = (code: string) => (s: Snap) =>
    s.value === 'failed' && s.context.reason?.code === code;

  it('never puts the machine in an error status (every actor failure is handled)', () => {
    for (const path of [...plain, ...reviewed, ...devices])
      expect(path.state.status).not.toBe('error');
  });

  it('reaches every state the machine defines (as a snapshot or, for transient ones, an emitted state)', () => {
    const reached = new Set<string>();
    for (const path of [...plain, ...reviewed, ...devices]) {
      reached.add(sessionStateOf(path.state).state);
      const last = path.steps.at(-1);
      const before = path.steps.at(-2);
      if (last === undefined || before === undefined) continue;
      const [, actions] = transition(sessionMachine, before.state, last.event as never);
      for (const e of sessionStates(emittedOf(actions))) reached.add(e.state);
    }
    reached.add(sessionStateOf(replay(withoutReview, [{ type: 'CANCEL' }]).snapshot).state);
    reached.add(
      sessionStateOf(replay(withoutReview, [{ type: 'xstate.after.sessionMs.session' }]).snapshot)
        .state,
    );
    expect([...reached].sort()).toEqual(definedStateStrings().sort());
  });

  it('emits session.state on every transition that changes the state, matching sessionStateOf(snapshot)', () => {
    let checked = 0;
    for (const path of [...plain, ...reviewed, ...devices]) {
      const last = path.steps.at(-1);
      const before = path.steps.at(-2);
      if (last === undefined || before === undefined) continue;
      const [next, actions] = transition(sessionMachine, before.state, last.event as never);
      expect(next.value).toEqual(path.state.value);
      const emitted = emittedOf(actions);
      const view = sessionStateOf(next);
      if (view.state !== sessionStateOf(before.state).state) {
        const lastState = lastStateEvent(emitted);
        expect(lastState, `${view.state} via ${last.event.type}`).toBeDefined();
        expect({ state: lastState!.state, step: lastState!.step }).toEqual(view);
        // the reason travels with every state (and only when the context has one)
        expect(lastState!.reason, `${view.state} via ${last.event.type}`).toEqual(
          next.context.reason,
        );
        checked++;
      } else {
        expect(sessionStates(emitted)).toEqual([]);
      }
    }
    expect(checked).toBeGreaterThan(300);
  });

  it('ends in completed with the submission status, output and a completed event', () => {
    for (const status of ['delivered', 'queued'] as const) {
      const path = find(
        plain,
        (s) => s.value === 'completed' && s.context.registration?.status === status,
      );
      const r = replay(withoutReview, eventsOf(path));
      expect(r.snapshot.status).toBe('done');
      expect(r.snapshot.output).toMatchObject({
        sessionId: SESSION_ID,
        status: 'completed',
        registration: { status },
        match: { decision: 'match' },
        liveness: { passed: true },
        document: { genuine: true, hasPhoto: true },
      });
      expect(sessionStates(r.emitted).map((e) => e.state)).toEqual([
        'consent',
        'document.waiting',
        'document.reading.accessControl',
        'document.verifying',
        'face.capturing.positioning',
        'match',
        'registration.awaitingConfirmation',
        'registration.submitting',
        'completed',
      ]);
      expect(lastStateEvent(r.emitted)).toEqual({
        type: 'session.state',
        state: 'completed',
        step: 'done',
      });
    }
  });

  it.each([
    ['session_consent_wait_timeout', 'xstate.after.consentWaitMs.session.active.consent'],
    [
      'session_document_wait_timeout',
      'xstate.after.documentWaitMs.session.active.document.waiting',
    ],
    [
      'session_credentials_wait_timeout',
      'xstate.after.credentialsWaitMs.session.active.document.credentials',
    ],
    [
      'session_document_read_timeout',
      'xstate.after.documentReadMs.session.active.document.reading',
    ],
    ['session_face_timeout', 'xstate.after.faceMs.session.active.face.capturing'],
    ['session_match_timeout', 'xstate.after.matchMs.session.active.match'],
    [
      'session_confirm_wait_timeout',
      'xstate.after.confirmWaitMs.session.active.registration.awaitingConfirmation',
    ],
    [
      'session_registration_timeout',
      'xstate.after.registrationMs.session.active.registration.submitting',
    ],
    ['session_suspended_timeout', 'xstate.after.suspendedMs.session.suspended'],
  ])('fails with %s when its named timeout fires', (code, afterEvent) => {
    const path = find(code === 'session_suspended_timeout' ? devices : plain, failedWith(code));
    const events = eventsOf(path);
    expect(events.at(-1)?.type).toBe(afterEvent);
    const r = replay(withoutReview, events);
    expect(lastStateEvent(r.emitted)).toMatchObject({
      state: 'failed',
      step: 'done',
      reason: { code },
    });
    expect(r.snapshot.output).toMatchObject({ status: 'failed', reason: { code } });
  });

  it('fails with the review timeout when no operator decides', () => {
    const path = find(reviewed, failedWith('session_review_wait_timeout'));
    expect(eventsOf(path).at(-1)?.type).toBe('xstate.after.reviewWaitMs.session.active.review');
  });

  /** One shortest path per distinct (state value, reason) among non-final states. */
  const distinctActive = (): Path[] => {
    const byState = new Map<string, Path>();
    for (const path of [...plain, ...reviewed, ...devices]) {
      if (path.state.status !== 'active') continue;
      const key = JSON.stringify([path.state.value, path.state.context.reason?.code]);
      if (!byState.has(key)) byState.set(key, path);
    }
    return [...byState.values()];
  };

  it('expires from every non-final state when the session timeout fires', () => {
    const paths = distinctActive();
    const states = new Set(paths.map((p) => sessionStateOf(p.state).state));
    const transient = new Set(['document.verifying']);
    const finals = new Set(['completed', 'failed', 'cancelled', 'expired']);
    expect([...states].sort()).toEqual(
      definedStateStrings()
        .filter((s) => !transient.has(s) && !finals.has(s))
        .sort(),
    );
    for (const path of paths) {
      const [next, actions] = transition(sessionMachine, path.state, {
        type: 'xstate.after.sessionMs.session',
      } as never);
      expect(next.value).toBe('expired');
      const emitted = emittedOf(actions);
      expect(emitted).toEqual([
        {
          type: 'session.state',
          state: 'expired',
          step: 'done',
          reason: { code: 'session_expired', message: 'the session timed out' },
        },
      ]);
      expect(next.output).toMatchObject({ status: 'expired', sessionId: SESSION_ID });
    }
  });

  it('cancels from every non-final state on CANCEL, with the reason', () => {
    for (const path of distinctActive()) {
      const [next, actions] = transition(sessionMachine, path.state, {
        type: 'CANCEL',
        reason: 'customer left',
      });
      expect(next.value).toBe('cancelled');
      const emitted = emittedOf(actions);
      expect(emitted).toEqual([
        {
          type: 'session.state',
          state: 'cancelled',
          step: 'done',
          reason: { code: 'session_cancelled', message: 'customer left' },
        },
      ]);
      expect(next.output).toMatchObject({ status: 'cancelled' });
    }
  });

  it('ignores unknown events in every state (no transition, no emission)', () => {
    for (const path of distinctActive()) {
      for (const event of [
        { type: 'NOT.AN.EVENT' },
        { type: 'xstate.done.actor.nobody', output: 1 },
        { type: 'session.state' },
      ]) {
        const [next, actions] = transition(sessionMachine, path.state, event as never);
        expect(next.value).toEqual(path.state.value);
        expect(next.context).toEqual(path.state.context);
        expect(emittedOf(actions)).toEqual([]);
      }
    }
  });

  it('re-reads after transient card errors up to documentRetries, then fails', () => {
    const path = find(plain, failedWith('session_document_retries_exhausted'));
    const r = replay(withoutReview, eventsOf(path));
    const reads = eventsOf(path).filter((e) => e.type === 'xstate.error.actor.readDocument');
    expect(reads).toHaveLength(DEFAULT_SESSION_FLOW_CONFIG.documentRetries + 1);
    expect(r.snapshot.context.documentAttempt).toBe(
      DEFAULT_SESSION_FLOW_CONFIG.documentRetries + 1,
    );
    const retryStates = sessionStates(r.emitted).filter((e) => e.state === 'document.retryWait');
    expect(retryStates).toHaveLength(DEFAULT_SESSION_FLOW_CONFIG.documentRetries);
    expect(retryStates[0]?.reason?.code).toBe('document_card_removed');
  });

  it('goes back to waiting after a transient error when the card was removed, and reads again when re-presented', () => {
    const r = replay(withoutReview, [
      { type: 'DOCUMENT.PRESENTED', documentKind: 'emrtd' },
      {
        type: 'xstate.error.actor.readDocument',
        error: { code: 'document_card_removed', message: 'pulled' },
      },
      { type: 'DOCUMENT.REMOVED' },
      { type: 'xstate.after.documentRetryDelayMs.session.active.document.retryWait' },
    ]);
    // Without consent in input the session waits in `consent`: nothing above applies.
    expect(sessionStateOf(r.snapshot).state).toBe('consent');
    const withConsent: SessionInput = { sessionId: SESSION_ID, consent: CONSENT };
    const s = replay(withConsent, [
      { type: 'DOCUMENT.PRESENTED', documentKind: 'emrtd' },
      {
        type: 'xstate.error.actor.readDocument',
        error: { code: 'document_card_removed', message: 'pulled' },
      },
      { type: 'DOCUMENT.REMOVED' },
      { type: 'xstate.after.documentRetryDelayMs.session.active.document.retryWait' },
    ]);
    expect(sessionStateOf(s.snapshot).state).toBe('document.waiting');
    const t = replay(withConsent, [
      { type: 'DOCUMENT.PRESENTED', documentKind: 'emrtd' },
      {
        type: 'xstate.error.actor.readDocument',
        error: { code: 'document_transmission_failed', message: 'x' },
      },
      { type: 'xstate.after.documentRetryDelayMs.session.active.document.retryWait' },
    ]);
    expect(sessionStateOf(t.snapshot).state).toBe('document.reading.accessControl');
    expect(t.snapshot.context.documentAttempt).toBe(2);
  });

  it('pauses for credentials with the chip’s reason, reads with them, and gives up after credentialAttempts', () => {
    const path = find(plain, failedWith('session_credentials_attempts_exhausted'));
    const r = replay(withoutReview, eventsOf(path));
    const pauses = sessionStates(r.emitted).filter((e) => e.state === 'document.credentials');
    expect(pauses).toHaveLength(DEFAULT_SESSION_FLOW_CONFIG.credentialAttempts);
    expect(pauses[0]?.reason?.code).toBe('document_credentials_required');
    expect(r.snapshot.context.credentialAttempts).toBe(
      DEFAULT_SESSION_FLOW_CONFIG.credentialAttempts,
    );
    expect(r.snapshot.context.credentials).toEqual({ kind: 'can', can: '123456' });
  });

  it('retries liveness up to faceAttempts, telling why, then fails with the last reasons', () => {
    const path = find(plain, failedWith('session_face_attempts_exhausted'));
    const r = replay(withoutReview, eventsOf(path));
    expect(r.snapshot.context.faceAttempt).toBe(DEFAULT_SESSION_FLOW_CONFIG.faceAttempts);
    const retries = sessionStates(r.emitted).filter((e) => e.state === 'face.retryWait');
    expect(retries).toHaveLength(DEFAULT_SESSION_FLOW_CONFIG.faceAttempts - 1);
    expect(retries.every((e) => e.reason?.code === 'liveness_challenge_timeout')).toBe(true);
    expect(r.snapshot.output).toMatchObject({
      status: 'failed',
      faceAttempts: 3,
      liveness: { passed: false },
    });
    // the capture after a retry starts clean: no stale reason
    const captures = sessionStates(r.emitted).filter((e) => e.state === 'face.capturing');
    expect(captures.every((e) => e.reason === undefined)).toBe(true);
  });

  it('honours faceAttempts = 1 (no retry) and documentRetries = 0', () => {
    const input: SessionInput = {
      sessionId: SESSION_ID,
      consent: CONSENT,
      config: { faceAttempts: 1, documentRetries: 0 },
    };
    const a = replay(input, [
      { type: 'DOCUMENT.PRESENTED', documentKind: 'emrtd' },
      {
        type: 'xstate.error.actor.readDocument',
        error: { code: 'document_card_removed', message: 'pulled' },
      },
    ]);
    expect(a.snapshot.context.reason?.code).toBe('session_document_retries_exhausted');
    const b = replay(input, [
      { type: 'DOCUMENT.PRESENTED', documentKind: 'emrtd' },
      {
        type: 'xstate.done.actor.readDocument',
        output: { kind: 'emrtd', hasPhoto: true, genuine: true },
      },
      {
        type: 'xstate.done.actor.captureFace',
        output: { passed: false, reasons: ['liveness_spoof_suspected'] },
      },
    ]);
    expect(b.snapshot.context.reason?.code).toBe('session_face_attempts_exhausted');
  });

  it('fails with the document’s own authenticity code, or the photo code', () => {
    const notGenuine = replay(
      withoutReview,
      eventsOf(find(plain, failedWith('document_ds_untrusted'))),
    );
    expect(lastStateEvent(notGenuine.emitted)?.reason?.code).toBe('document_ds_untrusted');
    const noPhoto = find(plain, failedWith('session_document_photo_missing'));
    expect(noPhoto.state.context.document?.hasPhoto).toBe(false);
  });

  it('fails with a fatal read code, a presence actor failure, a match failure and a submit failure', () => {
    for (const code of [
      'document_sod_invalid',
      'document_reader_unavailable',
      'model_inference_failed',
      'registration_store_full',
    ]) {
      const r = replay(withoutReview, eventsOf(find(plain, failedWith(code))));
      expect(lastStateEvent(r.emitted)).toMatchObject({ state: 'failed', reason: { code } });
    }
  });

  it('fails a no_match, and an inconclusive match unless manual review is allowed', () => {
    expect(find(plain, failedWith('session_face_no_match')).state.context.match?.decision).toBe(
      'no_match',
    );
    expect(
      find(plain, failedWith('session_face_match_inconclusive')).state.context.match?.decision,
    ).toBe('inconclusive');
    expect(plain.some((p) => sessionStateOf(p.state).state === 'review')).toBe(false);
    expect(reviewed.some((p) => failedWith('session_face_match_inconclusive')(p.state))).toBe(
      false,
    );
  });

  it('records the operator’s review decision: approve continues to registration, reject fails', () => {
    const approved = find(
      reviewed,
      (s) => s.value === 'completed' && s.context.review !== undefined,
    );
    expect(approved.state.context.review).toEqual({
      operatorId: 'op-7',
      approve: true,
      note: 'old photo',
    });
    expect(approved.state.context.match?.decision).toBe('inconclusive');
    const rejected = replay(withReview, [
      ...reviewedPrefix,
      ...eventsOf(find(reviewed, failedWith('session_review_rejected'))),
    ]);
    expect(rejected.snapshot.context.review).toEqual({ operatorId: 'op-7', approve: false });
    expect(rejected.snapshot.output).toMatchObject({
      status: 'failed',
      review: { operatorId: 'op-7', approve: false },
    });
    const states = sessionStates(rejected.emitted);
    expect(states.find((e) => e.state === 'review')?.step).toBe('match');
  });

  /** Where a resumed step lands: an interrupted read or capture starts over at its first phase. */
  const resumedStateOf = (state: string): string => {
    if (state.startsWith('document.reading.')) return 'document.reading.accessControl';
    if (state.startsWith('face.capturing.')) return 'face.capturing.positioning';
    return state;
  };

  it('suspends on the loss of the device the step needs and resumes where it was, with the reason it had', () => {
    const resumable = devices
      .filter((p) => p.state.value !== 'suspended' && p.state.context.lostDevices.length === 0)
      .filter((p) => {
        const s = sessionStateOf(p.state).state;
        return s.startsWith('document.') || s.startsWith('face.');
      });
    expect(resumable.length).toBeGreaterThan(10);
    for (const path of resumable) {
      const before = sessionStateOf(path.state);
      const device =
        before.step === 'document'
          ? { kind: 'documentReader', id: 'reader-0' }
          : { kind: 'camera', id: 'cam-0' };
      const r = replay(withoutReview, [
        ...eventsOf(path),
        { type: 'DEVICE.LOST', device },
        { type: 'DEVICE.LOST', device: { kind: 'camera', id: 'cam-1' } },
        { type: 'DEVICE.RESTORED', device },
      ]);
      expect(r.snapshot.value).toBe('suspended'); // cam-1 still lost
      expect(sessionStates(r.emittedPerStep.at(-3)!)).toEqual([
        {
          type: 'session.state',
          state: 'suspended',
          step: before.step,
          reason: {
            code: 'session_device_lost',
            message: expect.stringContaining(device.id) as unknown as string,
          },
        },
      ]);
      const resumed = replayEvents(sessionMachine, withoutReview, [
        ...eventsOf(path),
        { type: 'DEVICE.LOST', device },
        { type: 'DEVICE.LOST', device: { kind: 'camera', id: 'cam-1' } },
        { type: 'DEVICE.RESTORED', device },
        { type: 'DEVICE.RESTORED', device: { kind: 'camera', id: 'cam-1' } },
      ]);
      const after = sessionStateOf(resumed.snapshot).state;
      expect(after).toBe(resumedStateOf(before.state));
      const resumedState = lastStateEvent(resumed.emittedPerStep.at(-1)!);
      expect(resumedState?.state).toBe(after);
      // the reason the step had (credentials required, the card error being retried) comes back;
      // a read or capture that starts over starts clean
      const expectedReason = after === before.state ? path.state.context.reason : undefined;
      expect(resumedState?.reason, `${before.state} → ${after}`).toEqual(expectedReason);
      expect(resumed.snapshot.context.reason).toEqual(expectedReason);
      expect(resumed.snapshot.context.lostDevices).toEqual([]);
    }
  });

  it('does not suspend for a device the current step does not need', () => {
    const atConfirm = find(
      plain,
      (s) => sessionStateOf(s).state === 'registration.awaitingConfirmation',
    );
    const r = replay(withoutReview, [
      ...eventsOf(atConfirm),
      { type: 'DEVICE.LOST', device: { kind: 'camera', id: 'cam-0' } },
    ]);
    expect(sessionStateOf(r.snapshot).state).toBe('registration.awaitingConfirmation');
    const atFace = find(plain, (s) => sessionStateOf(s).state === 'face.capturing.positioning');
    const f = replay(withoutReview, [
      ...eventsOf(atFace),
      { type: 'DEVICE.LOST', device: { kind: 'documentReader', id: 'r' } },
    ]);
    expect(sessionStateOf(f.snapshot).state).toBe('face.capturing.positioning');
  });

  it('ignores malformed credentials and confirmations (no transition, so the daemon can answer conflict)', () => {
    const atCredentials = find(plain, (s) => sessionStateOf(s).state === 'document.credentials');
    for (const credentials of [
      { kind: 'can', can: '' },
      { kind: 'mrz', documentNumber: 'X' },
      { kind: 'pin' },
      null,
      'L898902C3',
    ]) {
      const [next] = transition(sessionMachine, atCredentials.state, {
        type: 'CREDENTIALS.PROVIDED',
        credentials,
      } as never);
      expect(sessionStateOf(next).state).toBe('document.credentials');
      expect(atCredentials.state.can({ type: 'CREDENTIALS.PROVIDED', credentials } as never)).toBe(
        false,
      );
    }
    const atConfirm = find(
      plain,
      (s) => sessionStateOf(s).state === 'registration.awaitingConfirmation',
    );
    for (const confirmation of [
      { msisdn: '', operatorId: 'op' },
      { msisdn: '+86'.repeat(20), operatorId: 'op' },
      { operatorId: 'op' },
      undefined,
    ]) {
      const [next] = transition(sessionMachine, atConfirm.state, {
        type: 'REGISTRATION.CONFIRMED',
        confirmation,
      } as never);
      expect(sessionStateOf(next).state).toBe('registration.awaitingConfirmation');
    }
  });

  it('moves the read through access control → files → authenticity on progress, forward only, and emits it as document.progress', () => {
    const atReading = find(
      plain,
      (s) => sessionStateOf(s).state === 'document.reading.accessControl',
    );
    const read = { phase: 'read', file: 'DG2', bytesRead: 40, totalBytes: 100 } as const;
    const r = replay(withoutReview, [
      ...eventsOf(atReading),
      { type: 'DOCUMENT.PROGRESS', progress: { phase: 'accessControl', protocol: 'PACE' } },
      { type: 'DOCUMENT.PROGRESS', progress: read },
      { type: 'DOCUMENT.PROGRESS', progress: { phase: 'accessControl', protocol: 'BAC' } },
      { type: 'DOCUMENT.PROGRESS', progress: { phase: 'verify' } },
      { type: 'DOCUMENT.PROGRESS', progress: read },
      { type: 'FACE.PHASE', phase: 'liveness' },
    ]);
    expect(r.emittedPerStep.slice(-6)).toEqual([
      [{ type: 'document.progress', progress: { phase: 'accessControl', protocol: 'PACE' } }],
      [
        { type: 'document.progress', progress: read },
        { type: 'session.state', state: 'document.reading.files', step: 'document' },
      ],
      [], // access control again (after a failed Chip Authentication) does not move back
      [
        { type: 'document.progress', progress: { phase: 'verify' } },
        { type: 'session.state', state: 'document.reading.authenticity', step: 'document' },
      ],
      [],
      [],
    ]);
    expect(sessionStateOf(r.snapshot).state).toBe('document.reading.authenticity');
    // the read's actor keeps running across its phases
    expect(r.snapshot.children.readDocument).toBeDefined();
  });

  it('ignores malformed read progress (NaN, out of range, extra fields, unknown phase) and progress outside the read', () => {
    const atReading = find(
      plain,
      (s) => sessionStateOf(s).state === 'document.reading.accessControl',
    );
    const hostile: unknown[] = [
      { phase: 'read', file: 'DG2', bytesRead: Number.NaN, totalBytes: 100 },
      { phase: 'read', file: 'DG2', bytesRead: 101, totalBytes: 100 },
      { phase: 'read', file: 'DG2', bytesRead: -1, totalBytes: 100 },
      { phase: 'read', file: 'DG2', bytesRead: 1.5, totalBytes: 100 },
      { phase: 'read', file: 'DG2', bytesRead: 1, totalBytes: 2 ** 40 },
      { phase: 'read', file: '', bytesRead: 1, totalBytes: 2 },
      { phase: 'read', file: 'DG2', bytesRead: 1, totalBytes: 2, name: 'ANNA' },
      { phase: 'accessControl', protocol: 'PIN' },
      { phase: 'verify', extra: 1 },
      { phase: 'done' },
      null,
      'verify',
    ];
    for (const progress of hostile) {
      const [next, actions] = transition(sessionMachine, atReading.state, {
        type: 'DOCUMENT.PROGRESS',
        progress,
      } as never);
      expect(sessionStateOf(next).state, JSON.stringify(progress)).toBe(
        'document.reading.accessControl',
      );
      expect(emittedOf(actions)).toEqual([]);
    }
    const atWaiting = find(plain, (s) => sessionStateOf(s).state === 'document.waiting');
    const [, actions] = transition(sessionMachine, atWaiting.state, {
      type: 'DOCUMENT.PROGRESS',
      progress: { phase: 'verify' },
    });
    expect(emittedOf(actions)).toEqual([]);
  });

  it('moves the face capture through positioning → liveness → best frame on FACE.PHASE, forward only', () => {
    const atFace = find(plain, (s) => sessionStateOf(s).state === 'face.capturing.positioning');
    const r = replay(withoutReview, [
      ...eventsOf(atFace),
      { type: 'FACE.PHASE', phase: 'positioning' },
      { type: 'FACE.PHASE', phase: 'blink' },
      { type: 'FACE.PHASE', phase: 'liveness' },
      { type: 'FACE.PHASE', phase: 'positioning' },
      { type: 'FACE.PHASE', phase: 'bestFrame' },
      { type: 'FACE.PHASE', phase: 'liveness' },
    ]);
    expect(r.emittedPerStep.slice(-6).map((e) => sessionStates(e).map((x) => x.state))).toEqual([
      [],
      [],
      ['face.capturing.liveness'],
      [],
      ['face.capturing.bestFrame'],
      [],
    ]);
    expect(r.snapshot.children.captureFace).toBeDefined();
    // the verdict ends the capture from any phase
    const [done] = transition(sessionMachine, r.snapshot, {
      type: 'xstate.done.actor.captureFace',
      output: { passed: true, reasons: [] },
    } as never);
    expect(sessionStateOf(done).state).toBe('match');
  });

  it('suspends (not retries) when the capture rejects with camera_unplugged, and restarts the same attempt when a camera is back', () => {
    const atFace = find(plain, (s) => sessionStateOf(s).state === 'face.capturing.positioning');
    const unplugged = {
      type: 'xstate.error.actor.captureFace',
      error: { code: 'camera_unplugged', message: 'camera /dev/video0 was unplugged' },
    };
    const r = replay(withoutReview, [
      ...eventsOf(atFace),
      { type: 'FACE.PHASE', phase: 'liveness' },
      unplugged,
    ]);
    expect(r.snapshot.value).toBe('suspended');
    expect(r.snapshot.context.faceAttempt).toBe(1);
    expect(lastStateEvent(r.emitted)).toMatchObject({
      state: 'suspended',
      step: 'face',
      reason: { code: 'session_device_lost' },
    });
    // a reader coming back does not resume a face step
    const [stillSuspended] = transition(sessionMachine, r.snapshot, {
      type: 'DEVICE.RESTORED',
      device: { kind: 'documentReader', id: 'reader-0' },
    });
    expect(stillSuspended.value).toBe('suspended');
    const [resumed, actions] = transition(sessionMachine, r.snapshot, {
      type: 'DEVICE.RESTORED',
      device: { kind: 'camera', id: 'cam-0' },
    });
    expect(sessionStateOf(resumed).state).toBe('face.capturing.positioning');
    expect(resumed.context.faceAttempt).toBe(1);
    expect(sessionStates(emittedOf(actions))).toEqual([
      { type: 'session.state', state: 'face.capturing.positioning', step: 'face' },
    ]);
    // with the registry's own DEVICE.LOST recorded too, only that camera resumes it
    const lostToo = replay(withoutReview, [
      ...eventsOf(atFace),
      unplugged,
      { type: 'DEVICE.LOST', device: { kind: 'camera', id: 'cam-0' } },
    ]);
    expect(
      transition(sessionMachine, lostToo.snapshot, {
        type: 'DEVICE.RESTORED',
        device: { kind: 'camera', id: 'cam-9' },
      })[0].value,
    ).toBe('suspended');
    const [back] = transition(sessionMachine, lostToo.snapshot, {
      type: 'DEVICE.RESTORED',
      device: { kind: 'camera', id: 'cam-0' },
    });
    expect(sessionStateOf(back).state).toBe('face.capturing.positioning');
  });

  it('suspends a read that rejects with device_detached instead of failing it', () => {
    const atReading = find(
      plain,
      (s) => sessionStateOf(s).state === 'document.reading.accessControl',
    );
    const r = replay(withoutReview, [
      ...eventsOf(atReading),
      {
        type: 'xstate.error.actor.readDocument',
        error: { code: 'device_detached', message: 'gone' },
      },
    ]);
    expect(r.snapshot.value).toBe('suspended');
    expect(r.snapshot.context.documentAttempt).toBe(1);
    const [resumed] = transition(sessionMachine, r.snapshot, {
      type: 'DEVICE.RESTORED',
      device: { kind: 'documentReader', id: 'reader-0' },
    });
    expect(sessionStateOf(resumed).state).toBe('document.reading.accessControl');
  });

  it('suspends a step at once when the device it needs was lost before it started', () => {
    const atReading = find(
      plain,
      (s) => sessionStateOf(s).state === 'document.reading.accessControl',
    );
    const camera = { kind: 'camera', id: 'cam-0' } as const;
    const r = replay(withoutReview, [
      ...eventsOf(atReading),
      { type: 'DEVICE.LOST', device: camera },
      {
        type: 'xstate.done.actor.readDocument',
        output: { kind: 'emrtd', hasPhoto: true, genuine: true },
      },
    ]);
    expect(r.snapshot.value).toBe('suspended');
    expect(sessionStates(r.emittedPerStep.at(-1)!).map((e) => e.state)).toEqual([
      'document.verifying',
      'face.capturing.positioning',
      'suspended',
    ]);
    expect(lastStateEvent(r.emitted)).toMatchObject({
      step: 'face',
      reason: { code: 'session_device_lost', message: 'the camera cam-0 was lost' },
    });
    const [resumed] = transition(sessionMachine, r.snapshot, {
      type: 'DEVICE.RESTORED',
      device: camera,
    });
    expect(sessionStateOf(resumed).state).toBe('face.capturing.positioning');
    // and a camera that came back before the face step does not suspend it
    const back = replay(withoutReview, [
      ...eventsOf(atReading),
      { type: 'DEVICE.LOST', device: camera },
      { type: 'DEVICE.RESTORED', device: camera },
      {
        type: 'xstate.done.actor.readDocument',
        output: { kind: 'emrtd', hasPhoto: true, genuine: true },
      },
    ]);
    expect(sessionStateOf(back.snapshot).state).toBe('face.capturing.positioning');
  });

  it('resumes the credentials pause with the chip’s reason after a reader loss', () => {
    const atCredentials = find(plain, (s) => sessionStateOf(s).state === 'document.credentials');
    const reader = { kind: 'documentReader', id: 'reader-0' } as const;
    const r = replay(withoutReview, [
      ...eventsOf(atCredentials),
      { type: 'DEVICE.LOST', device: reader },
      { type: 'DEVICE.RESTORED', device: reader },
    ]);
    expect(sessionStates(r.emittedPerStep.at(-1)!)).toEqual([
      {
        type: 'session.state',
        state: 'document.credentials',
        step: 'document',
        reason: {
          code: 'document_credentials_required',
          message: 'simulated document_credentials_required',
        },
      },
    ]);
  });

  it('getSimplePaths: every simple path to completed (happy-path events) emits a consistent sequence', () => {
    const happy = [
      { type: 'DOCUMENT.PRESENTED', documentKind: 'emrtd' },
      {
        type: 'xstate.done.actor.readDocument',
        output: { kind: 'emrtd', hasPhoto: true, genuine: true },
      },
      {
        type: 'xstate.error.actor.readDocument',
        error: { code: 'document_credentials_required', message: 'x' },
      },
      {
        type: 'xstate.error.actor.readDocument',
        error: { code: 'document_transmission_failed', message: 'x' },
      },
      {
        type: 'CREDENTIALS.PROVIDED',
        credentials: {
          kind: 'mrz',
          documentNumber: 'L898902C3',
          dateOfBirth: '740812',
          dateOfExpiry: '120415',
        },
      },
      { type: 'xstate.done.actor.captureFace', output: { passed: true, reasons: [] } },
      {
        type: 'xstate.done.actor.captureFace',
        output: { passed: false, reasons: ['liveness_face_lost'] },
      },
      {
        type: 'xstate.done.actor.matchFace',
        output: { score: 0.8, threshold: 0.35, decision: 'match' },
      },
      {
        type: 'REGISTRATION.CONFIRMED',
        confirmation: { msisdn: '+8613800000000', operatorId: 'op-1' },
      },
      { type: 'xstate.done.actor.submitRegistration', output: { status: 'queued' } },
      { type: 'xstate.after.documentRetryDelayMs.session.active.document.retryWait' },
      { type: 'xstate.after.faceRetryDelayMs.session.active.face.retryWait' },
    ] as const;
    const input: SessionInput = {
      sessionId: SESSION_ID,
      consent: CONSENT,
      config: { faceAttempts: 2, documentRetries: 1, credentialAttempts: 1 },
    };
    const paths = getSimplePaths(sessionMachine, {
      input,
      events: happy as never,
      filterEvents: isLiveActorEvent,
      serializeState,
      toState: (s) => s.value === 'completed',
    }) as Path[];
    expect(paths.length).toBeGreaterThanOrEqual(8);
    for (const path of paths) {
      const r = replay(input, eventsOf(path));
      const states = sessionStates(r.emitted).map((e) => e.state);
      expect(states[0]).toBe('consent');
      expect(states.at(-1)).toBe('completed');
      expect(states.filter((s) => s === 'document.verifying')).toHaveLength(1);
      expect(r.snapshot.output).toMatchObject({
        status: 'completed',
        registration: { status: 'queued' },
      });
    }
  });
});

describe('sessionMachine (running actor with fake actors)', () => {
  const happyActors = (overrides: Partial<SessionFlowConfig> = {}) => {
    const calls: string[] = [];
    const machine = sessionMachine.provide({
      actors: {
        documentPresence: fromCallback(({ sendBack }) => {
          calls.push('presence');
          sendBack({ type: 'DOCUMENT.PRESENTED', documentKind: 'cn-resident-id' });
          return () => calls.push('presence.stop');
        }),
        readDocument: fromPromise(async ({ input }) => {
          calls.push(`read#${input.attempt}`);
          return { kind: 'cn-resident-id' as const, hasPhoto: true, genuine: true };
        }),
        captureFace: fromPromise(async ({ input }) => {
          calls.push(`face#${input.attempt}`);
          return { passed: true, reasons: [] };
        }),
        matchFace: fromPromise<FaceMatchResult, MatchFaceInput>(async () => ({
          score: 0.9,
          threshold: 0.35,
          decision: 'match',
        })),
        submitRegistration: fromPromise<RegistrationSubmitResult, RegistrationConfirmation>(
          async ({ input }) => {
            calls.push(`submit:${input.msisdn}`);
            return { status: 'delivered' };
          },
        ),
      },
    });
    return { machine, calls, input: { sessionId: 'live-1', consent: CONSENT, config: overrides } };
  };

  it('runs the whole flow with provided actors and stops the presence actor when leaving the document step', async () => {
    const { machine, calls, input } = happyActors();
    const actor = createActor(machine, { input });
    const seen: SessionEmitted[] = [];
    actor.on('*', (e) => seen.push(e));
    actor.start();
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
    expect(sessionStateOf(actor.getSnapshot()).state).toBe('registration.awaitingConfirmation');
    actor.send({
      type: 'REGISTRATION.CONFIRMED',
      confirmation: { msisdn: '+861', operatorId: 'op' },
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(actor.getSnapshot().status).toBe('done');
    expect(actor.getSnapshot().output).toMatchObject({ status: 'completed', sessionId: 'live-1' });
    expect(calls).toEqual(['presence', 'read#1', 'presence.stop', 'face#1', 'submit:+861']);
    expect(seen.filter((e) => e.type === 'session.state').map((e) => e.state)).toEqual([
      'consent',
      'document.waiting',
      'document.reading.accessControl',
      'document.verifying',
      'face.capturing.positioning',
      'match',
      'registration.awaitingConfirmation',
      'registration.submitting',
      'completed',
    ]);
  });

  it('placeholders fail the session with session_actor_not_provided', async () => {
    const actor = createActor(sessionMachine, { input: { sessionId: 'p', consent: CONSENT } });
    actor.start();
    await new Promise((resolve) => setImmediate(resolve));
    expect(actor.getSnapshot().output).toMatchObject({
      status: 'failed',
      reason: { code: 'session_actor_not_provided' },
    });
  });

  it('aborts the running read when cancelled (the signal reaches the actor)', async () => {
    let aborted = false;
    const machine = sessionMachine.provide({
      actors: {
        documentPresence: fromCallback(({ sendBack }) =>
          sendBack({ type: 'DOCUMENT.PRESENTED', documentKind: 'emrtd' }),
        ),
        readDocument: fromPromise(({ signal }) => {
          signal.addEventListener('abort', () => (aborted = true));
          return new Promise<never>(() => {});
        }),
      },
    });
    const actor = createActor(machine, { input: { sessionId: 'c', consent: CONSENT } });
    actor.start();
    await new Promise((resolve) => setImmediate(resolve));
    actor.send({ type: 'CANCEL' });
    expect(aborted).toBe(true);
    expect(actor.getSnapshot().output).toMatchObject({
      status: 'cancelled',
      reason: { code: 'session_cancelled', message: 'cancelled' },
    });
  });

  it('rejects an invalid config when the session starts', () => {
    const actor = createActor(sessionMachine, {
      input: { sessionId: 'x', config: { faceAttempts: 0 } },
    });
    const errors: unknown[] = [];
    actor.subscribe({ error: (e) => errors.push(e) });
    actor.start();
    expect(errors[0]).toBeInstanceOf(RangeError);
  });

  it('ignores hostile external event payloads it does not know', () => {
    const actor = createActor(happyActors().machine, { input: { sessionId: 'h' } });
    actor.start();
    for (const e of EXTERNAL_EVENTS)
      expect(() => actor.send({ ...e, type: `${e.type}.X` } as never)).not.toThrow();
    expect(sessionStateOf(actor.getSnapshot()).state).toBe('consent');
    actor.stop();
  });
});
