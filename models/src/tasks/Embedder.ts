import {
  ARCFACE_TEMPLATE_112,
  estimateSimilarity,
  fivePointsFrom68,
  inverseOf,
} from '../align/alignFace.js';
import type { Face, RgbFrame } from '../face/Face.js';
import type { ModelManifestEntry } from '../manifest/ModelManifest.js';
import { sampleToTensor } from '../tensor/sampleToTensor.js';
import { OnnxSession, type SessionOptions } from './OnnxSession.js';

/** L2-normalise in place; returns the vector. */
export function l2Normalise(v: Float32Array): Float32Array {
  let s = 0;
  for (const x of v) s += x * x;
  const n = Math.sqrt(s);
  if (n > 0) for (let i = 0; i < v.length; i++) v[i] = (v[i] as number) / n;
  return v;
}

/**
 * Face embedding (MobileFaceNet, 512-d): five points from the 68 landmarks, least-squares
 * similarity to the ArcFace 112×112 template, bilinear warp (zero border), channel order and
 * normalisation from the manifest (default B,G,R, (p − 127.5) / 128); the output is L2-normalised, so cosine similarity is a dot product.
 */
export class Embedder {
  readonly #session: OnnxSession;
  readonly #input: Float32Array;

  private constructor(session: OnnxSession) {
    this.#session = session;
    const [, c, h, w] = session.entry.inputShape;
    this.#input = new Float32Array(c * h * w);
  }

  /** Load and verify the model of an `embedding` manifest entry. */
  static async load(entry: ModelManifestEntry, options: SessionOptions): Promise<Embedder> {
    return new Embedder(await OnnxSession.create(entry, 'embedding', options, [[1, null]]));
  }

  /** Dimension of the embedding, as the model declares it (NaN when the model leaves it symbolic). */
  get dimension(): number {
    const last = this.#session.outputShape(0).at(-1);
    return typeof last === 'number' && last > 0 ? last : Number.NaN;
  }

  /** The aligned model input of a face (a new planar float tensor), for inspection and tests. */
  alignedInput(frame: RgbFrame, face: Face): Float32Array {
    return new Float32Array(this.#align(frame, face));
  }

  #align(frame: RgbFrame, face: Face): Float32Array {
    if (face.landmarks === undefined)
      throw new TypeError('Embedder: the face needs 68 landmarks (run LandmarkModel first)');
    const { entry } = this.#session;
    const [, , h, w] = entry.inputShape;
    const sx = w / 112;
    const sy = h / 112;
    const template = ARCFACE_TEMPLATE_112.map((p) => ({ x: p.x * sx, y: p.y * sy }));
    const map = inverseOf(estimateSimilarity(fivePointsFrom68(face.landmarks), template));
    return sampleToTensor(
      frame,
      map,
      w,
      h,
      entry.channelOrder,
      entry.normalisation,
      { kind: 'constant' },
      this.#input,
    );
  }

  /** The L2-normalised embedding of a face that has landmarks. */
  async run(frame: RgbFrame, face: Face): Promise<Float32Array> {
    return this.#session.exclusive(async () => {
      const [out] = (await this.#session.run(this.#align(frame, face))) as [Float32Array];
      return l2Normalise(new Float32Array(out));
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
