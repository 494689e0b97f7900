export { ModelError } from './errors/ModelError.js';
export type { ModelErrorCode } from './errors/ModelError.js';
export { DEFAULT_MANIFEST } from './manifest/DEFAULT_MANIFEST.js';
export type {
  ModelManifest,
  ModelManifestEntry,
  ModelTask,
  ChannelOrder,
  NpmTarballSource,
  ModelTransform,
} from './manifest/ModelManifest.js';
export { installModels, SOURCE_COPIES_DIR } from './install/installModels.js';
export type {
  InstallModelsOptions,
  InstallModelsResult,
  InstalledModel,
} from './install/installModels.js';
export { flushDenormals } from './install/flushDenormals.js';
export { readTarEntries } from './install/readTarEntries.js';
export type { TarEntry } from './install/readTarEntries.js';
export { resolveModelsDir } from './install/resolveModelsDir.js';
export { verifyModelFile, sha256Hex } from './install/verifyModelFile.js';
export { FaceAnalysis, FACE_ANALYSIS_DEFAULTS, subjectRank } from './FaceAnalysis.js';
export type { FaceAnalysisOptions, AnalyzeOptions } from './FaceAnalysis.js';
export type {
  RgbFrame,
  Box,
  Point,
  HeadPose,
  EyeState,
  AntiSpoof,
  QualityCode,
  FaceQuality,
  Face,
} from './face/Face.js';
export { Detector, DETECTOR_DEFAULTS, iou } from './tasks/Detector.js';
export type { DetectorOptions } from './tasks/Detector.js';
export { LandmarkModel, LANDMARK_COUNT } from './tasks/LandmarkModel.js';
export { PoseModel, HOPENET_BINS, binsToDegrees } from './tasks/PoseModel.js';
export { EyeStateModel, EYE_CLOSED_CLASS } from './tasks/EyeStateModel.js';
export {
  AntiSpoofModel,
  ANTI_SPOOF_LIVE_CLASS,
  ANTI_SPOOF_BOX_SCALE,
} from './tasks/AntiSpoofModel.js';
export { Embedder, l2Normalise } from './tasks/Embedder.js';
export type { SessionOptions } from './tasks/OnnxSession.js';
export {
  ARCFACE_TEMPLATE_112,
  fivePointsFrom68,
  estimateSimilarity,
  inverseOf,
} from './align/alignFace.js';
export type { Similarity } from './align/alignFace.js';
export { decodeImage, assertRgbFrame, DECODE_IMAGE_DEFAULTS } from './image/decodeImage.js';
export type { DecodeImageOptions } from './image/decodeImage.js';
export { measureQuality, laplacianVariance, QUALITY_DEFAULTS } from './quality/measureQuality.js';
export type { QualityThresholds } from './quality/measureQuality.js';
export {
  verifyEmbeddings,
  cosineSimilarity,
  DEFAULT_VERIFY_THRESHOLD,
} from './verify/verifyEmbeddings.js';
export type { Verification } from './verify/verifyEmbeddings.js';
export { sampleToTensor, resizeMapping } from './tensor/sampleToTensor.js';
export type { InverseAffine, Rect, Border, Normalisation } from './tensor/sampleToTensor.js';
export { cropResizeFrame } from './image/cropResizeFrame.js';
export { parseManifest } from './manifest/parseManifest.js';
export { readManifestFile } from './manifest/readManifestFile.js';
