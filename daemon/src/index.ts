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
export type {
  SessionServices,
  FaceCaptureOutcome,
  RgbImage,
  PublishEvent,
} from './sessions/SessionServices.js';
export type { SessionFlow, SessionFlowFactory, SessionFlowEvent } from './sessions/SessionFlow.js';
export { Session } from './sessions/Session.js';
export {
  TerminalSigningKey,
  TERMINAL_KEY_FILE,
  verifyEd25519,
} from './registration/TerminalSigningKey.js';
export { buildRegistrationRecord } from './registration/RegistrationRecord.js';
export type {
  RegistrationRecord,
  RegistrationRecordInput,
  LivenessEvidence,
  MatchEvidence,
} from './registration/RegistrationRecord.js';
export { RegistrationOutbox } from './registration/RegistrationOutbox.js';
export type { OutboxEntry, RegistrationStatus } from './registration/RegistrationOutbox.js';
export { confirmRegistration } from './registration/confirmRegistration.js';
export type {
  ConfirmRegistrationInput,
  ConfirmedRegistration,
} from './registration/confirmRegistration.js';
export { OutboxWorker, SIGNATURE_HEADER, IDEMPOTENCY_HEADER } from './registration/OutboxWorker.js';
export type {
  OutboxWorkerEvents,
  OutboxWorkerOptions,
  RegistrationStatusEvent,
} from './registration/OutboxWorker.js';
export { validateCarrierEndpoint } from './registration/carrierEndpoint.js';
export { maskIdNumber, LOG_REDACT_PATHS } from './privacy/maskIdNumber.js';
export { shapePosResult } from './privacy/shapePosResult.js';
export type {
  PosResultLevel,
  PosDocumentResult,
  PosDocumentVerdict,
  PosDocumentSummary,
  PosDocumentFull,
} from './privacy/shapePosResult.js';
// Chinese resident ID over the SAM reader protocol
export { readResidentId } from './documents/sam/readResidentId.js';
export type {
  ReadResidentIdOptions,
  ResidentIdReadResult,
} from './documents/sam/readResidentId.js';
export { SamReader } from './documents/sam/SamReader.js';
export type {
  SamBaseInfo,
  SamCallOptions,
  SamId,
  SamReaderOptions,
  SamTimeouts,
} from './documents/sam/SamReader.js';
export type { SamTransport } from './documents/sam/SamTransport.js';
export { SamError } from './documents/sam/SamError.js';
export type { SamStep } from './documents/sam/SamError.js';
export {
  SAM_PREAMBLE,
  encodeSamCommand,
  encodeSamResponse,
  parseSamResponse,
  samChecksum,
} from './documents/sam/SamFrame.js';
export type { SamCommand, SamRawFrame, SamResponse } from './documents/sam/SamFrame.js';
export { SamFrameDecoder } from './documents/sam/SamFrameDecoder.js';
export type { SamDecodeEvent, SamFrameDecoderOptions } from './documents/sam/SamFrameDecoder.js';
export { SAM_STATUS, samStatusInfo } from './documents/sam/SamStatus.js';
export type { SamStatusInfo } from './documents/sam/SamStatus.js';
export { parseResidentIdText } from './documents/sam/ResidentIdTextBlock.js';
export type {
  ResidentIdText,
  CnResidentIdText,
  HmtResidencePermitText,
  ForeignPermanentResident2017Text,
  ForeignPermanentResident2023Text,
} from './documents/sam/ResidentIdTextBlock.js';
export { checkGb11643, gb11643CheckChar } from './documents/sam/Gb11643.js';
export { GB3304_NATIONS } from './documents/sam/Gb3304Nations.js';
export type { WltDecoder, WltDecodeContext, WltDecodedImage } from './documents/sam/WltDecoder.js';
export { HttpWltDecoder } from './documents/sam/HttpWltDecoder.js';
export type { HttpWltDecoderOptions } from './documents/sam/HttpWltDecoder.js';
export { SerialSamTransport } from './drivers/serial/SerialSamTransport.js';
export type {
  SerialPortInfo,
  SerialSamTransportOptions,
} from './drivers/serial/SerialSamTransport.js';
export { UsbSamTransport } from './drivers/usb/UsbSamTransport.js';
export type {
  SamUsbDevice,
  SamUsbEndpoint,
  SamUsbInterface,
  UsbSamTransportOptions,
} from './drivers/usb/UsbSamTransport.js';
export { SamConfigSchema } from './documents/sam/SamConfig.js';
export type { SamConfig } from './documents/sam/SamConfig.js';
export { openSamReader, createWltDecoder, loadWltDecoder } from './documents/sam/openSamReader.js';
export { ModuleWltDecoder, loadWltDecoderModule } from './documents/sam/ModuleWltDecoder.js';
export type { WltDecoderModuleOptions } from './documents/sam/ModuleWltDecoder.js';
export type { OpenedSamReader } from './documents/sam/openSamReader.js';
export { WLT_PHOTO_BYTES, WLT_PHOTO_WIDTH, WLT_PHOTO_HEIGHT } from './documents/sam/WltDecoder.js';
export { EvidenceVault, EVIDENCE_KEY_FILE } from './privacy/EvidenceVault.js';
export type { Evidence, EvidenceInfo } from './privacy/EvidenceVault.js';
export { purgeExpired, startRetentionTimer } from './privacy/purgeExpired.js';
export type { PurgeResult } from './privacy/purgeExpired.js';
export { exportSession } from './privacy/exportSession.js';
export type { SessionExport } from './privacy/exportSession.js';
export { eraseSession } from './privacy/eraseSession.js';
export type { EraseResult } from './privacy/eraseSession.js';
export { runLiveness, LIVENESS_ENGINE_DEFAULTS } from './face/runLiveness.js';
export type {
  RunLivenessOptions,
  LivenessEngineOptions,
  LivenessResult,
  LivenessEvidenceRecord,
  LivenessTimelineEntry,
  LivenessChallengeEvent,
  TimedRgbFrame,
} from './face/runLiveness.js';
export { FrameClock } from './face/FrameClock.js';
export {
  GUIDANCE_CODES,
  GUIDANCE_MESSAGES,
  faceGuidance,
  guidanceFor,
} from './face/FaceGuidance.js';
export type { GuidanceCode, FaceGuidance } from './face/FaceGuidance.js';
export { planarResidual, PLANAR_CHECK_LANDMARKS } from './face/planarResidual.js';
export { fitHomography, applyHomography, homographyRms } from './face/fitHomography.js';
export { matchFaces } from './face/matchFaces.js';
export type { FaceMatch, MatchFacesOptions } from './face/matchFaces.js';
export { FfmpegCameraStream, FFMPEG_CAMERA_DEFAULTS } from './drivers/camera/FfmpegCameraStream.js';
export type {
  FfmpegCameraStreamOptions,
  FfmpegCameraInput,
  FfmpegCameraStreamEvents,
  CameraFrame,
  CameraStreamStats,
} from './drivers/camera/FfmpegCameraStream.js';
export { listV4l2Cameras, listV4l2Formats } from './drivers/camera/listV4l2Cameras.js';
export type { ListV4l2CamerasOptions } from './drivers/camera/listV4l2Cameras.js';
export type { CameraDeviceInfo, CameraFormat } from './drivers/camera/CameraDeviceInfo.js';
export { parseV4l2Formats } from './drivers/camera/parseV4l2Formats.js';
export {
  isVirtualCamera,
  VIRTUAL_CAMERA_DRIVERS,
  VIRTUAL_CAMERA_NAME_PATTERN,
} from './drivers/camera/isVirtualCamera.js';
export { selectCamera } from './drivers/camera/selectCamera.js';
export type { CameraSelection } from './drivers/camera/selectCamera.js';
export { PinnedCameraWatcher } from './drivers/camera/PinnedCameraWatcher.js';
export { usbPackageHotplug } from './drivers/camera/usbHotplug.js';
export type {
  UsbHotplugEvent,
  UsbHotplugSource,
  UsbNativeBinding,
} from './drivers/camera/usbHotplug.js';
export { discoverCameras } from './drivers/camera/discoverCameras.js';
export type { DiscoverCamerasOptions } from './drivers/camera/discoverCameras.js';
export { NodeWebcamStillSource } from './drivers/camera/NodeWebcamStillSource.js';
export type {
  NodeWebcamStillSourceOptions,
  NodeWebcamStillSourceEvents,
} from './drivers/camera/NodeWebcamStillSource.js';
export {
  listNodeWebcamCameras,
  loadNodeWebcam,
  isSafeNodeWebcamDevice,
} from './drivers/camera/nodeWebcam.js';
export type {
  NodeWebcamModule,
  NodeWebcamCamera,
  NodeWebcamOptions,
} from './drivers/camera/nodeWebcam.js';
export { ffmpegVersion } from './drivers/camera/ffmpegVersion.js';
export {
  chooseCaptureFormat,
  PREFERRED_INPUT_FORMATS,
} from './drivers/camera/chooseCaptureFormat.js';
export type { CaptureFormat } from './drivers/camera/chooseCaptureFormat.js';
export type {
  CameraAvailability,
  PinnedCameraWatcherOptions,
  PinnedCameraWatcherEvents,
} from './drivers/camera/PinnedCameraWatcher.js';
export { startRegistrationService } from './registration/startRegistrationService.js';
export type {
  RegistrationService,
  RegistrationServiceOptions,
} from './registration/startRegistrationService.js';
export {
  createRegistrationServices,
  toWireRegistrationStatus,
} from './registration/createRegistrationServices.js';
export type { WireRegistrationStatus } from './registration/createRegistrationServices.js';
// eMRTD (ICAO 9303) over PC/SC
export {
  readEmrtd,
  assertGenuine,
  photoSha256,
  parseAtrInfoMaxResponse,
} from './documents/icao/readEmrtd.js';
export type {
  ReadEmrtdOptions,
  EmrtdReadResult,
  EmrtdReadProgress,
} from './documents/icao/readEmrtd.js';
export { parseMrzCredentials, normalizeCredentials } from './documents/icao/EmrtdCredentials.js';
export type {
  EmrtdCredentials,
  MrzCredentials,
  CanCredentials,
} from './documents/icao/EmrtdCredentials.js';
export { EmrtdError } from './documents/icao/EmrtdError.js';
export { ProtocolError } from './documents/icao/ProtocolError.js';
export type { EmrtdProtocolName } from './documents/icao/ProtocolError.js';
export type { CardTransport, TransmitOptions } from './documents/icao/transport/CardTransport.js';
export { ScriptedTransport } from './documents/icao/transport/ScriptedTransport.js';
export type { ScriptedExchange } from './documents/icao/transport/ScriptedTransport.js';
export { CommandApdu } from './documents/icao/apdu/CommandApdu.js';
export { ResponseApdu } from './documents/icao/apdu/ResponseApdu.js';
export type { ApduTrace } from './documents/icao/sm/SecureMessagingSender.js';
export type { FileReadProgress } from './documents/icao/files/LdsFileReader.js';
export { CscaTrustStore, parseMasterList } from './documents/authenticity/CscaTrustStore.js';
export { verifyPassiveAuthentication } from './documents/authenticity/PassiveAuthentication.js';
export type {
  PassiveAuthenticationReport,
  PassiveAuthenticationStep,
} from './documents/authenticity/PassiveAuthentication.js';
export { PcscManager } from './drivers/pcsc/PcscManager.js';
export type { PcscManagerEvents, PcscliteContext } from './drivers/pcsc/PcscManager.js';
export { PcscReader } from './drivers/pcsc/PcscReader.js';
export type { PcscReaderEvents, PcscCard, PcscliteReader } from './drivers/pcsc/PcscReader.js';
export { PcscCardTransport } from './drivers/pcsc/PcscCardTransport.js';
export { parseAtr } from './drivers/pcsc/parseAtr.js';
export type { AtrInfo } from './drivers/pcsc/parseAtr.js';
export { EmrtdReaderDevice, toEmrtdCredentials } from './devices/EmrtdReaderDevice.js';
export type { CardSlot, EmrtdReaderDeviceOptions } from './devices/EmrtdReaderDevice.js';
export { pcscCardSlot } from './devices/pcscCardSlot.js';
export { SamReaderDevice } from './devices/SamReaderDevice.js';
export type {
  DocumentReaderDevice,
  DocumentPresence,
  DocumentReadProgress,
} from './devices/DocumentReaderDevice.js';
export { DeviceRegistry } from './devices/DeviceRegistry.js';
export type {
  DeviceInfo,
  DeviceKind,
  DeviceState,
  DeviceDriver,
} from './devices/DeviceRegistry.js';
export { productionWiring } from './wiring/productionWiring.js';
