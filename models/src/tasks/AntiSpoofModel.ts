import type { AntiSpoof, Face, RgbFrame } from '../face/Face.js';
import { scaledBoxCrop } from '../face/cropRects.js';
import { softmax } from '../face/softmax.js';
import type { ModelManifestEntry } from '../manifest/ModelManifest.js';
import { OnnxSession, type SessionOptions } from './OnnxSession.js';

/** Softmax class index meaning "live" (1 and 2 are spoof types). */
export const ANTI_SPOOF_LIVE_CLASS = 0;
/** The face box is scaled by this around its centre for the anti-spoof crop (MiniFASNet "2.7_80x80" family). */
export const ANTI_SPOOF_BOX_SCALE = 2.7;

/**
 * Passive anti-spoof (MiniFASNetV2-SE): the box ×2.7 (shifted inside the frame), resized to
 * 128×128, raw 0–255 values; softmax; class 0 = live. One signal among several: a single
 * frame cannot reject a photo fed digitally.
 */
export class AntiSpoofModel {
  readonly #session: OnnxSession;
  readonly #input: Float32Array;

  private constructor(session: OnnxSession) {
    this.#session = session;
    const [, c, h, w] = session.entry.inputShape;
    this.#input = new Float32Array(c * h * w);
  }

  /** Load and verify the model of an `anti-spoof` manifest entry. */
  static async load(entry: ModelManifestEntry, options: SessionOptions): Promise<AntiSpoofModel> {
    return new AntiSpoofModel(await OnnxSession.create(entry, 'anti-spoof', options, [[1, null]]));
  }

  /** Add `antiSpoof` to a detected face. */
  async run(frame: RgbFrame, face: Face): Promise<Face> {
    return this.#session.exclusive(async () => {
      const rect = scaledBoxCrop(face.box, frame.width, frame.height, ANTI_SPOOF_BOX_SCALE);
      const [out] = (await this.#session.runOnRegion(frame, rect, this.#input)) as [Float32Array];
      const probabilities = softmax(out);
      const antiSpoof: AntiSpoof = {
        pLive: probabilities[ANTI_SPOOF_LIVE_CLASS] as number,
        probabilities,
      };
      return { ...face, antiSpoof };
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
