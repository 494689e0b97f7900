// @kycd/state-machines: the XState v5 machines of the kycd flow. Pure: every side effect is an
// injected actor (see README.md).

export { MachineError } from './errors/MachineError.js';
export { errorCodeOf, failureReasonOf } from './errors/failureReasonOf.js';
export type { FailureReason } from './errors/failureReasonOf.js';

export { sessionMachine } from './session/sessionMachine.js';
export {
  DEFAULT_SESSION_FLOW_CONFIG,
  resolveSessionFlowConfig,
} from './session/SessionFlowConfig.js';
export type { SessionFlowConfig } from './session/SessionFlowConfig.js';
export { sessionStateOf } from './session/sessionStateOf.js';
export { SESSION_EXPIRED_REASON } from './session/sessionExpiredReason.js';
export { DEVICE_LOST_CODES, isDeviceLostError } from './session/deviceLostError.js';
export type { SessionStateView, SessionSnapshotLike } from './session/sessionStateOf.js';
export {
  CREDENTIALS_REQUIRED_CODES,
  TRANSIENT_DOCUMENT_CODES,
  documentReadErrorClass,
} from './session/documentReadErrorClass.js';
export type { DocumentReadErrorClass } from './session/documentReadErrorClass.js';
export type {
  CaptureFaceInput,
  DocumentCredentials,
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
  SessionDocumentKind,
  SessionEmitted,
  SessionEvent,
  SessionExternalEvent,
  SessionInput,
  SessionOutcome,
  SessionStatus,
  SessionStep,
} from './session/sessionTypes.js';

export { livenessMachine } from './liveness/livenessMachine.js';
export { DEFAULT_LIVENESS_PARAMS, resolveLivenessParams } from './liveness/LivenessParams.js';
export type { LivenessChallenge, LivenessParams } from './liveness/LivenessParams.js';
export { isUsableObservation } from './liveness/FaceObservation.js';
export type { FaceObservation } from './liveness/FaceObservation.js';
export {
  INITIAL_CHALLENGE_PROGRESS,
  advanceChallenge,
  drawChallenges,
  isFrontal,
} from './liveness/challengeProgress.js';
export type { ChallengeProgress, PoseBaseline } from './liveness/challengeProgress.js';
export type {
  AntiSpoofSummary,
  ChallengeRecord,
  LivenessContext,
  LivenessEmitted,
  LivenessEvent,
  LivenessInput,
  LivenessVerdict,
} from './liveness/livenessTypes.js';

export { deviceMachine } from './device/deviceMachine.js';
export { deviceBackoffMs } from './device/deviceBackoffMs.js';
export { DEFAULT_DEVICE_LIFECYCLE_CONFIG } from './device/deviceTypes.js';
export type {
  DeviceContext,
  DeviceEvent,
  DeviceInput,
  DeviceLifecycleConfig,
  DeviceStateEmitted,
  DeviceStateName,
  ManagedDevice,
  OpenDeviceInput,
} from './device/deviceTypes.js';

export { machineToMermaid, machineTransitionRows } from './diagrams/machineToMermaid.js';
export type { TransitionRow } from './diagrams/machineToMermaid.js';
export { renderMachineDoc } from './diagrams/renderMachineDoc.js';
export type { MachineDocSpec } from './diagrams/renderMachineDoc.js';
export { MACHINE_DOCS } from './diagrams/machineDocs.js';
