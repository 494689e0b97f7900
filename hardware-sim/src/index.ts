/**
 * @kycd/hardware-sim public API: simulated devices that speak the real transports. One line per
 * export; keep them grouped by device.
 */
export {};
export { ReferenceCarrier, CARRIER_REGISTRATIONS_PATH } from './carrier/ReferenceCarrier.js';
export { createCarrierCertificate } from './carrier/createCarrierCertificate.js';
export type { CarrierCertificate } from './carrier/createCarrierCertificate.js';
export type {
  CarrierBehaviour,
  CarrierDelivery,
  CarrierRejection,
  ReferenceCarrierEvents,
  ReferenceCarrierOptions,
} from './carrier/ReferenceCarrier.js';
export { SimulatedCamera, SIMULATED_CAMERA_DEFAULTS } from './camera/SimulatedCamera.js';
export type {
  SimulatedCameraOptions,
  SimulatedCameraEvents,
  SimulatedCameraStats,
  SimulatedCameraFault,
  FacePresentation,
} from './camera/SimulatedCamera.js';
export { FACE_BEHAVIORS } from './camera/FaceBehavior.js';
export type { FaceBehavior, FaceCue } from './camera/FaceBehavior.js';
export { prepareSimFace } from './camera/SimFace.js';
export type { SimFace, FaceLandmarker, PhotoLandmarks } from './camera/SimFace.js';
export { loadSimFace } from './camera/loadSimFace.js';
export { createModelsFaceLandmarker } from './camera/createModelsFaceLandmarker.js';
export { SAMPLE_FACE_PHOTOS } from './camera/SAMPLE_FACE_PHOTOS.js';
export type { SampleFacePhoto } from './camera/SAMPLE_FACE_PHOTOS.js';
export { loadSampleFacePhoto, decodeImageFile } from './camera/loadSampleFacePhoto.js';
export { SimCameraError } from './camera/SimCameraError.js';
export type { SimCameraErrorCode } from './camera/SimCameraError.js';
export type { RgbImage, RgbFrame as SimRgbFrame } from './camera/RgbImage.js';
export { GENERIC_FACE_DEPTH_68 } from './camera/GENERIC_FACE_DEPTH_68.js';
// Virtual SAM resident-ID reader (serial protocol on a pty)
export { VirtualSamReader } from './sam/VirtualSamReader.js';
export type {
  SimSamCard,
  SimSamFault,
  SimSamStep,
  VirtualSamReaderOptions,
} from './sam/VirtualSamReader.js';
export { startSamPty } from './sam/startSamPty.js';
export type { SamPty, StartSamPtyOptions } from './sam/startSamPty.js';
export {
  SimulatedWltDecoder,
  SimWltDecoderError,
  simulatedWltBlob,
  SIM_DEFAULT_PORTRAIT_JPEG,
} from './sam/SimulatedWltDecoder.js';
export { encodeResidentIdText } from './sam/encodeResidentIdText.js';
export { SIM_DEFAULT_RESIDENT } from './sam/SimResidentIdHolder.js';
export type {
  SimResidentIdHolder,
  SimCnResidentIdHolder,
  SimHmtResidencePermitHolder,
  SimForeignPermanentResident2017Holder,
  SimForeignPermanentResident2023Holder,
} from './sam/SimResidentIdHolder.js';
// eMRTD (ICAO 9303) on pcscd + vpcd
export { VirtualEmrtd, EMRTD_AID, VIRTUAL_EMRTD_DEFAULTS, buildAtr } from './emrtd/VirtualEmrtd.js';
export type {
  VirtualEmrtdOptions,
  VirtualEmrtdCreateOptions,
  EmrtdAccessControl,
  OversizeReadStatus,
} from './emrtd/VirtualEmrtd.js';
export type { EmrtdFaults } from './emrtd/EmrtdFaults.js';
export { EMRTD_FAULT_NAMES } from './emrtd/EmrtdFaults.js';
export type { EmrtdHolder, EmrtdPhoto } from './emrtd/EmrtdHolder.js';
export { buildEmrtdFiles, buildCardAccess, buildSod, EF } from './emrtd/EmrtdFiles.js';
export type {
  EmrtdFiles,
  EmrtdFilesOptions,
  PaceConfig,
  PaceCipher,
  RsaSodSignature,
} from './emrtd/EmrtdFiles.js';
export type { EmrtdCurveName } from './emrtd/ecCurves.js';
export { buildTd3Mrz, mrzCheckDigit } from './emrtd/Td3Mrz.js';
export type { Td3Mrz } from './emrtd/Td3Mrz.js';
export {
  createSampleHolder,
  createSamplePhoto,
  SAMPLE_ADDITIONAL_DETAILS,
} from './emrtd/createSampleHolder.js';
export type { SamplePhotoOptions, SampleHolderOptions } from './emrtd/createSampleHolder.js';
export { createSamplePortrait } from './emrtd/createSamplePortrait.js';
export type { SamplePortraitOptions } from './emrtd/createSamplePortrait.js';
export { jpegPhoto, jpeg2000Photo, jp2Container } from './emrtd/photo.js';
export { TestPki } from './pki/TestPki.js';
export type { TestSigner, TestPkiOptions, DocumentSignerOptions } from './pki/TestPki.js';
export { VpcdConnection, VPCD_DEFAULTS } from './vpcd/VpcdConnection.js';
export type {
  VpcdCard,
  VpcdConnectionOptions,
  VpcdConnectionEvents,
} from './vpcd/VpcdConnection.js';
export { VpcdError } from './vpcd/VpcdError.js';
export type { VpcdErrorCode } from './vpcd/VpcdError.js';
export { SimulatedDocumentReader, vpcdReaderName } from './vpcd/SimulatedDocumentReader.js';
export type {
  SimulatedDocumentReaderOptions,
  SimulatedDocumentReaderEvents,
} from './vpcd/SimulatedDocumentReader.js';
