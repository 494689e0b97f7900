import type { EyeState, Face, RgbFrame } from '../face/Face.js';
import { eyeCrop } from '../face/cropRects.js';
import { softmax } from '../face/softmax.js';
import type { ModelManifestEntry } from '../manifest/ModelManifest.js';
import { OnnxSession, type SessionOptions } from './OnnxSession.js';

/** Softmax class index meaning "closed". */
export const EYE_CLOSED_CLASS = 0;

/**
 * Eye state: a square crop around each eye (from the 68 landmarks), 24×24 gray ÷ 255, softmax;
 * class 0 = closed. Needs `face.landmarks`.
 */
export class EyeStateModel {
  readonly #session: OnnxSession;
  readonly #input: Float32Array;

  private constructor(session: OnnxSession) {
    this.#session = session;
    const [, c, h, w] = session.entry.inputShape;
    this.#input = new Float32Array(c * h * w);
  }

  /** Load and verify the model of an `eye-state` manifest entry. */
  static async load(entry: ModelManifestEntry, options: SessionOptions): Promise<EyeStateModel> {
    return new EyeStateModel(await OnnxSession.create(entry, 'eye-state', options, [[1, 2]]));
  }

  async #closed(frame: RgbFrame, face: Face, eye: 0 | 1): Promise<number> {
    const rect = eyeCrop(face.landmarks ?? [], eye, frame.width, frame.height);
    const [out] = (await this.#session.runOnRegion(frame, rect, this.#input)) as [Float32Array];
    return softmax(out, 0, 2)[EYE_CLOSED_CLASS] as number;
  }

  /** Add `eyes` (probability closed, per eye) to a face that has landmarks. */
  async run(frame: RgbFrame, face: Face): Promise<Face> {
    if (face.landmarks === undefined || face.landmarks.length < 48)
      throw new TypeError(
        'EyeStateModel.run: the face needs 68 landmarks (run LandmarkModel first)',
      );
    // Sequential: both eyes share one input buffer.
    return this.#session.exclusive(async () => {
      const leftClosed = await this.#closed(frame, face, 0);
      const rightClosed = await this.#closed(frame, face, 1);
      const eyes: EyeState = { leftClosed, rightClosed };
      return { ...face, eyes };
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
