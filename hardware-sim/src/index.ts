/**
 * @kycd/hardware-sim public API: simulated devices that speak the real transports. One line per
 * export; keep them grouped by device.
 */
export {};
export { ReferenceCarrier, CARRIER_REGISTRATIONS_PATH } from './carrier/ReferenceCarrier.js';
export type { CarrierBehaviour, CarrierDelivery, CarrierRejection, ReferenceCarrierEvents, ReferenceCarrierOptions } from './carrier/ReferenceCarrier.js';
export { SimulatedCamera, SIMULATED_CAMERA_DEFAULTS } from './camera/SimulatedCamera.js';
export type { SimulatedCameraOptions, SimulatedCameraEvents, SimulatedCameraStats, FacePresentation } from './camera/SimulatedCamera.js';
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
export type { SimSamCard, SimSamFault, SimSamStep, VirtualSamReaderOptions } from './sam/VirtualSamReader.js';
export { startSamPty } from './sam/startSamPty.js';
export type { SamPty, StartSamPtyOptions } from './sam/startSamPty.js';
export { SimulatedWltDecoder, SimWltDecoderError, simulatedWltBlob, SIM_DEFAULT_PORTRAIT_JPEG } from './sam/SimulatedWltDecoder.js';
export { encodeResidentIdText } from './sam/encodeResidentIdText.js';
export { SIM_DEFAULT_RESIDENT } from './sam/SimResidentIdHolder.js';
export type { SimResidentIdHolder, SimCnResidentIdHolder, SimHmtResidencePermitHolder, SimForeignPermanentResident2017Holder, SimForeignPermanentResident2023Holder } from './sam/SimResidentIdHolder.js';
