import { ModelError } from './errors/ModelError.js';
import type { Face, RgbFrame } from './face/Face.js';
import { assertRgbFrame } from './image/decodeImage.js';
import { resolveModelsDir } from './install/resolveModelsDir.js';
import { DEFAULT_MANIFEST } from './manifest/DEFAULT_MANIFEST.js';
import type { ModelManifest, ModelManifestEntry, ModelTask } from './manifest/ModelManifest.js';
import {
  QUALITY_DEFAULTS,
  measureQuality,
  type QualityThresholds,
} from './quality/measureQuality.js';
import { AntiSpoofModel } from './tasks/AntiSpoofModel.js';
import { DETECTOR_DEFAULTS, Detector, type DetectorOptions } from './tasks/Detector.js';
import { Embedder } from './tasks/Embedder.js';
import { EyeStateModel } from './tasks/EyeStateModel.js';
import { LandmarkModel } from './tasks/LandmarkModel.js';
import { PoseModel } from './tasks/PoseModel.js';
import {
  DEFAULT_VERIFY_THRESHOLD,
  verifyEmbeddings,
  type Verification,
} from './verify/verifyEmbeddings.js';

/** Options of {@link FaceAnalysis.load}. */
export interface FaceAnalysisOptions {
  /** Directory of the installed models (default {@link resolveModelsDir}). */
  readonly modelsDir?: string;
  /** The manifest; one entry per task (default {@link DEFAULT_MANIFEST}). */
  readonly manifest?: ModelManifest;
  /** onnxruntime intra-op threads per session (default 1, measured fastest on 2 cores). */
  readonly intraOpNumThreads?: number;
  /**
   * onnxruntime intra-op threads of the embedder (default 2, without spinning): an embedding is
   * one 112×112 inference now and then, not per frame, and two threads bring it under the
   * 15 ms target on the 2-core shop PC (about 10 vs 15 ms; models/README.md).
   */
  readonly embedderIntraOpNumThreads?: number;
  /** Detector post-processing. */
  readonly detector?: DetectorOptions;
  /** Quality thresholds (partial: the rest from {@link QUALITY_DEFAULTS}). */
  readonly quality?: Partial<QualityThresholds>;
  /** Verification threshold (default {@link DEFAULT_VERIFY_THRESHOLD}). */
  readonly verifyThreshold?: number;
}

/** Options of {@link FaceAnalysis.analyze}. */
export interface AnalyzeOptions {
  /** Also run the passive anti-spoof model (≈ 4 ms per face). Default false. */
  readonly antiSpoof?: boolean;
  /**
   * Analyse at most this many faces, in {@link subjectRank} order. Default 1. A value above the
   * detector's `maxFaces` ({@link DETECTOR_DEFAULTS}: 16) raises the detector's cap for this call.
   */
  readonly maxFaces?: number;
}

/** The defaults of {@link FaceAnalysisOptions}. */
export const FACE_ANALYSIS_DEFAULTS = {
  intraOpNumThreads: 1,
  embedderIntraOpNumThreads: 2,
  detector: DETECTOR_DEFAULTS,
  quality: QUALITY_DEFAULTS,
  verifyThreshold: DEFAULT_VERIFY_THRESHOLD,
} as const;

/**
 * How much a face looks like "the subject": box area × (1 − centre offset). The customer in
 * front of the camera (or the portrait on a chip) is large and central; background faces and
 * detector false positives at the frame's edge rank lower.
 */
export function subjectRank(face: Face, frame: Pick<RgbFrame, 'width' | 'height'>): number {
  const { x1, y1, x2, y2 } = face.box;
  const offset =
    Math.hypot((x1 + x2) / 2 - frame.width / 2, (y1 + y2) / 2 - frame.height / 2) /
    (Math.hypot(frame.width, frame.height) / 2);
  return (x2 - x1) * (y2 - y1) * Math.max(0, 1 - offset);
}

const bySubjectRank =
  (frame: RgbFrame) =>
  (a: Face, b: Face): number =>
    subjectRank(b, frame) - subjectRank(a, frame);

function entryFor(manifest: ModelManifest, task: ModelTask): ModelManifestEntry {
  const entries = manifest.models.filter((m) => m.task === task);
  if (entries.length !== 1) {
    throw new ModelError(
      'model_manifest_invalid',
      `manifest: ${entries.length} models for task ${task}, expected exactly one`,
      { data: { task } },
    );
  }
  return entries[0] as ModelManifestEntry;
}

/**
 * Everything the camera needs, composed by task: detection, 68 landmarks, head pose, eye
 * state, passive anti-spoof, quality measures, 512-d embedding and 1:1 verification. Sessions
 * are created once (each file's sha256 verified first) and reused; call {@link release} when done.
 *
 * @example
 * ```ts
 * const fa = await FaceAnalysis.load({ modelsDir });
 * const [face] = await fa.analyze(frame);             // box, score, landmarks, pose, eyes, quality
 * const live = await fa.embed(frame, face!);           // Float32Array(512), L2-normalised
 * const { score, decision } = fa.verify(live, chipEmbedding);
 * ```
 */
export class FaceAnalysis {
  readonly detector: Detector;
  readonly landmarkModel: LandmarkModel;
  readonly poseModel: PoseModel;
  readonly eyeStateModel: EyeStateModel;
  readonly antiSpoofModel: AntiSpoofModel;
  readonly embedder: Embedder;
  /** The resolved models directory. */
  readonly modelsDir: string;
  readonly #detectorOptions: DetectorOptions;
  readonly #quality: QualityThresholds;
  readonly #verifyThreshold: number;

  private constructor(
    parts: [Detector, LandmarkModel, PoseModel, EyeStateModel, AntiSpoofModel, Embedder],
    modelsDir: string,
    options: FaceAnalysisOptions,
  ) {
    [
      this.detector,
      this.landmarkModel,
      this.poseModel,
      this.eyeStateModel,
      this.antiSpoofModel,
      this.embedder,
    ] = parts;
    this.modelsDir = modelsDir;
    this.#detectorOptions = { ...DETECTOR_DEFAULTS, ...options.detector };
    this.#quality = { ...QUALITY_DEFAULTS, ...options.quality };
    this.#verifyThreshold = options.verifyThreshold ?? DEFAULT_VERIFY_THRESHOLD;
  }

  /**
   * Verify and load every model of the manifest. Rejects with `model_file_missing`,
   * `model_checksum_mismatch`, `model_manifest_invalid` or `model_load_failed`.
   */
  static async load(options: FaceAnalysisOptions = {}): Promise<FaceAnalysis> {
    const manifest = options.manifest ?? DEFAULT_MANIFEST;
    const modelsDir = resolveModelsDir(options.modelsDir);
    const threads = options.intraOpNumThreads ?? FACE_ANALYSIS_DEFAULTS.intraOpNumThreads;
    const embedderThreads =
      options.embedderIntraOpNumThreads ?? FACE_ANALYSIS_DEFAULTS.embedderIntraOpNumThreads;
    for (const [name, n] of [
      ['intraOpNumThreads', threads],
      ['embedderIntraOpNumThreads', embedderThreads],
    ] as const)
      if (!Number.isInteger(n) || n < 1)
        throw new RangeError(`FaceAnalysis: ${name} must be a positive integer, got ${n}`);
    const verifyThreshold = options.verifyThreshold ?? DEFAULT_VERIFY_THRESHOLD;
    if (!(verifyThreshold >= -1 && verifyThreshold <= 1))
      throw new RangeError(
        `FaceAnalysis: verifyThreshold must be within −1..1, got ${verifyThreshold}`,
      );
    const s = { modelsDir, intraOpNumThreads: threads };
    const settled = await Promise.allSettled([
      Detector.load(entryFor(manifest, 'detection'), s),
      LandmarkModel.load(entryFor(manifest, 'landmarks'), s),
      PoseModel.load(entryFor(manifest, 'pose'), s),
      EyeStateModel.load(entryFor(manifest, 'eye-state'), s),
      AntiSpoofModel.load(entryFor(manifest, 'anti-spoof'), s),
      Embedder.load(entryFor(manifest, 'embedding'), {
        modelsDir,
        intraOpNumThreads: embedderThreads,
        allowSpinning: false,
      }),
    ]);
    const failed = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed !== undefined) {
      await Promise.all(
        settled.map((r) => (r.status === 'fulfilled' ? r.value.release() : undefined)),
      );
      throw failed.reason;
    }
    const parts = settled.map((r) => (r as PromiseFulfilledResult<unknown>).value) as [
      Detector,
      LandmarkModel,
      PoseModel,
      EyeStateModel,
      AntiSpoofModel,
      Embedder,
    ];
    return new FaceAnalysis(parts, modelsDir, options);
  }

  /** The verification threshold in use. */
  get verifyThreshold(): number {
    return this.#verifyThreshold;
  }

  /** Detect faces (box and score only), highest score first. */
  async detect(frame: RgbFrame, options: DetectorOptions = {}): Promise<readonly Face[]> {
    assertRgbFrame(frame);
    return this.detector.run(frame, { ...this.#detectorOptions, ...options });
  }

  /**
   * The per-frame analysis for liveness: detect, then for the first `maxFaces` faces in {@link subjectRank} order
   * landmarks → eye state, in parallel with head pose (and anti-spoof when asked); then quality.
   * Faces are returned in {@link subjectRank} order (the customer first).
   */
  async analyze(frame: RgbFrame, options: AnalyzeOptions = {}): Promise<readonly Face[]> {
    const maxFaces = options.maxFaces ?? 1;
    if (!(Number.isInteger(maxFaces) && maxFaces >= 1))
      throw new RangeError(
        `FaceAnalysis.analyze: maxFaces must be a positive integer, got ${maxFaces}`,
      );
    // Asking for more faces than the detector keeps lifts its cap, so the two never disagree.
    const cap = this.#detectorOptions.maxFaces ?? DETECTOR_DEFAULTS.maxFaces;
    const detected = [...(await this.detect(frame, maxFaces > cap ? { maxFaces } : {}))].sort(
      bySubjectRank(frame),
    );
    return Promise.all(
      detected.slice(0, maxFaces).map((face) => this.enrich(frame, face, options)),
    );
  }

  /** Add landmarks, eyes, pose, (anti-spoof) and quality to one detected face. */
  async enrich(
    frame: RgbFrame,
    face: Face,
    options: Pick<AnalyzeOptions, 'antiSpoof'> = {},
  ): Promise<Face> {
    assertRgbFrame(frame);
    const [withEyes, withPose, withSpoof] = await Promise.all([
      this.landmarkModel.run(frame, face).then((f) => this.eyeStateModel.run(frame, f)),
      this.poseModel.run(frame, face),
      options.antiSpoof === true
        ? this.antiSpoofModel.run(frame, face)
        : Promise.resolve(undefined),
    ]);
    const merged: Face = {
      ...withEyes,
      pose: withPose.pose,
      ...(withSpoof?.antiSpoof === undefined ? {} : { antiSpoof: withSpoof.antiSpoof }),
    };
    return { ...merged, quality: measureQuality(frame, merged, this.#quality) };
  }

  /** Quality measures of a face (pose used when present). */
  quality(frame: RgbFrame, face: Face): Face['quality'] {
    assertRgbFrame(frame);
    return measureQuality(frame, face, this.#quality);
  }

  /** The L2-normalised 512-d embedding of a face; landmarks are computed when missing. */
  async embed(frame: RgbFrame, face: Face): Promise<Float32Array> {
    assertRgbFrame(frame);
    const withLandmarks =
      face.landmarks === undefined ? await this.landmarkModel.run(frame, face) : face;
    return this.embedder.run(frame, withLandmarks);
  }

  /**
   * Detect the subject's face ({@link subjectRank}: large and central) of an image — e.g. the
   * chip portrait — and embed it. Rejects with
   * `face_not_found` when there is none.
   */
  async embedSubject(frame: RgbFrame): Promise<{ face: Face; embedding: Float32Array }> {
    const faces = [...(await this.detect(frame))].sort(bySubjectRank(frame));
    const subject = faces[0];
    if (subject === undefined)
      throw new ModelError(
        'face_not_found',
        `no face found in the ${frame.width}×${frame.height} image`,
      );
    const face = await this.landmarkModel.run(frame, subject);
    return { face, embedding: await this.embedder.run(frame, face) };
  }

  /** 1:1 verification: cosine similarity against the configured threshold. */
  verify(a: Float32Array, b: Float32Array): Verification {
    return verifyEmbeddings(a, b, this.#verifyThreshold);
  }

  /** Release every session. */
  async release(): Promise<void> {
    await Promise.all(
      [
        this.detector,
        this.landmarkModel,
        this.poseModel,
        this.eyeStateModel,
        this.antiSpoofModel,
        this.embedder,
      ].map((m) => m.release()),
    );
  }
}
