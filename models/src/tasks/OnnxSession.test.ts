import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FaceAnalysis } from '../FaceAnalysis.js';
import { ensureModels, sampleFrame } from '../__fixtures__/testImages.js';
import { linearClassifierOnnx, type LinearClassifierOptions } from '../__fixtures__/makeOnnx.js';
import type { Face, RgbFrame } from '../face/Face.js';
import { sha256Hex } from '../install/verifyModelFile.js';
import { DEFAULT_MANIFEST } from '../manifest/DEFAULT_MANIFEST.js';
import type { ModelManifest, ModelManifestEntry } from '../manifest/ModelManifest.js';
import { Embedder } from './Embedder.js';
import { EyeStateModel } from './EyeStateModel.js';

/**
 * An eye-state model of our own: logits = [mean of the 24×24 input, 0], so softmax class 0
 * ("closed") = sigmoid(mean). Tensor names differ from the default model's on purpose.
 */
const MEAN_EYE: LinearClassifierOptions = {
  inputName: 'pixels',
  inputShape: [1, 1, 24, 24],
  outputName: 'logits',
  classes: 2,
  weights: new Float32Array(576 * 2).map((_, i) => (i % 2 === 0 ? 1 / 576 : 0)),
};

const defaultEntry = (task: ModelManifestEntry['task']): ModelManifestEntry =>
  DEFAULT_MANIFEST.models.find((m) => m.task === task) as ModelManifestEntry;

let dir: string;
let installed: string;
beforeAll(async () => {
  installed = await ensureModels();
  dir = await mkdtemp(join(tmpdir(), 'kycd-onnx-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Write a generated model into the temporary models directory; its manifest entry for the eye-state task. */
async function eyeModel(
  file: string,
  model: LinearClassifierOptions,
  overrides: Partial<ModelManifestEntry> = {},
): Promise<ModelManifestEntry> {
  const bytes = linearClassifierOnnx(model);
  await writeFile(join(dir, file), bytes);
  return {
    id: file.replace(/\.onnx$/, ''),
    task: 'eye-state',
    file,
    sha256: sha256Hex(bytes),
    input: model.inputName,
    inputShape: [1, 1, 24, 24],
    channelOrder: 'gray',
    normalisation: { scale: 255, mean: [0], std: [1] },
    outputs: [model.outputName],
    description: 'test: sigmoid of the mean brightness',
    licence: 'test',
    ...overrides,
  };
}

const uniform = (value: number): RgbFrame => ({
  width: 200,
  height: 200,
  data: new Uint8Array(200 * 200 * 3).fill(value),
});
/** A face with 68 landmarks whose eyes sit well inside a 200×200 frame. */
const FACE: Face = {
  box: { x1: 50, y1: 50, x2: 150, y2: 150 },
  score: 1,
  landmarks: Array.from({ length: 68 }, (_, i) => ({
    x: 60 + (i % 12) * 7,
    y: 80 + Math.floor(i / 12) * 6,
  })),
};
const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

describe('a manifest other than the default', () => {
  it('loads FaceAnalysis with a replaced eye-state model (other id, file and tensor names) and runs it', async () => {
    const swapped = await eyeModel('mean_eye.onnx', MEAN_EYE);
    for (const m of DEFAULT_MANIFEST.models)
      if (m.task !== 'eye-state') await copyFile(join(installed, m.file), join(dir, m.file));
    const manifest: ModelManifest = {
      version: 1,
      models: [...DEFAULT_MANIFEST.models.filter((m) => m.task !== 'eye-state'), swapped],
    };
    const fa = await FaceAnalysis.load({ modelsDir: dir, manifest });
    try {
      expect(fa.eyeStateModel.modelId).toBe('mean_eye');
      // The generated model's answer, not fr_eye's: p(closed) = sigmoid(pixel / 255).
      for (const v of [0, 128, 255]) {
        const eyes = (await fa.eyeStateModel.run(uniform(v), FACE)).eyes;
        expect(eyes?.leftClosed).toBeCloseTo(sigmoid(v / 255), 5);
        expect(eyes?.rightClosed).toBeCloseTo(sigmoid(v / 255), 5);
      }
      // The rest of the engine still works on a real photo, eyes from the replacement.
      const frame = await sampleFrame(3);
      const [face] = await fa.analyze(frame);
      expect(face?.landmarks).toHaveLength(68);
      expect(face?.eyes?.leftClosed).toBeGreaterThan(0.5); // sigmoid of a mean in 0..1 is ≥ 0.5
      expect(face?.eyes?.leftClosed).toBeLessThan(sigmoid(1));
    } finally {
      await fa.release();
    }
  });

  it('runs the shipped fr_feature under another id and file name with the same results', async () => {
    const entry = defaultEntry('embedding');
    await copyFile(join(installed, entry.file), join(dir, 'my_embedder.onnx'));
    const mine = await Embedder.load(
      { ...entry, id: 'my_embedder', file: 'my_embedder.onnx' },
      { modelsDir: dir },
    );
    const fa = await FaceAnalysis.load({ modelsDir: installed });
    try {
      expect(mine.dimension).toBe(512);
      const frame = await sampleFrame(3);
      const [face] = await fa.analyze(frame);
      expect(Array.from(await mine.run(frame, face as Face))).toEqual(
        Array.from(await fa.embed(frame, face as Face)),
      );
    } finally {
      await mine.release();
      await fa.release();
    }
  });
});

describe('OnnxSession checks the model against the manifest', () => {
  const rejects = async (
    entry: ModelManifestEntry,
    tensor: string,
    message: RegExp,
  ): Promise<void> => {
    await expect(EyeStateModel.load(entry, { modelsDir: dir })).rejects.toMatchObject({
      name: 'ModelError',
      code: 'model_manifest_invalid',
      message: expect.stringMatching(message) as string,
      data: expect.objectContaining({ modelId: entry.id, file: entry.file, tensor }) as Record<
        string,
        unknown
      >,
    });
  };

  it('accepts a matching model, also one with a symbolic batch dimension', async () => {
    const m = await EyeStateModel.load(await eyeModel('ok.onnx', MEAN_EYE), { modelsDir: dir });
    await m.release();
    const n = await EyeStateModel.load(
      await eyeModel('batch.onnx', { ...MEAN_EYE, inputShape: ['N', 1, 24, 24] }),
      { modelsDir: dir },
    );
    expect((await n.run(uniform(255), FACE)).eyes?.leftClosed).toBeCloseTo(sigmoid(1), 5);
    await n.release();
  });

  it('rejects a wrong input name, naming the model, the tensor and the model’s inputs', async () => {
    const entry = await eyeModel('in_name.onnx', MEAN_EYE, { input: 'input' });
    await rejects(
      entry,
      'input',
      /model in_name \(in_name\.onnx\): input "input" is not in the model \(its inputs: pixels\)/,
    );
  });

  it('rejects a wrong output name', async () => {
    const entry = await eyeModel('out_name.onnx', MEAN_EYE, { outputs: ['output'] });
    await rejects(
      entry,
      'output',
      /model out_name \(out_name\.onnx\): output "output" is not in the model \(its outputs: logits\)/,
    );
  });

  it('rejects an input shape other than the manifest’s', async () => {
    const entry = await eyeModel('in_shape.onnx', { ...MEAN_EYE, inputShape: [1, 1, 32, 18] });
    await rejects(
      entry,
      'pixels',
      /input "pixels" has shape 1×1×32×18 in the model, the manifest says 1×1×24×24/,
    );
    const rank = await eyeModel('in_rank.onnx', { ...MEAN_EYE, inputShape: [1, 576] });
    await rejects(
      rank,
      'pixels',
      /input "pixels" has shape 1×576 in the model, the manifest says 1×1×24×24/,
    );
  });

  it('rejects an output shape the wrapper cannot read (three classes for eye state)', async () => {
    const entry = await eyeModel('out_shape.onnx', {
      ...MEAN_EYE,
      classes: 3,
      weights: new Float32Array(576 * 3),
    });
    await rejects(
      entry,
      'logits',
      /output "logits" has shape 1×3, the eye-state wrapper needs 1×2/,
    );
  });

  it('rejects a manifest entry of another task before reading the file', async () => {
    const entry = { ...(await eyeModel('task.onnx', MEAN_EYE)), task: 'pose' as const };
    await expect(EyeStateModel.load(entry, { modelsDir: dir })).rejects.toMatchObject({
      code: 'model_manifest_invalid',
      message: expect.stringMatching(/task is pose, expected eye-state/) as string,
    });
  });
});
