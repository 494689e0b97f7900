import { and, assign, emit, fromCallback, fromPromise, setup, type EventObject } from 'xstate';
import { MachineError } from '../errors/MachineError.js';
import { failureReasonOf, type FailureReason } from '../errors/failureReasonOf.js';
import { isDeviceLostError } from './deviceLostError.js';
import { documentReadErrorClass } from './documentReadErrorClass.js';
import { resolveSessionFlowConfig } from './SessionFlowConfig.js';
import { SESSION_EXPIRED_REASON } from './sessionExpiredReason.js';
import {
  isDocumentKind,
  isFaceCapturePhase,
  isWellFormedConfirmation,
  isWellFormedConsent,
  isWellFormedCredentials,
  isWellFormedDevice,
  isWellFormedDocumentProgress,
  isWellFormedReview,
  normalizeCaptureResult,
  normalizeDocumentSummary,
  normalizeMatchResult,
  normalizeSubmitResult,
} from './sessionPayloads.js';
import type {
  CaptureFaceInput,
  DocumentPresenceEvent,
  DocumentPresenceInput,
  DocumentReadProgress,
  DocumentReadSummary,
  FaceCapturePhase,
  FaceCaptureResult,
  FaceMatchResult,
  MatchFaceInput,
  ReadDocumentInput,
  RegistrationConfirmation,
  RegistrationSubmitResult,
  ReviewDecision,
  SessionConsent,
  SessionContext,
  SessionDevice,
  SessionEmitted,
  SessionEvent,
  SessionInput,
  SessionOutcome,
  SessionStatus,
  SessionStep,
} from './sessionTypes.js';

function notProvided(slot: string): MachineError {
  return new MachineError(
    'session_actor_not_provided',
    `session actor "${slot}" is a placeholder: call sessionMachine.provide({ actors: { ${slot} } })`,
  );
}

/** Params of the `emitState` action: the state string and step it reports. */
interface EmitStateParams {
  readonly state: string;
  readonly step: SessionStep;
}

/** Params of actions and guards that look at what an actor rejected with. */
interface ActorErrorParams {
  readonly error: unknown;
  readonly fallbackCode: string;
}

/** The `error` of an `xstate.error.actor.*` event (guards see it typed as a plain event). */
function actorErrorOf(event: EventObject): unknown {
  return 'error' in event ? (event as { error: unknown }).error : undefined;
}

function sameDevice(a: SessionDevice, b: SessionDevice): boolean {
  return a.kind === b.kind && a.id === b.id;
}

/** The kind of device a step needs (`undefined`: the step needs none). */
function deviceKindOf(step: SessionStep | undefined): SessionDevice['kind'] | undefined {
  if (step === 'document') return 'documentReader';
  if (step === 'face') return 'camera';
  return undefined;
}

/**
 * Whether `device` coming back ends the suspension: it is the last one lost; when none was
 * reported lost (the step's actor rejected with a device-lost code), any device of the kind the
 * suspended step needs.
 */
function isLastLostDevice(context: SessionContext, device: unknown): boolean {
  if (!isWellFormedDevice(device)) return false;
  const d = device as SessionDevice;
  return context.lostDevices.length === 0
    ? d.kind === deviceKindOf(context.suspendedStep)
    : context.lostDevices.every((lost) => sameDevice(lost, d));
}

/** Params of the `suspend` action. */
interface SuspendParams {
  readonly step: 'document' | 'face';
  /** True when the step's device work (read, capture) was running and starts over on resume. */
  readonly restart: boolean;
  readonly message: string;
}

/** A copy of a well-formed progress report with exactly its wire fields. */
function documentProgressOf(progress: DocumentReadProgress): DocumentReadProgress {
  switch (progress.phase) {
    case 'accessControl':
      return { phase: 'accessControl', protocol: progress.protocol };
    case 'read':
      return {
        phase: 'read',
        file: progress.file,
        bytesRead: progress.bytesRead,
        totalBytes: progress.totalBytes,
      };
    default:
      return { phase: 'verify' };
  }
}

/**
 * One guarded `DOCUMENT.PROGRESS` transition of the read: a well-formed report of `phase` goes
 * out as `document.progress` and, given a `target`, moves the read on to that phase (reports of
 * an earlier phase than the current one are dropped: no transition lists them).
 */
function readProgress(phase: DocumentReadProgress['phase'], target?: 'files' | 'authenticity') {
  type WithProgress = { event: { readonly progress: DocumentReadProgress } };
  return {
    guard: {
      type: 'documentProgressIs' as const,
      params: ({ event }: WithProgress) => ({ progress: event.progress, phase }),
    },
    ...(target === undefined ? {} : { target }),
    actions: {
      type: 'emitDocumentProgress' as const,
      params: ({ event }: WithProgress) => ({ progress: event.progress }),
    },
  };
}

/** The guarded `FACE.PHASE` transition that moves a face capture on to `phase`. */
function facePhase(phase: 'liveness' | 'bestFrame') {
  return {
    guard: {
      type: 'facePhaseIs' as const,
      params: ({ event }: { event: { readonly phase: FaceCapturePhase } }) => ({
        phase: event.phase,
        is: phase,
      }),
    },
    target: phase,
  };
}

/**
 * The eventless transition that suspends the session while a device the step needs is lost:
 * `restart` when the step must begin again on resume (a read or a capture was under way).
 */
function suspendIfLost(kind: SessionDevice['kind'], options: { restart: boolean }) {
  return {
    guard: kind === 'camera' ? ('cameraLost' as const) : ('readerLost' as const),
    target: '#session.suspended',
    actions: {
      type: 'suspend' as const,
      params: ({ context }: { context: SessionContext }) => ({
        step: kind === 'camera' ? ('face' as const) : ('document' as const),
        restart: options.restart,
        message: lostDeviceMessage(context, kind),
      }),
    },
  };
}

/** The first lost device of a kind, for the suspension message. */
function lostDeviceMessage(context: SessionContext, kind: SessionDevice['kind']): string {
  const device = context.lostDevices.find((d) => d.kind === kind);
  const what = kind === 'camera' ? 'camera' : 'document reader';
  return `the ${what} ${device?.id ?? ''} was lost`.replace('  ', ' ');
}

/**
 * The session flow: consent → document (wait → read: access control → files → authenticity,
 * pausing for an MRZ / CAN → verify) → face (capture: positioning → liveness → best frame, with
 * retries) → match (→ manual review when allowed) → registration (confirm → submit) →
 * `completed`; or `failed` (with a reason code), `cancelled`, `expired`. A device the current
 * step needs that is (or already was) lost suspends the session until it is back.
 *
 * Pure: every side effect is an actor slot the daemon replaces with `.provide({ actors })`:
 * `documentPresence` (callback: sends `DOCUMENT.PRESENTED` / `DOCUMENT.REMOVED`),
 * `readDocument`, `captureFace`, `matchFace`, `submitRegistration` (promises). The placeholders
 * reject with `session_actor_not_provided`. Every state entry emits `session.state`; read
 * progress (`DOCUMENT.PROGRESS`) is emitted as `document.progress` and moves the read's phase,
 * `FACE.PHASE` moves the capture's phase.
 *
 * @example
 * ```ts
 * const actor = createActor(sessionMachine.provide({ actors: { readDocument, captureFace, … } }), {
 *   input: { sessionId, config: { faceAttempts: 3 }, consent },
 * });
 * actor.on('session.state', (e) => ws.send(…));
 * actor.start();
 * ```
 */
export const sessionMachine = setup({
  types: {
    context: {} as SessionContext,
    events: {} as SessionEvent,
    input: {} as SessionInput,
    output: {} as SessionOutcome,
    emitted: {} as SessionEmitted,
  },
  actors: {
    documentPresence: fromCallback<DocumentPresenceEvent, DocumentPresenceInput>(() => {
      throw notProvided('documentPresence');
    }),
    readDocument: fromPromise<DocumentReadSummary, ReadDocumentInput>(() =>
      Promise.reject(notProvided('readDocument')),
    ),
    captureFace: fromPromise<FaceCaptureResult, CaptureFaceInput>(() =>
      Promise.reject(notProvided('captureFace')),
    ),
    matchFace: fromPromise<FaceMatchResult, MatchFaceInput>(() =>
      Promise.reject(notProvided('matchFace')),
    ),
    submitRegistration: fromPromise<RegistrationSubmitResult, RegistrationConfirmation>(() =>
      Promise.reject(notProvided('submitRegistration')),
    ),
  },
  guards: {
    hasConsent: ({ context }) => context.consent !== undefined,
    credentialsWellFormed: (_, params: { credentials: unknown }) =>
      isWellFormedCredentials(params.credentials),
    confirmationWellFormed: (_, params: { confirmation: unknown }) =>
      isWellFormedConfirmation(params.confirmation),
    consentWellFormed: (_, params: { consent: unknown }) => isWellFormedConsent(params.consent),
    documentKindKnown: (_, params: { documentKind: unknown }) =>
      isDocumentKind(params.documentKind),
    reviewWellFormed: (_, params: { review: unknown }) => isWellFormedReview(params.review),
    documentProgressIs: (_, params: { progress: unknown; phase: DocumentReadProgress['phase'] }) =>
      isWellFormedDocumentProgress(params.progress) && params.progress.phase === params.phase,
    facePhaseIs: (_, params: { phase: unknown; is: FaceCapturePhase }) =>
      isFaceCapturePhase(params.phase) && params.phase === params.is,
    isDeviceLostError: ({ event }) => isDeviceLostError(actorErrorOf(event)),
    readerLost: ({ context }) => context.lostDevices.some((d) => d.kind === 'documentReader'),
    cameraLost: ({ context }) => context.lostDevices.some((d) => d.kind === 'camera'),
    deviceNotYetLost: ({ context }, params: { device: unknown }) =>
      isWellFormedDevice(params.device) &&
      !context.lostDevices.some((d) => sameDevice(d, params.device as SessionDevice)),
    deviceWasLost: ({ context }, params: { device: unknown }) =>
      isWellFormedDevice(params.device) &&
      context.lostDevices.some((d) => sameDevice(d, params.device as SessionDevice)),
    lastLostAndRestartsRead: ({ context }, params: { device: unknown }) =>
      isLastLostDevice(context, params.device) &&
      context.restartOnResume &&
      context.suspendedStep === 'document',
    lastLostAndRestartsCapture: ({ context }, params: { device: unknown }) =>
      isLastLostDevice(context, params.device) &&
      context.restartOnResume &&
      context.suspendedStep === 'face',
    documentPresent: ({ context }) => context.documentPresent,
    isCredentialsRequiredError: ({ event }) =>
      documentReadErrorClass(actorErrorOf(event)) === 'credentials',
    isTransientDocumentError: ({ event }) =>
      documentReadErrorClass(actorErrorOf(event)) === 'transient',
    canProvideCredentials: ({ context }) =>
      context.credentialAttempts < context.config.credentialAttempts,
    canRetryDocumentRead: ({ context }) =>
      context.documentAttempt <= context.config.documentRetries,
    documentNotGenuine: ({ context }) => context.document?.genuine !== true,
    documentPhotoMissing: ({ context }) => context.document?.hasPhoto !== true,
    livenessPassed: (_, params: FaceCaptureResult) => params.passed === true,
    canRetryFace: ({ context }) => context.faceAttempt < context.config.faceAttempts,
    matchAccepted: (_, params: FaceMatchResult) => params.decision === 'match',
    matchNeedsReview: ({ context }, params: FaceMatchResult) =>
      params.decision === 'inconclusive' && context.config.manualReview,
    matchRejected: (_, params: FaceMatchResult) => params.decision === 'no_match',
    reviewApproved: (_, params: { review: unknown }) =>
      isWellFormedReview(params.review) && (params.review as ReviewDecision).approve === true,
    isLastLostDevice: ({ context }, params: { device: unknown }) =>
      isLastLostDevice(context, params.device),
  },
  actions: {
    emitState: emit(({ context }, params: EmitStateParams): SessionEmitted => {
      return context.reason === undefined
        ? { type: 'session.state', state: params.state, step: params.step }
        : { type: 'session.state', state: params.state, step: params.step, reason: context.reason };
    }),
    emitSuspendedState: emit(({ context }): SessionEmitted => ({
      type: 'session.state',
      state: 'suspended',
      step: context.suspendedStep ?? 'document',
      ...(context.reason === undefined ? {} : { reason: context.reason }),
    })),
    emitDocumentProgress: emit((_, params: { progress: DocumentReadProgress }): SessionEmitted => ({
      type: 'document.progress',
      progress: documentProgressOf(params.progress),
    })),
    setReason: assign({ reason: (_, params: FailureReason) => params }),
    setReasonFromError: assign({
      reason: (_, params: ActorErrorParams) => failureReasonOf(params.error, params.fallbackCode),
    }),
    clearReason: assign({ reason: undefined }),
    setStatus: assign({ status: (_, params: { status: SessionStatus }) => params.status }),
    recordConsent: assign({ consent: (_, params: SessionConsent) => params }),
    markDocumentPresented: assign({
      documentPresent: true,
      documentKind: (_, params: { documentKind: SessionContext['documentKind'] }) =>
        params.documentKind,
    }),
    markDocumentRemoved: assign({ documentPresent: false }),
    recordCredentials: assign({
      credentials: (_, params: { credentials: SessionContext['credentials'] }) =>
        params.credentials,
      credentialAttempts: ({ context }) => context.credentialAttempts + 1,
    }),
    nextDocumentAttempt: assign({ documentAttempt: ({ context }) => context.documentAttempt + 1 }),
    recordDocument: assign({ document: (_, params: DocumentReadSummary) => params }),
    recordLiveness: assign({ liveness: (_, params: FaceCaptureResult) => params }),
    setReasonFromVerdict: assign({
      reason: (_, params: FaceCaptureResult): FailureReason => {
        const first = params.reasons.find((r) => typeof r === 'string') ?? 'session_step_failed';
        return {
          code: first,
          message: `liveness attempt failed: ${params.reasons.join(', ') || 'no reason given'}`,
        };
      },
    }),
    nextFaceAttempt: assign({ faceAttempt: ({ context }) => context.faceAttempt + 1 }),
    recordMatch: assign({ match: (_, params: FaceMatchResult) => params }),
    recordReview: assign({ review: (_, params: ReviewDecision) => params }),
    recordConfirmation: assign({ confirmation: (_, params: RegistrationConfirmation) => params }),
    recordRegistration: assign({ registration: (_, params: RegistrationSubmitResult) => params }),
    recordLostDevice: assign({
      lostDevices: ({ context }, params: SessionDevice) =>
        context.lostDevices.some((d) => sameDevice(d, params))
          ? context.lostDevices
          : [...context.lostDevices, params],
    }),
    forgetLostDevice: assign({
      lostDevices: ({ context }, params: SessionDevice) =>
        context.lostDevices.filter((d) => !sameDevice(d, params)),
    }),
    suspend: assign({
      suspendedStep: (_, params: SuspendParams) => params.step,
      restartOnResume: (_, params: SuspendParams) => params.restart,
      // what the step was waiting for (credentials, a re-read) is said again on resume
      resumeReason: ({ context }) => context.reason,
      reason: (_, params: SuspendParams): FailureReason => ({
        code: 'session_device_lost',
        message: params.message,
      }),
      documentPresent: ({ context }, params: SuspendParams) =>
        params.step === 'document' ? false : context.documentPresent,
    }),
    resume: assign({
      reason: ({ context }) => context.resumeReason,
      resumeReason: undefined,
      restartOnResume: false,
    }),
  },
  delays: {
    consentWaitMs: ({ context }) => context.config.consentWaitMs,
    documentWaitMs: ({ context }) => context.config.documentWaitMs,
    credentialsWaitMs: ({ context }) => context.config.credentialsWaitMs,
    documentReadMs: ({ context }) => context.config.documentReadMs,
    documentRetryDelayMs: ({ context }) => context.config.documentRetryDelayMs,
    faceMs: ({ context }) => context.config.faceMs,
    faceRetryDelayMs: ({ context }) => context.config.faceRetryDelayMs,
    matchMs: ({ context }) => context.config.matchMs,
    reviewWaitMs: ({ context }) => context.config.reviewWaitMs,
    confirmWaitMs: ({ context }) => context.config.confirmWaitMs,
    registrationMs: ({ context }) => context.config.registrationMs,
    suspendedMs: ({ context }) => context.config.suspendedMs,
    sessionMs: ({ context }) => context.config.sessionMs,
  },
}).createMachine({
  id: 'session',
  context: ({ input }) => ({
    sessionId: input.sessionId,
    config: resolveSessionFlowConfig(input.config),
    consent: input.consent,
    status: undefined,
    documentPresent: false,
    documentKind: undefined,
    credentials: undefined,
    credentialAttempts: 0,
    documentAttempt: 1,
    document: undefined,
    faceAttempt: 1,
    liveness: undefined,
    match: undefined,
    review: undefined,
    confirmation: undefined,
    registration: undefined,
    lostDevices: [],
    suspendedStep: undefined,
    restartOnResume: false,
    resumeReason: undefined,
    reason: undefined,
  }),
  initial: 'active',
  on: {
    // Devices are tracked in every state: a step that needs a device already lost suspends as
    // soon as it starts (see the steps' `always`).
    'DEVICE.LOST': {
      guard: { type: 'deviceNotYetLost', params: ({ event }) => ({ device: event.device }) },
      actions: { type: 'recordLostDevice', params: ({ event }) => event.device },
    },
    'DEVICE.RESTORED': {
      guard: { type: 'deviceWasLost', params: ({ event }) => ({ device: event.device }) },
      actions: { type: 'forgetLostDevice', params: ({ event }) => event.device },
    },
    CANCEL: {
      target: '.cancelled',
      actions: {
        type: 'setReason',
        params: ({ event }) => ({
          code: 'session_cancelled',
          message:
            typeof event.reason === 'string' && event.reason !== ''
              ? event.reason.slice(0, 200)
              : 'cancelled',
        }),
      },
    },
  },
  after: {
    sessionMs: {
      target: '.expired',
      actions: {
        type: 'setReason',
        params: SESSION_EXPIRED_REASON,
      },
    },
  },
  output: ({ context }) => ({
    sessionId: context.sessionId,
    status: context.status ?? 'failed',
    documentAttempts: context.documentAttempt,
    faceAttempts: context.faceAttempt,
    ...(context.reason === undefined ? {} : { reason: context.reason }),
    ...(context.document === undefined ? {} : { document: context.document }),
    ...(context.liveness === undefined ? {} : { liveness: context.liveness }),
    ...(context.match === undefined ? {} : { match: context.match }),
    ...(context.review === undefined ? {} : { review: context.review }),
    ...(context.registration === undefined ? {} : { registration: context.registration }),
  }),
  states: {
    active: {
      initial: 'consent',
      states: {
        hist: { type: 'history', history: 'deep' },
        consent: {
          entry: { type: 'emitState', params: { state: 'consent', step: 'consent' } },
          always: { guard: 'hasConsent', target: 'document' },
          on: {
            'CONSENT.GIVEN': {
              guard: {
                type: 'consentWellFormed',
                params: ({ event }) => ({ consent: event.consent }),
              },
              target: 'document',
              actions: { type: 'recordConsent', params: ({ event }) => event.consent },
            },
          },
          after: {
            consentWaitMs: {
              target: '#session.failed',
              actions: {
                type: 'setReason',
                params: {
                  code: 'session_consent_wait_timeout',
                  message: 'no consent was given in time',
                },
              },
            },
          },
        },
        document: {
          initial: 'waiting',
          invoke: {
            id: 'documentPresence',
            src: 'documentPresence',
            input: ({ context }) => ({ sessionId: context.sessionId }),
            onError: {
              target: '#session.failed',
              actions: {
                type: 'setReasonFromError',
                params: ({ event }) => ({
                  error: event.error,
                  fallbackCode: 'session_step_failed',
                }),
              },
            },
          },
          always: suspendIfLost('documentReader', { restart: false }),
          on: {
            'DOCUMENT.PRESENTED': {
              guard: {
                type: 'documentKindKnown',
                params: ({ event }) => ({ documentKind: event.documentKind }),
              },
              actions: {
                type: 'markDocumentPresented',
                params: ({ event }) => ({ documentKind: event.documentKind }),
              },
            },
            'DOCUMENT.REMOVED': { actions: 'markDocumentRemoved' },
          },
          states: {
            waiting: {
              entry: [
                'clearReason',
                { type: 'emitState', params: { state: 'document.waiting', step: 'document' } },
              ],
              always: { guard: 'documentPresent', target: 'reading' },
              after: {
                documentWaitMs: {
                  target: '#session.failed',
                  actions: {
                    type: 'setReason',
                    params: {
                      code: 'session_document_wait_timeout',
                      message: 'no document was presented in time',
                    },
                  },
                },
              },
            },
            reading: {
              entry: 'clearReason',
              initial: 'accessControl',
              always: suspendIfLost('documentReader', { restart: true }),
              states: {
                accessControl: {
                  entry: {
                    type: 'emitState',
                    params: { state: 'document.reading.accessControl', step: 'document' },
                  },
                  on: {
                    'DOCUMENT.PROGRESS': [
                      readProgress('accessControl'),
                      readProgress('read', 'files'),
                      readProgress('verify', 'authenticity'),
                    ],
                  },
                },
                files: {
                  entry: {
                    type: 'emitState',
                    params: { state: 'document.reading.files', step: 'document' },
                  },
                  on: {
                    'DOCUMENT.PROGRESS': [
                      readProgress('read'),
                      readProgress('verify', 'authenticity'),
                    ],
                  },
                },
                authenticity: {
                  entry: {
                    type: 'emitState',
                    params: { state: 'document.reading.authenticity', step: 'document' },
                  },
                },
              },
              invoke: {
                id: 'readDocument',
                src: 'readDocument',
                input: ({ context }) => ({
                  attempt: context.documentAttempt,
                  ...(context.credentials === undefined
                    ? {}
                    : { credentials: context.credentials }),
                  ...(context.documentKind === undefined
                    ? {}
                    : { documentKind: context.documentKind }),
                }),
                onDone: {
                  target: 'verifying',
                  actions: [
                    'clearReason',
                    {
                      type: 'recordDocument',
                      params: ({ event }) => normalizeDocumentSummary(event.output),
                    },
                  ],
                },
                onError: [
                  {
                    guard: 'isDeviceLostError',
                    target: '#session.suspended',
                    actions: {
                      type: 'suspend',
                      params: ({ event }) => ({
                        step: 'document',
                        restart: true,
                        message: `the document reader was lost during the read (${failureReasonOf(event.error, 'device_detached').code})`,
                      }),
                    },
                  },
                  {
                    guard: and(['isCredentialsRequiredError', 'canProvideCredentials']),
                    target: 'credentials',
                    actions: {
                      type: 'setReasonFromError',
                      params: ({ event }) => ({
                        error: event.error,
                        fallbackCode: 'session_step_failed',
                      }),
                    },
                  },
                  {
                    guard: 'isCredentialsRequiredError',
                    target: '#session.failed',
                    actions: {
                      type: 'setReason',
                      params: {
                        code: 'session_credentials_attempts_exhausted',
                        message: 'access control failed with every MRZ / CAN provided',
                      },
                    },
                  },
                  {
                    guard: and(['isTransientDocumentError', 'canRetryDocumentRead']),
                    target: 'retryWait',
                    actions: {
                      type: 'setReasonFromError',
                      params: ({ event }) => ({
                        error: event.error,
                        fallbackCode: 'session_step_failed',
                      }),
                    },
                  },
                  {
                    guard: 'isTransientDocumentError',
                    target: '#session.failed',
                    actions: {
                      type: 'setReason',
                      params: ({ event }) => ({
                        code: 'session_document_retries_exhausted',
                        message: `the document read kept failing: ${failureReasonOf(event.error, 'session_step_failed').code}`,
                      }),
                    },
                  },
                  {
                    target: '#session.failed',
                    actions: {
                      type: 'setReasonFromError',
                      params: ({ event }) => ({
                        error: event.error,
                        fallbackCode: 'session_document_read_failed',
                      }),
                    },
                  },
                ],
              },
              after: {
                documentReadMs: {
                  target: '#session.failed',
                  actions: {
                    type: 'setReason',
                    params: {
                      code: 'session_document_read_timeout',
                      message: 'reading the document took too long',
                    },
                  },
                },
              },
            },
            retryWait: {
              entry: {
                type: 'emitState',
                params: { state: 'document.retryWait', step: 'document' },
              },
              after: {
                documentRetryDelayMs: [
                  {
                    guard: 'documentPresent',
                    target: 'reading',
                    actions: 'nextDocumentAttempt',
                  },
                  { target: 'waiting', actions: 'nextDocumentAttempt' },
                ],
              },
            },
            credentials: {
              entry: {
                type: 'emitState',
                params: { state: 'document.credentials', step: 'document' },
              },
              on: {
                'CREDENTIALS.PROVIDED': {
                  guard: {
                    type: 'credentialsWellFormed',
                    params: ({ event }) => ({ credentials: event.credentials }),
                  },
                  target: 'reading',
                  actions: [
                    'clearReason',
                    {
                      type: 'recordCredentials',
                      params: ({ event }) => ({ credentials: event.credentials }),
                    },
                  ],
                },
              },
              after: {
                credentialsWaitMs: {
                  target: '#session.failed',
                  actions: {
                    type: 'setReason',
                    params: {
                      code: 'session_credentials_wait_timeout',
                      message: 'no MRZ or CAN was provided in time',
                    },
                  },
                },
              },
            },
            verifying: {
              entry: {
                type: 'emitState',
                params: { state: 'document.verifying', step: 'document' },
              },
              always: [
                {
                  guard: 'documentNotGenuine',
                  target: '#session.failed',
                  actions: {
                    type: 'setReason',
                    params: ({ context }) => ({
                      code: context.document?.authenticityCode ?? 'session_document_not_genuine',
                      message: 'the document failed authenticity verification',
                    }),
                  },
                },
                {
                  guard: 'documentPhotoMissing',
                  target: '#session.failed',
                  actions: {
                    type: 'setReason',
                    params: ({ context }) => ({
                      code:
                        context.document?.photoUnavailableCode ?? 'session_document_photo_missing',
                      message: 'the document has no face photo to match against',
                    }),
                  },
                },
                { target: '#session.active.face' },
              ],
            },
          },
        },
        face: {
          initial: 'capturing',
          always: suspendIfLost('camera', { restart: false }),
          states: {
            capturing: {
              entry: 'clearReason',
              initial: 'positioning',
              always: suspendIfLost('camera', { restart: true }),
              states: {
                positioning: {
                  entry: {
                    type: 'emitState',
                    params: { state: 'face.capturing.positioning', step: 'face' },
                  },
                  on: { 'FACE.PHASE': [facePhase('liveness'), facePhase('bestFrame')] },
                },
                liveness: {
                  entry: {
                    type: 'emitState',
                    params: { state: 'face.capturing.liveness', step: 'face' },
                  },
                  on: { 'FACE.PHASE': facePhase('bestFrame') },
                },
                bestFrame: {
                  entry: {
                    type: 'emitState',
                    params: { state: 'face.capturing.bestFrame', step: 'face' },
                  },
                },
              },
              invoke: {
                id: 'captureFace',
                src: 'captureFace',
                input: ({ context }) => ({ attempt: context.faceAttempt }),
                onDone: [
                  {
                    guard: {
                      type: 'livenessPassed',
                      params: ({ event }) => normalizeCaptureResult(event.output),
                    },
                    target: '#session.active.match',
                    actions: {
                      type: 'recordLiveness',
                      params: ({ event }) => normalizeCaptureResult(event.output),
                    },
                  },
                  {
                    guard: 'canRetryFace',
                    target: 'retryWait',
                    actions: [
                      {
                        type: 'recordLiveness',
                        params: ({ event }) => normalizeCaptureResult(event.output),
                      },
                      {
                        type: 'setReasonFromVerdict',
                        params: ({ event }) => normalizeCaptureResult(event.output),
                      },
                    ],
                  },
                  {
                    target: '#session.failed',
                    actions: [
                      {
                        type: 'recordLiveness',
                        params: ({ event }) => normalizeCaptureResult(event.output),
                      },
                      {
                        type: 'setReason',
                        params: ({ event }) => ({
                          code: 'session_face_attempts_exhausted',
                          message: `every liveness attempt failed; last: ${normalizeCaptureResult(event.output).reasons.join(', ')}`,
                        }),
                      },
                    ],
                  },
                ],
                onError: [
                  {
                    guard: 'isDeviceLostError',
                    target: '#session.suspended',
                    actions: {
                      type: 'suspend',
                      params: ({ event }) => ({
                        step: 'face',
                        restart: true,
                        message: `the camera was lost during the capture (${failureReasonOf(event.error, 'camera_unplugged').code})`,
                      }),
                    },
                  },
                  {
                    guard: 'canRetryFace',
                    target: 'retryWait',
                    actions: {
                      type: 'setReasonFromError',
                      params: ({ event }) => ({
                        error: event.error,
                        fallbackCode: 'session_step_failed',
                      }),
                    },
                  },
                  {
                    target: '#session.failed',
                    actions: {
                      type: 'setReasonFromError',
                      params: ({ event }) => ({
                        error: event.error,
                        fallbackCode: 'session_step_failed',
                      }),
                    },
                  },
                ],
              },
              after: {
                faceMs: [
                  {
                    guard: 'canRetryFace',
                    target: 'retryWait',
                    actions: {
                      type: 'setReason',
                      params: {
                        code: 'session_face_timeout',
                        message: 'the face capture attempt took too long',
                      },
                    },
                  },
                  {
                    target: '#session.failed',
                    actions: {
                      type: 'setReason',
                      params: {
                        code: 'session_face_timeout',
                        message: 'the face capture attempt took too long',
                      },
                    },
                  },
                ],
              },
            },
            retryWait: {
              entry: { type: 'emitState', params: { state: 'face.retryWait', step: 'face' } },
              after: {
                faceRetryDelayMs: { target: 'capturing', actions: 'nextFaceAttempt' },
              },
            },
          },
        },
        match: {
          entry: { type: 'emitState', params: { state: 'match', step: 'match' } },
          invoke: {
            id: 'matchFace',
            src: 'matchFace',
            input: ({ context }) => ({ sessionId: context.sessionId }),
            onDone: [
              {
                guard: {
                  type: 'matchAccepted',
                  params: ({ event }) => normalizeMatchResult(event.output),
                },
                target: 'registration',
                actions: {
                  type: 'recordMatch',
                  params: ({ event }) => normalizeMatchResult(event.output),
                },
              },
              {
                guard: {
                  type: 'matchNeedsReview',
                  params: ({ event }) => normalizeMatchResult(event.output),
                },
                target: 'review',
                actions: {
                  type: 'recordMatch',
                  params: ({ event }) => normalizeMatchResult(event.output),
                },
              },
              {
                guard: {
                  type: 'matchRejected',
                  params: ({ event }) => normalizeMatchResult(event.output),
                },
                target: '#session.failed',
                actions: [
                  {
                    type: 'recordMatch',
                    params: ({ event }) => normalizeMatchResult(event.output),
                  },
                  {
                    type: 'setReason',
                    params: {
                      code: 'session_face_no_match',
                      message: 'the face does not match the document photo',
                    },
                  },
                ],
              },
              {
                target: '#session.failed',
                actions: [
                  {
                    type: 'recordMatch',
                    params: ({ event }) => normalizeMatchResult(event.output),
                  },
                  {
                    type: 'setReason',
                    params: {
                      code: 'session_face_match_inconclusive',
                      message: 'the face match was inconclusive and manual review is not allowed',
                    },
                  },
                ],
              },
            ],
            onError: {
              target: '#session.failed',
              actions: {
                type: 'setReasonFromError',
                params: ({ event }) => ({
                  error: event.error,
                  fallbackCode: 'session_step_failed',
                }),
              },
            },
          },
          after: {
            matchMs: {
              target: '#session.failed',
              actions: {
                type: 'setReason',
                params: { code: 'session_match_timeout', message: 'face matching took too long' },
              },
            },
          },
        },
        review: {
          entry: { type: 'emitState', params: { state: 'review', step: 'match' } },
          on: {
            'REVIEW.DECIDED': [
              {
                guard: { type: 'reviewApproved', params: ({ event }) => ({ review: event }) },
                target: 'registration',
                actions: { type: 'recordReview', params: ({ event }) => reviewDecisionOf(event) },
              },
              {
                guard: { type: 'reviewWellFormed', params: ({ event }) => ({ review: event }) },
                target: '#session.failed',
                actions: [
                  { type: 'recordReview', params: ({ event }) => reviewDecisionOf(event) },
                  {
                    type: 'setReason',
                    params: ({ event }) => ({
                      code: 'session_review_rejected',
                      message: `operator ${event.operatorId} rejected the match`,
                    }),
                  },
                ],
              },
            ],
          },
          after: {
            reviewWaitMs: {
              target: '#session.failed',
              actions: {
                type: 'setReason',
                params: {
                  code: 'session_review_wait_timeout',
                  message: 'no operator decided the review in time',
                },
              },
            },
          },
        },
        registration: {
          initial: 'awaitingConfirmation',
          states: {
            awaitingConfirmation: {
              entry: {
                type: 'emitState',
                params: { state: 'registration.awaitingConfirmation', step: 'registration' },
              },
              on: {
                'REGISTRATION.CONFIRMED': {
                  guard: {
                    type: 'confirmationWellFormed',
                    params: ({ event }) => ({ confirmation: event.confirmation }),
                  },
                  target: 'submitting',
                  actions: {
                    type: 'recordConfirmation',
                    params: ({ event }) => event.confirmation,
                  },
                },
              },
              after: {
                confirmWaitMs: {
                  target: '#session.failed',
                  actions: {
                    type: 'setReason',
                    params: {
                      code: 'session_confirm_wait_timeout',
                      message: 'the registration details were not confirmed in time',
                    },
                  },
                },
              },
            },
            submitting: {
              entry: {
                type: 'emitState',
                params: { state: 'registration.submitting', step: 'registration' },
              },
              invoke: {
                id: 'submitRegistration',
                src: 'submitRegistration',
                input: ({ context }) => context.confirmation ?? { msisdn: '', operatorId: '' },
                onDone: {
                  target: '#session.completed',
                  actions: {
                    type: 'recordRegistration',
                    params: ({ event }) => normalizeSubmitResult(event.output),
                  },
                },
                onError: {
                  target: '#session.failed',
                  actions: {
                    type: 'setReasonFromError',
                    params: ({ event }) => ({
                      error: event.error,
                      fallbackCode: 'session_registration_failed',
                    }),
                  },
                },
              },
              after: {
                registrationMs: {
                  target: '#session.failed',
                  actions: {
                    type: 'setReason',
                    params: {
                      code: 'session_registration_timeout',
                      message: 'submitting the registration took too long',
                    },
                  },
                },
              },
            },
          },
        },
      },
    },
    suspended: {
      entry: 'emitSuspendedState',
      on: {
        // Resuming restarts an interrupted read or capture from its first phase; any other state
        // (waiting, credentials, a retry pause) comes back as it was, with the reason it had.
        'DEVICE.RESTORED': [
          {
            guard: {
              type: 'lastLostAndRestartsRead',
              params: ({ event }) => ({ device: event.device }),
            },
            target: '#session.active.document.reading',
            actions: [{ type: 'forgetLostDevice', params: ({ event }) => event.device }, 'resume'],
          },
          {
            guard: {
              type: 'lastLostAndRestartsCapture',
              params: ({ event }) => ({ device: event.device }),
            },
            target: '#session.active.face.capturing',
            actions: [{ type: 'forgetLostDevice', params: ({ event }) => event.device }, 'resume'],
          },
          {
            guard: { type: 'isLastLostDevice', params: ({ event }) => ({ device: event.device }) },
            target: '#session.active.hist',
            actions: [{ type: 'forgetLostDevice', params: ({ event }) => event.device }, 'resume'],
          },
          {
            guard: { type: 'deviceWasLost', params: ({ event }) => ({ device: event.device }) },
            actions: { type: 'forgetLostDevice', params: ({ event }) => event.device },
          },
        ],
      },
      after: {
        suspendedMs: {
          target: 'failed',
          actions: {
            type: 'setReason',
            params: {
              code: 'session_suspended_timeout',
              message: 'a lost device did not come back in time',
            },
          },
        },
      },
    },
    completed: {
      type: 'final',
      entry: [
        'clearReason',
        { type: 'setStatus', params: { status: 'completed' } },
        { type: 'emitState', params: { state: 'completed', step: 'done' } },
      ],
    },
    failed: {
      type: 'final',
      entry: [
        { type: 'setStatus', params: { status: 'failed' } },
        { type: 'emitState', params: { state: 'failed', step: 'done' } },
      ],
    },
    cancelled: {
      type: 'final',
      entry: [
        { type: 'setStatus', params: { status: 'cancelled' } },
        { type: 'emitState', params: { state: 'cancelled', step: 'done' } },
      ],
    },
    expired: {
      type: 'final',
      entry: [
        { type: 'setStatus', params: { status: 'expired' } },
        { type: 'emitState', params: { state: 'expired', step: 'done' } },
      ],
    },
  },
});

function reviewDecisionOf(event: {
  operatorId: string;
  approve: boolean;
  note?: string;
}): ReviewDecision {
  return {
    operatorId: String(event.operatorId).slice(0, 128),
    approve: event.approve === true,
    ...(typeof event.note === 'string' ? { note: event.note.slice(0, 1000) } : {}),
  };
}
