import type { Face, HeadPose, RgbFrame } from '../face/Face.js';
import { poseCrop } from '../face/cropRects.js';
import { softmax } from '../face/softmax.js';
import type { ModelManifestEntry } from '../manifest/ModelManifest.js';
import { OnnxSession, type SessionOptions } from './OnnxSession.js';

/** HopeNet's angle binning: 66 bins of 3°, bin 0 centred at −99°. */
export const HOPENET_BINS = { count: 66, degreesPerBin: 3, offsetDegrees: -99 } as const;

/** Expected angle of one 66-bin head: Σ softmax(p)ᵢ · i · 3 − 99. */
export function binsToDegrees(logits: Float32Array): number {
  const p = softmax(logits, 0, HOPENET_BINS.count);
  let e = 0;
  for (let i = 0; i < p.length; i++) e += (p[i] as number) * i;
  return e * HOPENET_BINS.degreesPerBin + HOPENET_BINS.offsetDegrees;
}

/**
 * Head pose (HopeNet-lite): the box widened by a quarter on every side, resized to 224×224,
 * B,G,R order, ImageNet mean/std; each of yaw, pitch, roll is the soft-argmax of 66 bins.
 */
export class PoseModel {
  readonly #session: OnnxSession;
  readonly #input: Float32Array;

  private constructor(session: OnnxSession) {
    this.#session = session;
    const [, c, h, w] = session.entry.inputShape;
    this.#input = new Float32Array(c * h * w);
  }

  /** Load and verify the model of a `pose` manifest entry. */
  static async load(entry: ModelManifestEntry, options: SessionOptions): Promise<PoseModel> {
    return new PoseModel(
      await OnnxSession.create(entry, 'pose', options, [
        [1, HOPENET_BINS.count],
        [1, HOPENET_BINS.count],
        [1, HOPENET_BINS.count],
      ]),
    );
  }

  /** Add `pose` to a detected face. */
  async run(frame: RgbFrame, face: Face): Promise<Face> {
    return this.#session.exclusive(async () => {
      const rect = poseCrop(face.box, frame.width, frame.height);
      const [yaw, pitch, roll] = (await this.#session.runOnRegion(frame, rect, this.#input)) as [
        Float32Array,
        Float32Array,
        Float32Array,
      ];
      const pose: HeadPose = {
        yaw: binsToDegrees(yaw),
        pitch: binsToDegrees(pitch),
        roll: binsToDegrees(roll),
      };
      return { ...face, pose };
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
