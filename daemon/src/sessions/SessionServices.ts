import type {
  DocumentCredentials,
  DocumentReadProgress,
  FaceCapturePhase,
  FaceCaptureResult,
  SessionDevice,
  FaceMatchResult,
  RegistrationConfirmation,
  ReviewDecision,
  SessionDocumentKind,
} from '@kycd/state-machines';
import type { DocumentReadResult } from '../documents/DocumentReadResult.js';

/** Something that can publish wire events into the session's log. */
export type PublishEvent = (event: string, data: unknown) => void;

/** An RGB image in memory. */
export interface RgbImage {
  readonly data: Uint8Array;
  readonly width: number;
  readonly height: number;
}

/** One face attempt's outcome: the verdict for the machine and the evidence the daemon keeps. */
export interface FaceCaptureOutcome {
  readonly verdict: FaceCaptureResult;
  /** The best frontal frame, for the match (kept in memory only, never persisted by default). */
  readonly bestFrame?: RgbImage;
  /** Evidence record: timeline, scores, frame hashes; no images. */
  readonly evidence: Readonly<Record<string, unknown>>;
}

/**
 * The device- and model-backed work a session needs. The production wiring backs it with real
 * readers, cameras and models; the simulator wiring with @kycd/hardware-sim; tests with fakes.
 * Every method honours `signal`: leaving a state aborts the work.
 */
export interface SessionServices {
  /** Watch the devices the flow needs; a lost one suspends the session until it is back. */
  watchDevices?(
    onEvent: (event: { type: 'lost' | 'restored'; device: SessionDevice }) => void,
  ): () => void;
  /** The kind of document on a reader right now, if any (the flow asks when it starts waiting). */
  presentDocument(): SessionDocumentKind | undefined;
  /** Watch for a document on any reader; call `onEvent` on presence changes. Returns unsubscribe. */
  watchDocument(
    onEvent: (
      event: { type: 'presented'; kind: SessionDocumentKind } | { type: 'removed' },
    ) => void,
  ): () => void;
  readDocument(input: {
    kind: SessionDocumentKind | undefined;
    credentials: DocumentCredentials | undefined;
    attempt: number;
    /** The session reading (the owner of the reader while it reads). */
    sessionId?: string;
    signal: AbortSignal;
    publish: PublishEvent;
    /** Read progress; the flow hands it to the session machine, which moves the read's phase and forwards it as `document.progress`. */
    onProgress: (progress: DocumentReadProgress) => void;
  }): Promise<DocumentReadResult>;
  captureFace(input: {
    attempt: number;
    /** The session capturing (the owner of the camera while it captures). */
    sessionId?: string;
    signal: AbortSignal;
    publish: PublishEvent;
    /** The attempt reached a phase (`liveness` when the first challenge starts, `bestFrame` at the verdict). */
    onPhase?: (phase: FaceCapturePhase) => void;
  }): Promise<FaceCaptureOutcome>;
  matchFace(input: {
    live: RgbImage;
    document: DocumentReadResult;
    signal: AbortSignal;
  }): Promise<FaceMatchResult>;
  submitRegistration(input: {
    sessionId: string;
    terminalId: string;
    registrationId: string;
    confirmation: RegistrationConfirmation;
    document: DocumentReadResult;
    liveness: FaceCaptureOutcome;
    /** Evidence records of the face attempts before `liveness` in this session (the failed ones), oldest first. */
    earlierFaceAttempts?: readonly FaceCaptureOutcome['evidence'][];
    match: FaceMatchResult;
    /** The operator's decision when the match went to manual review (with the operator id). */
    review?: ReviewDecision;
    signal: AbortSignal;
    publish: PublishEvent;
  }): Promise<{ status: 'delivered' | 'queued' }>;
}
