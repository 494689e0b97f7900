import ort from 'onnxruntime-node';
import { ModelError } from '../errors/ModelError.js';
import type { ModelManifestEntry, ModelTask } from '../manifest/ModelManifest.js';
import { verifyModelFile } from '../install/verifyModelFile.js';
import type { RgbFrame } from '../face/Face.js';
import { resizeMapping, sampleToTensor, type Rect } from '../tensor/sampleToTensor.js';

/** How sessions are created; shared by every task wrapper. */
export interface SessionOptions {
  /** Directory holding the manifest's files. */
  readonly modelsDir: string;
  /** onnxruntime intra-op threads (default 1: measured fastest per frame on 2 cores). */
  readonly intraOpNumThreads?: number;
  /**
   * Flush denormal activations to zero while running (onnxruntime's
   * `session.set_denormal_as_zero`). Default true: fr_feature's activations go denormal and
   * halve its speed on some CPUs (Intel Xeon: 21 → 11 ms per embedding on one thread; pose and
   * landmarks gain too), and the embeddings stay within float noise (Embedder.test.ts).
   */
  readonly denormalsAsZero?: boolean;
  /**
   * Let the intra-op pool threads spin between runs (onnxruntime's default). Off for a session
   * that runs now and then beside the per-frame analysis (the embedder): spinning would burn the
   * core the analysis needs.
   */
  readonly allowSpinning?: boolean;
}

/** An expected tensor shape: a size per dimension, `null` where any size is accepted. */
export type ExpectedShape = readonly (number | null)[];

interface SignatureMismatch {
  readonly tensor: string;
  readonly expected: string;
  readonly actual: string;
  readonly message: string;
}

const shapeText = (shape: readonly (number | string | null)[]): string =>
  shape.map((d) => (d === null ? '?' : String(d))).join('×');

/** Does a model dimension (a size, or a symbolic name / −1 meaning any) accept `expected`? */
const dimAccepts = (actual: number | string, expected: number | null): boolean =>
  expected === null || typeof actual === 'string' || actual < 0 || actual === expected;

/** The first difference between the model's declared signature and what the manifest and wrapper expect. */
function checkSignature(
  entry: ModelManifestEntry,
  session: ort.InferenceSession,
  outputShapes: readonly ExpectedShape[] | undefined,
): SignatureMismatch | undefined {
  const input = session.inputMetadata.find((m) => m.name === entry.input);
  if (input === undefined) {
    const names = session.inputNames.join(', ');
    return {
      tensor: entry.input,
      expected: `input "${entry.input}"`,
      actual: names,
      message: `input "${entry.input}" is not in the model (its inputs: ${names})`,
    };
  }
  if (!input.isTensor || input.type !== 'float32') {
    const actual = input.isTensor ? input.type : 'not a tensor';
    return {
      tensor: entry.input,
      expected: 'float32',
      actual,
      message: `input "${entry.input}" is ${actual}, expected float32`,
    };
  }
  const want = [...entry.inputShape];
  if (
    input.shape.length !== want.length ||
    !input.shape.every((d, i) => dimAccepts(d, want[i] as number))
  ) {
    return {
      tensor: entry.input,
      expected: shapeText(want),
      actual: shapeText(input.shape),
      message: `input "${entry.input}" has shape ${shapeText(input.shape)} in the model, the manifest says ${shapeText(want)}`,
    };
  }
  for (const [k, name] of entry.outputs.entries()) {
    const output = session.outputMetadata.find((m) => m.name === name);
    if (output === undefined) {
      const names = session.outputNames.join(', ');
      return {
        tensor: name,
        expected: `output "${name}"`,
        actual: names,
        message: `output "${name}" is not in the model (its outputs: ${names})`,
      };
    }
    if (!output.isTensor || output.type !== 'float32') {
      const actual = output.isTensor ? output.type : 'not a tensor';
      return {
        tensor: name,
        expected: 'float32',
        actual,
        message: `output "${name}" is ${actual}, expected float32`,
      };
    }
    const expected = outputShapes?.[k];
    if (
      expected !== undefined &&
      (output.shape.length !== expected.length ||
        !output.shape.every((d, i) => dimAccepts(d, expected[i] as number | null)))
    ) {
      return {
        tensor: name,
        expected: shapeText(expected),
        actual: shapeText(output.shape),
        message: `output "${name}" has shape ${shapeText(output.shape)}, the ${entry.task} wrapper needs ${shapeText(expected)}`,
      };
    }
  }
  return undefined;
}

/**
 * One verified onnxruntime session for one manifest entry: created once, reused for every
 * inference, released explicitly. Checks the entry's task and the model's declared input and
 * outputs against the manifest, failing loudly.
 */
export class OnnxSession {
  readonly entry: ModelManifestEntry;
  readonly #session: ort.InferenceSession;
  readonly #dims: readonly number[];
  #tail: Promise<unknown> = Promise.resolve();

  private constructor(entry: ModelManifestEntry, session: ort.InferenceSession) {
    this.entry = entry;
    this.#session = session;
    this.#dims = [...entry.inputShape];
  }

  /**
   * Verify the file's sha256, create the session, and check the model's signature against the
   * manifest and the wrapper: the input's name, element type and shape (a symbolic dimension in
   * the model accepts the manifest's size), every output's name and type, and each output's shape
   * against `outputShapes` (per output, `null` = any size). A mismatch rejects with
   * `model_manifest_invalid` naming the model, the tensor and both sides; `data` carries
   * `{ modelId, file, tensor, expected, actual }`.
   */
  static async create(
    entry: ModelManifestEntry,
    task: ModelTask,
    options: SessionOptions,
    outputShapes?: readonly ExpectedShape[],
  ): Promise<OnnxSession> {
    if (entry.task !== task) {
      throw new ModelError(
        'model_manifest_invalid',
        `model ${entry.id}: manifest task is ${entry.task}, expected ${task}`,
        { data: { modelId: entry.id } },
      );
    }
    const bytes = await verifyModelFile(options.modelsDir, entry);
    let session: ort.InferenceSession;
    try {
      session = await ort.InferenceSession.create(bytes, {
        intraOpNumThreads: options.intraOpNumThreads ?? 1,
        interOpNumThreads: 1,
        executionMode: 'sequential',
        graphOptimizationLevel: 'all',
        extra: {
          session: {
            ...(options.denormalsAsZero === false ? {} : { set_denormal_as_zero: '1' }),
            ...(options.allowSpinning === false ? { 'intra_op.allow_spinning': '0' } : {}),
          },
        },
      });
    } catch (cause) {
      throw new ModelError(
        'model_load_failed',
        `model ${entry.id}: onnxruntime cannot load ${entry.file}: ${cause instanceof Error ? cause.message : String(cause)}`,
        { data: { modelId: entry.id }, cause },
      );
    }
    const mismatch = checkSignature(entry, session, outputShapes);
    if (mismatch !== undefined) {
      await session.release();
      throw new ModelError(
        'model_manifest_invalid',
        `model ${entry.id} (${entry.file}): ${mismatch.message}`,
        {
          data: {
            modelId: entry.id,
            file: entry.file,
            tensor: mismatch.tensor,
            expected: mismatch.expected,
            actual: mismatch.actual,
          },
        },
      );
    }
    return new OnnxSession(entry, session);
  }

  /** The model's declared shape of output `index` (manifest order); symbolic dimensions as names. */
  outputShape(index: number): readonly (number | string)[] {
    const name = this.entry.outputs[index];
    const meta = this.#session.outputMetadata.find((m) => m.name === name);
    return meta?.isTensor === true ? meta.shape : [];
  }

  /**
   * Run `fn` after every earlier `exclusive` call has settled: the wrappers fill one reused
   * input buffer and run, so concurrent callers must not interleave.
   */
  exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const result = this.#tail.then(fn, fn);
    this.#tail = result.catch(() => undefined);
    return result;
  }

  /** Run on one input tensor (data laid out as the manifest's inputShape); returns each output's data, in manifest order. */
  async run(input: Float32Array): Promise<Float32Array[]> {
    const expected = this.#dims.reduce((a, b) => a * b, 1);
    if (input.length !== expected)
      throw new RangeError(
        `model ${this.entry.id}: input has ${input.length} values, expected ${expected}`,
      );
    let result: ort.InferenceSession.OnnxValueMapType;
    try {
      result = await this.#session.run({
        [this.entry.input]: new ort.Tensor('float32', input, this.#dims),
      });
    } catch (cause) {
      throw new ModelError(
        'model_inference_failed',
        `model ${this.entry.id}: inference failed: ${cause instanceof Error ? cause.message : String(cause)}`,
        { data: { modelId: this.entry.id }, cause },
      );
    }
    return this.entry.outputs.map((name) => {
      const t = result[name];
      if (t === undefined || !(t.data instanceof Float32Array)) {
        throw new ModelError(
          'model_inference_failed',
          `model ${this.entry.id}: output ${name} missing or not float32`,
          { data: { modelId: this.entry.id } },
        );
      }
      return t.data;
    });
  }

  /**
   * Fill `input` with `rect` of `frame` resized bilinearly to the model's input size (edges
   * clamped, the manifest's channel order and normalisation), then {@link run} on it.
   */
  runOnRegion(frame: RgbFrame, rect: Rect, input: Float32Array): Promise<Float32Array[]> {
    const [, , h, w] = this.entry.inputShape;
    sampleToTensor(
      frame,
      resizeMapping(rect, w, h),
      w,
      h,
      this.entry.channelOrder,
      this.entry.normalisation,
      { kind: 'clamp', rect },
      input,
    );
    return this.run(input);
  }

  /** Free the native session. */
  async release(): Promise<void> {
    await this.#session.release();
  }
}
