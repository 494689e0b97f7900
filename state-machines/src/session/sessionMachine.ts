import { and, assign, emit, fromCallback, fromPromise, setup, type EventObject } from 'xstate';
import { MachineError } from '../errors/MachineError.js';
import { failureReasonOf, type FailureReason } from '../errors/failureReasonOf.js';
import { documentReadErrorClass } from './documentReadErrorClass.js';
import { resolveSessionFlowConfig } from './SessionFlowConfig.js';
import {
  isDocumentKind,
  isWellFormedConfirmation,
  isWellFormedConsent,
  isWellFormedCredentials,
  isWellFormedDevice,
  isWellFormedProgress,
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
  DocumentReadSummary,
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

/**
 * The session flow: consent → document (wait → read, pausing for an MRZ / CAN → verify) → face
 * (liveness, with retries) → match (→ manual review when allowed) → registration (confirm →
 * submit) → `completed`; or `failed` (with a reason code), `cancelled`, `expired`.
 *
 * Pure: every side effect is an actor slot the daemon replaces with `.provide({ actors })`:
 * `documentPresence` (callback: sends `DOCUMENT.PRESENTED` / `DOCUMENT.REMOVED`),
 * `readDocument`, `captureFace`, `matchFace`, `submitRegistration` (promises). The placeholders
 * reject with `session_actor_not_provided`. Every state entry emits `session.state`.
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
    readDocument: fromPromise<DocumentReadSummary, ReadDocumentInput>(() => Promise.reject(notProvided('readDocument'))),
    captureFace: fromPromise<FaceCaptureResult, CaptureFaceInput>(() => Promise.reject(notProvided('captureFace'))),
    matchFace: fromPromise<FaceMatchResult, MatchFaceInput>(() => Promise.reject(notProvided('matchFace'))),
    submitRegistration: fromPromise<RegistrationSubmitResult, RegistrationConfirmation>(() =>
      Promise.reject(notProvided('submitRegistration')),
    ),
  },
  guards: {
    hasConsent: ({ context }) => context.consent !== undefined,
    credentialsWellFormed: (_, params: { credentials: unknown }) => isWellFormedCredentials(params.credentials),
    confirmationWellFormed: (_, params: { confirmation: unknown }) => isWellFormedConfirmation(params.confirmation),
    consentWellFormed: (_, params: { consent: unknown }) => isWellFormedConsent(params.consent),
    documentKindKnown: (_, params: { documentKind: unknown }) => isDocumentKind(params.documentKind),
    reviewWellFormed: (_, params: { review: unknown }) => isWellFormedReview(params.review),
    progressWellFormed: (_, params: { progress: unknown }) => isWellFormedProgress(params.progress),
    documentPresent: ({ context }) => context.documentPresent,
    isCredentialsRequiredError: ({ event }) => documentReadErrorClass(actorErrorOf(event)) === 'credentials',
    isTransientDocumentError: ({ event }) => documentReadErrorClass(actorErrorOf(event)) === 'transient',
    canProvideCredentials: ({ context }) => context.credentialAttempts < context.config.credentialAttempts,
    canRetryDocumentRead: ({ context }) => context.documentAttempt <= context.config.documentRetries,
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
    lostDeviceIsReader: (_, params: { device: unknown }) =>
      isWellFormedDevice(params.device) && (params.device as SessionDevice).kind === 'documentReader',
    lostDeviceIsCamera: (_, params: { device: unknown }) =>
      isWellFormedDevice(params.device) && (params.device as SessionDevice).kind === 'camera',
    deviceWellFormed: (_, params: { device: unknown }) => isWellFormedDevice(params.device),
    isLastLostDevice: ({ context }, params: { device: unknown }) =>
      isWellFormedDevice(params.device) && context.lostDevices.every((device) => sameDevice(device, params.device as SessionDevice)),
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
    emitProgress: emit(
      (_, params: { step: 'document' | 'face'; stage: string; percent?: number | undefined }): SessionEmitted => ({
        type: 'session.progress',
        step: params.step,
        stage: params.stage,
        ...(typeof params.percent === 'number' && params.percent >= 0 && params.percent <= 100
          ? { percent: params.percent }
          : {}),
      }),
    ),
    setReason: assign({ reason: (_, params: FailureReason) => params }),
    setReasonFromError: assign({
      reason: (_, params: ActorErrorParams) => failureReasonOf(params.error, params.fallbackCode),
    }),
    clearReason: assign({ reason: undefined }),
    setStatus: assign({ status: (_, params: { status: SessionStatus }) => params.status }),
    recordConsent: assign({ consent: (_, params: SessionConsent) => params }),
    markDocumentPresented: assign({
      documentPresent: true,
      documentKind: (_, params: { documentKind: SessionContext['documentKind'] }) => params.documentKind,
    }),
    markDocumentRemoved: assign({ documentPresent: false }),
    recordCredentials: assign({
      credentials: (_, params: { credentials: SessionContext['credentials'] }) => params.credentials,
      credentialAttempts: ({ context }) => context.credentialAttempts + 1,
    }),
    nextDocumentAttempt: assign({ documentAttempt: ({ context }) => context.documentAttempt + 1 }),
    recordDocument: assign({ document: (_, params: DocumentReadSummary) => params }),
    recordLiveness: assign({ liveness: (_, params: FaceCaptureResult) => params }),
    setReasonFromVerdict: assign({
      reason: (_, params: FaceCaptureResult): FailureReason => {
        const first = params.reasons.find((r) => typeof r === 'string') ?? 'session_step_failed';
        return { code: first, message: `liveness attempt failed: ${params.reasons.join(', ') || 'no reason given'}` };
      },
    }),
    nextFaceAttempt: assign({ faceAttempt: ({ context }) => context.faceAttempt + 1 }),
    recordMatch: assign({ match: (_, params: FaceMatchResult) => params }),
    recordReview: assign({ review: (_, params: ReviewDecision) => params }),
    recordConfirmation: assign({ confirmation: (_, params: RegistrationConfirmation) => params }),
    recordRegistration: assign({ registration: (_, params: RegistrationSubmitResult) => params }),
    recordLostDevice: assign({
      lostDevices: ({ context }, params: SessionDevice) =>
        context.lostDevices.some((d) => sameDevice(d, params)) ? context.lostDevices : [...context.lostDevices, params],
    }),
    forgetLostDevice: assign({
      lostDevices: ({ context }, params: SessionDevice) => context.lostDevices.filter((d) => !sameDevice(d, params)),
    }),
    setSuspendedStep: assign({
      suspendedStep: (_, params: { step: SessionStep }) => params.step,
      documentPresent: ({ context }, params: { step: SessionStep }) =>
        params.step === 'document' ? false : context.documentPresent,
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
    reason: undefined,
  }),
  initial: 'active',
  on: {
    CANCEL: {
      target: '.cancelled',
      actions: {
        type: 'setReason',
        params: ({ event }) => ({
          code: 'session_cancelled',
          message: typeof event.reason === 'string' && event.reason !== '' ? event.reason.slice(0, 200) : 'cancelled',
        }),
      },
    },
  },
  after: {
    sessionMs: {
      target: '.expired',
      actions: { type: 'setReason', params: { code: 'session_expired', message: 'the session timed out' } },
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
              guard: { type: 'consentWellFormed', params: ({ event }) => ({ consent: event.consent }) },
              target: 'document',
              actions: { type: 'recordConsent', params: ({ event }) => event.consent },
            },
          },
          after: {
            consentWaitMs: {
              target: '#session.failed',
              actions: {
                type: 'setReason',
                params: { code: 'session_consent_wait_timeout', message: 'no consent was given in time' },
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
                params: ({ event }) => ({ error: event.error, fallbackCode: 'session_step_failed' }),
              },
            },
          },
          on: {
            'DOCUMENT.PRESENTED': {
              guard: { type: 'documentKindKnown', params: ({ event }) => ({ documentKind: event.documentKind }) },
              actions: { type: 'markDocumentPresented', params: ({ event }) => ({ documentKind: event.documentKind }) },
            },
            'DOCUMENT.REMOVED': { actions: 'markDocumentRemoved' },
            'DEVICE.LOST': {
              guard: { type: 'lostDeviceIsReader', params: ({ event }) => ({ device: event.device }) },
              target: '#session.suspended',
              actions: [
                { type: 'recordLostDevice', params: ({ event }) => event.device },
                { type: 'setSuspendedStep', params: { step: 'document' } },
                {
                  type: 'setReason',
                  params: ({ event }) => ({
                    code: 'session_device_lost',
                    message: `the document reader ${event.device.id} was lost`,
                  }),
                },
              ],
            },
            'DOCUMENT.PROGRESS': {
              guard: { type: 'progressWellFormed', params: ({ event }) => ({ progress: event }) },
              actions: {
                type: 'emitProgress',
                params: ({ event }) => ({ step: 'document', stage: event.stage, percent: event.percent }),
              },
            },
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
                    params: { code: 'session_document_wait_timeout', message: 'no document was presented in time' },
                  },
                },
              },
            },
            reading: {
              entry: ['clearReason', { type: 'emitState', params: { state: 'document.reading', step: 'document' } }],
              invoke: {
                id: 'readDocument',
                src: 'readDocument',
                input: ({ context }) => ({
                  attempt: context.documentAttempt,
                  ...(context.credentials === undefined ? {} : { credentials: context.credentials }),
                  ...(context.documentKind === undefined ? {} : { documentKind: context.documentKind }),
                }),
                onDone: {
                  target: 'verifying',
                  actions: ['clearReason', { type: 'recordDocument', params: ({ event }) => normalizeDocumentSummary(event.output) }],
                },
                onError: [
                  {
                    guard: and(['isCredentialsRequiredError', 'canProvideCredentials']),
                    target: 'credentials',
                    actions: {
                      type: 'setReasonFromError',
                      params: ({ event }) => ({ error: event.error, fallbackCode: 'session_step_failed' }),
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
                      params: ({ event }) => ({ error: event.error, fallbackCode: 'session_step_failed' }),
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
                      params: ({ event }) => ({ error: event.error, fallbackCode: 'session_document_read_failed' }),
                    },
                  },
                ],
              },
              after: {
                documentReadMs: {
                  target: '#session.failed',
                  actions: {
                    type: 'setReason',
                    params: { code: 'session_document_read_timeout', message: 'reading the document took too long' },
                  },
                },
              },
            },
            retryWait: {
              entry: { type: 'emitState', params: { state: 'document.retryWait', step: 'document' } },
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
              entry: { type: 'emitState', params: { state: 'document.credentials', step: 'document' } },
              on: {
                'CREDENTIALS.PROVIDED': {
                  guard: { type: 'credentialsWellFormed', params: ({ event }) => ({ credentials: event.credentials }) },
                  target: 'reading',
                  actions: [
                    'clearReason',
                    { type: 'recordCredentials', params: ({ event }) => ({ credentials: event.credentials }) },
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
              entry: { type: 'emitState', params: { state: 'document.verifying', step: 'document' } },
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
                      code: context.document?.photoUnavailableCode ?? 'session_document_photo_missing',
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
          on: {
            'DEVICE.LOST': {
              guard: { type: 'lostDeviceIsCamera', params: ({ event }) => ({ device: event.device }) },
              target: '#session.suspended',
              actions: [
                { type: 'recordLostDevice', params: ({ event }) => event.device },
                { type: 'setSuspendedStep', params: { step: 'face' } },
                {
                  type: 'setReason',
                  params: ({ event }) => ({ code: 'session_device_lost', message: `the camera ${event.device.id} was lost` }),
                },
              ],
            },
            'FACE.PROGRESS': {
              guard: { type: 'progressWellFormed', params: ({ event }) => ({ progress: event }) },
              actions: {
                type: 'emitProgress',
                params: ({ event }) => ({ step: 'face', stage: event.stage, percent: event.percent }),
              },
            },
          },
          states: {
            capturing: {
              entry: ['clearReason', { type: 'emitState', params: { state: 'face.capturing', step: 'face' } }],
              invoke: {
                id: 'captureFace',
                src: 'captureFace',
                input: ({ context }) => ({ attempt: context.faceAttempt }),
                onDone: [
                  {
                    guard: { type: 'livenessPassed', params: ({ event }) => normalizeCaptureResult(event.output) },
                    target: '#session.active.match',
                    actions: { type: 'recordLiveness', params: ({ event }) => normalizeCaptureResult(event.output) },
                  },
                  {
                    guard: 'canRetryFace',
                    target: 'retryWait',
                    actions: [
                      { type: 'recordLiveness', params: ({ event }) => normalizeCaptureResult(event.output) },
                      { type: 'setReasonFromVerdict', params: ({ event }) => normalizeCaptureResult(event.output) },
                    ],
                  },
                  {
                    target: '#session.failed',
                    actions: [
                      { type: 'recordLiveness', params: ({ event }) => normalizeCaptureResult(event.output) },
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
                    guard: 'canRetryFace',
                    target: 'retryWait',
                    actions: {
                      type: 'setReasonFromError',
                      params: ({ event }) => ({ error: event.error, fallbackCode: 'session_step_failed' }),
                    },
                  },
                  {
                    target: '#session.failed',
                    actions: {
                      type: 'setReasonFromError',
                      params: ({ event }) => ({ error: event.error, fallbackCode: 'session_step_failed' }),
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
                      params: { code: 'session_face_timeout', message: 'the face capture attempt took too long' },
                    },
                  },
                  {
                    target: '#session.failed',
                    actions: {
                      type: 'setReason',
                      params: { code: 'session_face_timeout', message: 'the face capture attempt took too long' },
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
                guard: { type: 'matchAccepted', params: ({ event }) => normalizeMatchResult(event.output) },
                target: 'registration',
                actions: { type: 'recordMatch', params: ({ event }) => normalizeMatchResult(event.output) },
              },
              {
                guard: { type: 'matchNeedsReview', params: ({ event }) => normalizeMatchResult(event.output) },
                target: 'review',
                actions: { type: 'recordMatch', params: ({ event }) => normalizeMatchResult(event.output) },
              },
              {
                guard: { type: 'matchRejected', params: ({ event }) => normalizeMatchResult(event.output) },
                target: '#session.failed',
                actions: [
                  { type: 'recordMatch', params: ({ event }) => normalizeMatchResult(event.output) },
                  {
                    type: 'setReason',
                    params: { code: 'session_face_no_match', message: 'the face does not match the document photo' },
                  },
                ],
              },
              {
                target: '#session.failed',
                actions: [
                  { type: 'recordMatch', params: ({ event }) => normalizeMatchResult(event.output) },
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
                params: ({ event }) => ({ error: event.error, fallbackCode: 'session_step_failed' }),
              },
            },
          },
          after: {
            matchMs: {
              target: '#session.failed',
              actions: { type: 'setReason', params: { code: 'session_match_timeout', message: 'face matching took too long' } },
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
                params: { code: 'session_review_wait_timeout', message: 'no operator decided the review in time' },
              },
            },
          },
        },
        registration: {
          initial: 'awaitingConfirmation',
          states: {
            awaitingConfirmation: {
              entry: { type: 'emitState', params: { state: 'registration.awaitingConfirmation', step: 'registration' } },
              on: {
                'REGISTRATION.CONFIRMED': {
                  guard: { type: 'confirmationWellFormed', params: ({ event }) => ({ confirmation: event.confirmation }) },
                  target: 'submitting',
                  actions: { type: 'recordConfirmation', params: ({ event }) => event.confirmation },
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
              entry: { type: 'emitState', params: { state: 'registration.submitting', step: 'registration' } },
              invoke: {
                id: 'submitRegistration',
                src: 'submitRegistration',
                input: ({ context }) => context.confirmation ?? { msisdn: '', operatorId: '' },
                onDone: {
                  target: '#session.completed',
                  actions: { type: 'recordRegistration', params: ({ event }) => normalizeSubmitResult(event.output) },
                },
                onError: {
                  target: '#session.failed',
                  actions: {
                    type: 'setReasonFromError',
                    params: ({ event }) => ({ error: event.error, fallbackCode: 'session_registration_failed' }),
                  },
                },
              },
              after: {
                registrationMs: {
                  target: '#session.failed',
                  actions: {
                    type: 'setReason',
                    params: { code: 'session_registration_timeout', message: 'submitting the registration took too long' },
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
        'DEVICE.LOST': {
          guard: { type: 'deviceWellFormed', params: ({ event }) => ({ device: event.device }) },
          actions: { type: 'recordLostDevice', params: ({ event }) => event.device },
        },
        'DEVICE.RESTORED': [
          {
            guard: { type: 'isLastLostDevice', params: ({ event }) => ({ device: event.device }) },
            target: '#session.active.hist',
            actions: [{ type: 'forgetLostDevice', params: ({ event }) => event.device }, 'clearReason'],
          },
          {
            guard: { type: 'deviceWellFormed', params: ({ event }) => ({ device: event.device }) },
            actions: { type: 'forgetLostDevice', params: ({ event }) => event.device },
          },
        ],
      },
      after: {
        suspendedMs: {
          target: 'failed',
          actions: {
            type: 'setReason',
            params: { code: 'session_suspended_timeout', message: 'a lost device did not come back in time' },
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

function reviewDecisionOf(event: { operatorId: string; approve: boolean; note?: string }): ReviewDecision {
  return {
    operatorId: String(event.operatorId).slice(0, 128),
    approve: event.approve === true,
    ...(typeof event.note === 'string' ? { note: event.note.slice(0, 1000) } : {}),
  };
}
