import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FaceAnalysis } from '../FaceAnalysis.js';
import { ensureModels, sampleFrame } from '../__fixtures__/testImages.js';
import { DEFAULT_MANIFEST } from '../manifest/DEFAULT_MANIFEST.js';
import type { ModelManifestEntry } from '../manifest/ModelManifest.js';
import { SOURCE_COPIES_DIR } from '../install/installModels.js';
import { cosineSimilarity } from '../verify/verifyEmbeddings.js';
import { Embedder } from './Embedder.js';

let fa: FaceAnalysis;
let shipped: Embedder;
beforeAll(async () => {
  const modelsDir = await ensureModels();
  fa = await FaceAnalysis.load({ modelsDir });
  const entry = DEFAULT_MANIFEST.models.find((m) => m.task === 'embedding') as ModelManifestEntry;
  // The file exactly as the npm package ships it, denormal weights included.
  shipped = await Embedder.load({ ...entry, sha256: entry.source?.sha256 ?? '' }, { modelsDir: join(modelsDir, SOURCE_COPIES_DIR) });
});
afterAll(async () => {
  await fa.release();
  await shipped.release();
});

describe('Embedder', () => {
  it('gives the same embeddings with the denormal weights flushed as the shipped model (float noise only)', async () => {
    let compared = 0;
    for (const n of [1, 3, 5] as const) {
      const frame = await sampleFrame(n);
      for (const face of await fa.analyze(frame, { maxFaces: 10 })) {
        const a = await fa.embedder.run(frame, face);
        const b = await shipped.run(frame, face);
        let maxDiff = 0;
        for (let i = 0; i < a.length; i++) maxDiff = Math.max(maxDiff, Math.abs((a[i] as number) - (b[i] as number)));
        expect(maxDiff).toBeLessThan(1e-5);
        expect(cosineSimilarity(a, b)).toBeGreaterThan(1 - 1e-9);
        compared++;
      }
    }
    expect(compared).toBe(11);
  });

  it('builds the aligned 3×112×112 input normalised to (p − 127.5) / 128', async () => {
    const frame = await sampleFrame(3);
    const [face] = await fa.analyze(frame);
    const input = fa.embedder.alignedInput(frame, face!);
    expect(input).toHaveLength(3 * 112 * 112);
    // Values are (p − 127.5) / 128: within [−1, 1].
    let min = Infinity;
    let max = -Infinity;
    for (const v of input) {
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    expect(min).toBeGreaterThanOrEqual(-1);
    expect(max).toBeLessThanOrEqual(1);
  });

  it('requires landmarks', () => {
    expect(() => fa.embedder.alignedInput({ width: 1, height: 1, data: new Uint8Array(3) }, { box: { x1: 0, y1: 0, x2: 1, y2: 1 }, score: 1 })).toThrow(TypeError);
  });
});
