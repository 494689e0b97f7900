import ort from 'onnxruntime-node';
import { ModelError } from '../errors/ModelError.js';
import type { ModelManifestEntry, ModelTask } from '../manifest/ModelManifest.js';
import { verifyModelFile } from '../install/verifyModelFile.js';

/** How sessions are created; shared by every task wrapper. */
export interface SessionOptions {
  /** Directory holding the manifest's files. */
  readonly modelsDir: string;
  /** onnxruntime intra-op threads (default 1: measured fastest per frame on 2 cores). */
  readonly intraOpNumThreads?: number;
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

  /** Verify the file's sha256, create the session, check names against the manifest. */
  static async create(entry: ModelManifestEntry, task: ModelTask, options: SessionOptions): Promise<OnnxSession> {
    if (entry.task !== task) {
      throw new ModelError('model_manifest_invalid', `model ${entry.id}: manifest task is ${entry.task}, expected ${task}`, { data: { modelId: entry.id } });
    }
    const bytes = await verifyModelFile(options.modelsDir, entry);
    let session: ort.InferenceSession;
    try {
      session = await ort.InferenceSession.create(bytes, {
        intraOpNumThreads: options.intraOpNumThreads ?? 1,
        interOpNumThreads: 1,
        executionMode: 'sequential',
        graphOptimizationLevel: 'all',
      });
    } catch (cause) {
      throw new ModelError('model_load_failed', `model ${entry.id}: onnxruntime cannot load ${entry.file}: ${cause instanceof Error ? cause.message : String(cause)}`, { data: { modelId: entry.id }, cause });
    }
    if (!session.inputNames.includes(entry.input)) {
      await session.release();
      throw new ModelError('model_manifest_invalid', `model ${entry.id}: input "${entry.input}" not in the model (has ${session.inputNames.join(', ')})`, { data: { modelId: entry.id } });
    }
    const missing = entry.outputs.filter((o) => !session.outputNames.includes(o));
    if (missing.length > 0) {
      await session.release();
      throw new ModelError('model_manifest_invalid', `model ${entry.id}: outputs ${missing.join(', ')} not in the model (has ${session.outputNames.join(', ')})`, { data: { modelId: entry.id } });
    }
    return new OnnxSession(entry, session);
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
    if (input.length !== expected) throw new RangeError(`model ${this.entry.id}: input has ${input.length} values, expected ${expected}`);
    let result: ort.InferenceSession.OnnxValueMapType;
    try {
      result = await this.#session.run({ [this.entry.input]: new ort.Tensor('float32', input, this.#dims) });
    } catch (cause) {
      throw new ModelError('model_inference_failed', `model ${this.entry.id}: inference failed: ${cause instanceof Error ? cause.message : String(cause)}`, { data: { modelId: this.entry.id }, cause });
    }
    return this.entry.outputs.map((name) => {
      const t = result[name];
      if (t === undefined || !(t.data instanceof Float32Array)) {
        throw new ModelError('model_inference_failed', `model ${this.entry.id}: output ${name} missing or not float32`, { data: { modelId: this.entry.id } });
      }
      return t.data;
    });
  }

  /** Free the native session. */
  async release(): Promise<void> {
    await this.#session.release();
  }
}
