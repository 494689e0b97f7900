import type { Box, Face, RgbFrame } from '../face/Face.js';
import type { ModelManifestEntry } from '../manifest/ModelManifest.js';
import { OnnxSession, type SessionOptions } from './OnnxSession.js';

/** Detector post-processing options. */
export interface DetectorOptions {
  /** Minimum face score (column 1 of `scores`). */
  readonly scoreThreshold?: number;
  /** IoU above which a lower-scored box is suppressed. */
  readonly nmsIou?: number;
  /** Candidates kept (by score) before NMS. */
  readonly topK?: number;
  /** Faces returned at most, highest score first. */
  readonly maxFaces?: number;
}

/** Detector defaults: the reference code's values (confidence 0.65 → 0.7 here, NMS IoU 0.4, top-k 750). */
export const DETECTOR_DEFAULTS = {
  scoreThreshold: 0.7,
  nmsIou: 0.4,
  topK: 750,
  maxFaces: 16,
} as const;

/**
 * What the detector wrapper reads: `scores` [1, N, 2] (softmax, column 1 = face) and `boxes`
 * [1, N, 4] (normalised corners, priors decoded in the graph). A model whose boxes are raw SSD
 * offsets has the same shapes and is not caught here; see models/README.md.
 */
export const DETECTOR_OUTPUT_SHAPES = [
  [1, null, 2],
  [1, null, 4],
] as const;

/** Intersection over union of two boxes. */
export function iou(a: Box, b: Box): number {
  const w = Math.min(a.x2, b.x2) - Math.max(a.x1, b.x1);
  const h = Math.min(a.y2, b.y2) - Math.max(a.y1, b.y1);
  if (w <= 0 || h <= 0) return 0;
  const inter = w * h;
  const union = (a.x2 - a.x1) * (a.y2 - a.y1) + (b.x2 - b.x1) * (b.y2 - b.y1) - inter;
  return union <= 0 ? 0 : inter / union;
}

/**
 * Face detector: the RFB-320 "Ultra-Light-Fast-Generic-Face-Detector-1MB". The frame is
 * stretched to the model's input (aspect not kept, bilinear), normalised per the manifest; the
 * graph already decodes the SSD priors, so `boxes` are normalised corners. Post-processing:
 * score threshold, top-k, greedy NMS by score.
 */
export class Detector {
  readonly #session: OnnxSession;
  readonly #input: Float32Array;

  private constructor(session: OnnxSession) {
    this.#session = session;
    const [, c, h, w] = session.entry.inputShape;
    this.#input = new Float32Array(c * h * w);
  }

  /** Load and verify the model of a `detection` manifest entry. */
  static async load(entry: ModelManifestEntry, options: SessionOptions): Promise<Detector> {
    return new Detector(
      await OnnxSession.create(entry, 'detection', options, DETECTOR_OUTPUT_SHAPES),
    );
  }

  /** Detect faces; highest score first. */
  async run(frame: RgbFrame, options: DetectorOptions = {}): Promise<readonly Face[]> {
    return this.#session.exclusive(async () => {
      const scoreThreshold = options.scoreThreshold ?? DETECTOR_DEFAULTS.scoreThreshold;
      const rect = { x: 0, y: 0, width: frame.width, height: frame.height };
      // One input buffer, reused: exclusive() keeps concurrent callers from interleaving.
      const [scores, boxes] = (await this.#session.runOnRegion(frame, rect, this.#input)) as [
        Float32Array,
        Float32Array,
      ];
      const count = Math.min(scores.length / 2, boxes.length / 4);
      const candidates: Face[] = [];
      for (let i = 0; i < count; i++) {
        const score = scores[i * 2 + 1] as number;
        if (!(score >= scoreThreshold)) continue;
        const x1 = (boxes[i * 4] as number) * frame.width;
        const y1 = (boxes[i * 4 + 1] as number) * frame.height;
        const x2 = (boxes[i * 4 + 2] as number) * frame.width;
        const y2 = (boxes[i * 4 + 3] as number) * frame.height;
        if (!(x2 > x1 && y2 > y1)) continue;
        candidates.push({ box: { x1, y1, x2, y2 }, score });
      }
      candidates.sort((a, b) => b.score - a.score);
      candidates.length = Math.min(candidates.length, options.topK ?? DETECTOR_DEFAULTS.topK);
      const nmsIou = options.nmsIou ?? DETECTOR_DEFAULTS.nmsIou;
      const maxFaces = options.maxFaces ?? DETECTOR_DEFAULTS.maxFaces;
      const kept: Face[] = [];
      for (const c of candidates) {
        if (kept.length >= maxFaces) break;
        if (kept.every((k) => iou(k.box, c.box) <= nmsIou)) kept.push(c);
      }
      return kept;
    });
  }

  /** The manifest id of the model this wrapper runs. */
  get modelId(): string {
    return this.#session.entry.id;
  }

  /** Free the session. */
  async release(): Promise<void> {
    await this.#session.release();
  }
}
