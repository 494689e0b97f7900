import type { Face, Point, RgbFrame } from '../face/Face.js';
import { scaledBoxCrop, squareBox } from '../face/cropRects.js';
import type { ModelManifestEntry } from '../manifest/ModelManifest.js';
import { OnnxSession, type SessionOptions } from './OnnxSession.js';

/** Number of landmarks (iBUG 68-point scheme). */
export const LANDMARK_COUNT = 68;

/**
 * 68-point landmarks: the detection box squared around its centre (side = the longer edge,
 * kept inside the frame), resized to the model input, gray, ÷ 256; the output pairs are
 * crop-normalised: x = v·width + x, y = v·height + y. Squaring (rather than the reference code's
 * raw box) measured better: eye-state false "closed" on open eyes 10 → 3 of 128, genuine
 * verification scores up (models/README.md).
 */
export class LandmarkModel {
  readonly #session: OnnxSession;
  readonly #input: Float32Array;

  private constructor(session: OnnxSession) {
    this.#session = session;
    const [, c, h, w] = session.entry.inputShape;
    this.#input = new Float32Array(c * h * w);
  }

  /** Load and verify the model of a `landmarks` manifest entry. */
  static async load(entry: ModelManifestEntry, options: SessionOptions): Promise<LandmarkModel> {
    return new LandmarkModel(
      await OnnxSession.create(entry, 'landmarks', options, [[1, LANDMARK_COUNT * 2]]),
    );
  }

  /** Add `landmarks` to a detected face. */
  async run(frame: RgbFrame, face: Face): Promise<Face> {
    return this.#session.exclusive(async () => {
      const { entry } = this.#session;
      const rect = scaledBoxCrop(squareBox(face.box), frame.width, frame.height, 1);
      const [out] = (await this.#session.runOnRegion(frame, rect, this.#input)) as [Float32Array];
      if (out.length < LANDMARK_COUNT * 2)
        throw new RangeError(
          `model ${entry.id}: ${out.length} outputs, expected ${LANDMARK_COUNT * 2}`,
        );
      const landmarks: Point[] = [];
      for (let i = 0; i < LANDMARK_COUNT; i++) {
        landmarks.push({
          x: (out[i * 2] as number) * rect.width + rect.x,
          y: (out[i * 2 + 1] as number) * rect.height + rect.y,
        });
      }
      return { ...face, landmarks };
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
