import type { FailureReason } from '../errors/failureReasonOf.js';
import type { SessionFlowConfig } from './SessionFlowConfig.js';

/** Kinds of identity document (same spelling as the daemon's `DocumentReadResult.kind`). */
export type SessionDocumentKind = 'emrtd' | 'cn-resident-id';

/** Access-control credentials for an eMRTD: the MRZ's key fields (BAC / PACE-MRZ) or a CAN (PACE-CAN). */
export type DocumentCredentials =
  | {
      readonly kind: 'mrz';
      readonly documentNumber: string;
      /** YYMMDD as printed in the MRZ. */
      readonly dateOfBirth: string;
      /** YYMMDD as printed in the MRZ. */
      readonly dateOfExpiry: string;
    }
  | { readonly kind: 'can'; readonly can: string };

/** Input of the `readDocument` actor slot. */
export interface ReadDocumentInput {
  /** Present once the POS provided an MRZ or CAN (`CREDENTIALS.PROVIDED`). */
  readonly credentials?: DocumentCredentials;
  /** 1 for the first read, 2 for the first re-read, … */
  readonly attempt: number;
  /** The kind the presence actor reported, if it said. */
  readonly documentKind?: SessionDocumentKind;
}

/**
 * What `readDocument` resolves with: a small summary (no personal data travels through the
 * machine; the daemon keeps the full `DocumentReadResult` itself).
 */
export interface DocumentReadSummary {
  readonly kind: SessionDocumentKind;
  /** True when the document carries a face photo usable for matching. */
  readonly hasPhoto: boolean;
  /** True when authenticity verification (passive authentication, CA/AA) passed. */
  readonly genuine: boolean;
  /** The registered code of the failed authenticity check when `genuine` is false. */
  readonly authenticityCode?: string;
  /** The registered code explaining a missing photo when `hasPhoto` is false. */
  readonly photoUnavailableCode?: string;
}

/** Input of the `captureFace` actor slot. */
export interface CaptureFaceInput {
  /** 1 for the first attempt, up to `faceAttempts`. */
  readonly attempt: number;
}

/** What `captureFace` resolves with: the liveness verdict of one attempt. */
export interface FaceCaptureResult {
  readonly passed: boolean;
  /** Registered codes (`liveness_*`) explaining a failed attempt; empty when passed. */
  readonly reasons: readonly string[];
}

/** Input of the `matchFace` actor slot (the daemon keeps the best frame and the chip photo per session). */
export interface MatchFaceInput {
  readonly sessionId: string;
}

/** Input of the `documentPresence` actor slot. */
export interface DocumentPresenceInput {
  readonly sessionId: string;
}

/** What `matchFace` resolves with. */
export interface FaceMatchResult {
  readonly score: number;
  readonly threshold: number;
  readonly decision: 'match' | 'no_match' | 'inconclusive';
}

/** The registration details the POS confirms (`REGISTRATION.CONFIRMED`), the input of `submitRegistration`. */
export interface RegistrationConfirmation {
  readonly msisdn: string;
  readonly operatorId: string;
}

/** What `submitRegistration` resolves with: delivered to the carrier, or safely queued in the outbox. */
export interface RegistrationSubmitResult {
  readonly status: 'delivered' | 'queued';
}

/** An operator's manual-review decision (`REVIEW.DECIDED`), recorded with the operator's id. */
export interface ReviewDecision {
  readonly operatorId: string;
  readonly approve: boolean;
  readonly note?: string;
}

/** A device as the session sees it in `DEVICE.LOST` / `DEVICE.RESTORED`. */
export interface SessionDevice {
  /** `documentReader` suspends the document step, `camera` the face step. */
  readonly kind: 'documentReader' | 'camera';
  readonly id: string;
}

/** How the customer consented; when the session starts with it the `consent` step passes at once. */
export interface SessionConsent {
  /** When consent was given (ms since the epoch). */
  readonly givenAtMs: number;
  /** Which consent text (id or version) the customer agreed to. */
  readonly textId: string;
}

/** Input of {@link sessionMachine}. */
export interface SessionInput {
  readonly sessionId: string;
  /** Overrides of {@link DEFAULT_SESSION_FLOW_CONFIG}; validated when the session starts. */
  readonly config?: Partial<SessionFlowConfig>;
  /** Consent recorded by `session.start`; without it the session waits for `CONSENT.GIVEN`. */
  readonly consent?: SessionConsent;
}

/**
 * Progress of a chip read as the reader reports it (the wire's `document.progress`): access
 * control starting, a file read advancing, authenticity verification starting. It moves
 * `document.reading` through `accessControl` → `files` → `authenticity` (forward only).
 */
export type DocumentReadProgress =
  | { readonly phase: 'accessControl'; readonly protocol: 'PACE' | 'BAC' }
  | {
      readonly phase: 'read';
      readonly file: string;
      readonly bytesRead: number;
      readonly totalBytes: number;
    }
  | { readonly phase: 'verify' };

/**
 * The phase of one face capture attempt as the face actor reports it (`FACE.PHASE`):
 * `positioning` (guidance until the face is frontal and still) → `liveness` (challenges) →
 * `bestFrame` (verdict reached, the best frame is taken for the match). Forward only.
 */
export type FaceCapturePhase = 'positioning' | 'liveness' | 'bestFrame';

/** Events the session accepts from outside (the orchestrator and the POS). Anything else is ignored. */
export type SessionExternalEvent =
  | { readonly type: 'CANCEL'; readonly reason?: string }
  | { readonly type: 'CONSENT.GIVEN'; readonly consent: SessionConsent }
  | { readonly type: 'CREDENTIALS.PROVIDED'; readonly credentials: DocumentCredentials }
  | { readonly type: 'REGISTRATION.CONFIRMED'; readonly confirmation: RegistrationConfirmation }
  | { readonly type: 'DEVICE.LOST'; readonly device: SessionDevice }
  | { readonly type: 'DEVICE.RESTORED'; readonly device: SessionDevice }
  | {
      readonly type: 'REVIEW.DECIDED';
      readonly operatorId: string;
      readonly approve: boolean;
      readonly note?: string;
    }
  | { readonly type: 'DOCUMENT.PROGRESS'; readonly progress: DocumentReadProgress }
  | { readonly type: 'FACE.PHASE'; readonly phase: FaceCapturePhase };

/** Events the `documentPresence` callback actor sends back to the session. */
export type DocumentPresenceEvent =
  | { readonly type: 'DOCUMENT.PRESENTED'; readonly documentKind: SessionDocumentKind }
  | { readonly type: 'DOCUMENT.REMOVED' };

/** Every event the session machine handles. */
export type SessionEvent = SessionExternalEvent | DocumentPresenceEvent;

/** The coarse step a session state belongs to, as `session.state` reports it. */
export type SessionStep = 'consent' | 'document' | 'face' | 'match' | 'registration' | 'done';

/** How a session ended. */
export type SessionStatus = 'completed' | 'failed' | 'cancelled' | 'expired';

/** Events the session emits (listen with `actor.on(type, …)`); the daemon forwards them to the POS. */
export type SessionEmitted =
  | {
      readonly type: 'session.state';
      /** Dotted state path without the internal `active.` prefix, e.g. `document.reading`. */
      readonly state: string;
      readonly step: SessionStep;
      readonly reason?: FailureReason;
    }
  | {
      /** A well-formed read progress report, forwarded while `document.reading` runs. */
      readonly type: 'document.progress';
      readonly progress: DocumentReadProgress;
    };

/** The session's context. It holds no personal data except the POS-provided credentials. */
export interface SessionContext {
  readonly sessionId: string;
  readonly config: SessionFlowConfig;
  readonly consent: SessionConsent | undefined;
  /** Set when a final state is reached. */
  readonly status: SessionStatus | undefined;
  /** Whether the presence actor last reported a document on the reader. */
  readonly documentPresent: boolean;
  readonly documentKind: SessionDocumentKind | undefined;
  readonly credentials: DocumentCredentials | undefined;
  /** Credentials the POS provided so far. */
  readonly credentialAttempts: number;
  /** Read attempt in progress or last made (1-based). */
  readonly documentAttempt: number;
  readonly document: DocumentReadSummary | undefined;
  /** Face attempt in progress or last made (1-based). */
  readonly faceAttempt: number;
  readonly liveness: FaceCaptureResult | undefined;
  readonly match: FaceMatchResult | undefined;
  readonly review: ReviewDecision | undefined;
  readonly confirmation: RegistrationConfirmation | undefined;
  readonly registration: RegistrationSubmitResult | undefined;
  /** Devices lost and not yet restored. */
  readonly lostDevices: readonly SessionDevice[];
  /** The step that was running when the session was suspended. */
  readonly suspendedStep: SessionStep | undefined;
  /**
   * True when the session was suspended while the step's device work ran (`document.reading`,
   * `face.capturing`): resuming restarts that work from its first phase instead of the phase
   * it had reached, since the read or capture starts over.
   */
  readonly restartOnResume: boolean;
  /** The reason the session had when it was suspended (e.g. credentials required); restored on resume. */
  readonly resumeReason: FailureReason | undefined;
  /** Why the session is paused or retrying (sent with `session.state`), or why it ended. */
  readonly reason: FailureReason | undefined;
}

/** The machine's output once it reaches a final state. */
export interface SessionOutcome {
  readonly sessionId: string;
  readonly status: SessionStatus;
  readonly reason?: FailureReason;
  readonly document?: DocumentReadSummary;
  readonly liveness?: FaceCaptureResult;
  readonly match?: FaceMatchResult;
  readonly review?: ReviewDecision;
  readonly registration?: RegistrationSubmitResult;
  readonly documentAttempts: number;
  readonly faceAttempts: number;
}
