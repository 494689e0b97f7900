/**
 * @kycd/daemon public API: the daemon process, its drivers and protocols, for the CLI, the
 * end-to-end tests and embedders. One line per export; keep them grouped by area.
 */
export type {
  AccessControlProtocol,
  AuthenticityCheck,
  CheckStatus,
  DocumentAuthenticity,
  DocumentFields,
  DocumentKind,
  DocumentPhoto,
  DocumentReadResult,
} from './documents/DocumentReadResult.js';
export { parseConfig, loadConfig } from './config/loadConfig.js';
export type { KycdConfig } from './config/KycdConfig.js';
export { ConfigError } from './errors/ConfigError.js';
export { openStore, OPEN_STORE_DEFAULTS } from './store/openStore.js';
export type { OpenStoreOptions } from './store/openStore.js';
export { Store } from './store/Store.js';
export { StoreError } from './store/StoreError.js';
export type { RegistrationErrorCode } from './store/StoreError.js';
export { TerminalRegistry } from './store/TerminalRegistry.js';
export type { Terminal, PairedTerminal } from './store/TerminalRegistry.js';
export { SessionTable } from './store/SessionTable.js';
export type { StoredSession, SessionUpsert } from './store/SessionTable.js';
export { SessionEventLog } from './store/SessionEventLog.js';
export type { StoredSessionEvent } from './store/SessionEventLog.js';
export { AuditLog, AUDIT_GENESIS_HASH } from './store/AuditLog.js';
export type { AuditEvent, AuditVerification } from './store/AuditLog.js';
export { canonicalJson } from './registration/canonicalJson.js';
export { startDaemon } from './daemon/startDaemon.js';
export type { StartDaemonOptions, RunningDaemon, FlowDeps } from './daemon/startDaemon.js';
export type { Wiring } from './wiring/Wiring.js';
export { createLogger } from './logging/createLogger.js';
export { createSessionFlow } from './sessions/createSessionFlow.js';
export type { SessionServices, FaceCaptureOutcome, RgbImage, PublishEvent } from './sessions/SessionServices.js';
export type { SessionFlow, SessionFlowFactory, SessionFlowEvent } from './sessions/SessionFlow.js';
export { Session } from './sessions/Session.js';
export { TerminalSigningKey, TERMINAL_KEY_FILE, verifyEd25519 } from './registration/TerminalSigningKey.js';
export { buildRegistrationRecord } from './registration/RegistrationRecord.js';
export type { RegistrationRecord, RegistrationRecordInput, LivenessEvidence, MatchEvidence } from './registration/RegistrationRecord.js';
export { RegistrationOutbox } from './registration/RegistrationOutbox.js';
export type { OutboxEntry, RegistrationStatus } from './registration/RegistrationOutbox.js';
export { confirmRegistration } from './registration/confirmRegistration.js';
export type { ConfirmRegistrationInput, ConfirmedRegistration } from './registration/confirmRegistration.js';
export { OutboxWorker, SIGNATURE_HEADER, IDEMPOTENCY_HEADER } from './registration/OutboxWorker.js';
export type { OutboxWorkerEvents, OutboxWorkerOptions, RegistrationStatusEvent } from './registration/OutboxWorker.js';
export { validateCarrierEndpoint } from './registration/carrierEndpoint.js';
export { maskIdNumber, LOG_REDACT_PATHS } from './privacy/maskIdNumber.js';
export { shapePosResult } from './privacy/shapePosResult.js';
export type { PosResultLevel, PosDocumentResult, PosDocumentVerdict, PosDocumentSummary, PosDocumentFull } from './privacy/shapePosResult.js';
