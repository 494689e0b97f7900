import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FaceAnalysis } from '../FaceAnalysis.js';
import { ensureModels, mirror, sampleFrame } from '../__fixtures__/testImages.js';
import { DEFAULT_MANIFEST } from '../manifest/DEFAULT_MANIFEST.js';
import type { ModelManifestEntry } from '../manifest/ModelManifest.js';
import { SOURCE_COPIES_DIR } from '../install/installModels.js';
import { cosineSimilarity } from '../verify/verifyEmbeddings.js';
import { Embedder, l2Normalise } from './Embedder.js';

const embeddingEntry = (): ModelManifestEntry =>
  DEFAULT_MANIFEST.models.find((m) => m.task === 'embedding') as ModelManifestEntry;

/** Sensitivity index d′ = (μg − μi) / √((σg² + σi²) / 2). */
function dPrime(genuine: readonly number[], impostor: readonly number[]): number {
  const mean = (v: readonly number[]): number => v.reduce((a, b) => a + b, 0) / v.length;
  const variance = (v: readonly number[]): number => {
    const m = mean(v);
    return mean(v.map((x) => (x - m) ** 2));
  };
  return (mean(genuine) - mean(impostor)) / Math.sqrt((variance(genuine) + variance(impostor)) / 2);
}

let fa: FaceAnalysis;
let modelsDir: string;
beforeAll(async () => {
  modelsDir = await ensureModels();
  fa = await FaceAnalysis.load({ modelsDir });
});
afterAll(async () => {
  await fa.release();
});

describe('Embedder', () => {
  it('gives the same embeddings with the denormal weights flushed and denormals-as-zero arithmetic as the shipped model run exactly in a fresh process (float noise only)', async () => {
    // Production: weights flushed at install, denormals-as-zero at run time. Reference: the file
    // as the npm package ships it, run in a child process that never set denormals-as-zero (it
    // is CPU thread state, so this process cannot be the exact reference).
    const entry = embeddingEntry();
    const faces: Float32Array[] = [];
    const production: Float32Array[] = [];
    for (const n of [1, 3, 5] as const) {
      const frame = await sampleFrame(n);
      for (const face of await fa.analyze(frame, { maxFaces: 10 })) {
        faces.push(fa.embedder.alignedInput(frame, face));
        production.push(await fa.embedder.run(frame, face));
      }
    }
    expect(faces).toHaveLength(11);
    const dir = await mkdtemp(join(tmpdir(), 'kycd-exact-'));
    try {
      const inputs = new Float32Array(faces.reduce((n, f) => n + f.length, 0));
      faces.forEach((f, i) => inputs.set(f, i * f.length));
      await writeFile(join(dir, 'in.f32'), Buffer.from(inputs.buffer));
      await promisify(execFile)(process.execPath, [
        fileURLToPath(new URL('../__fixtures__/exactEmbeddings.mjs', import.meta.url)),
        join(modelsDir, SOURCE_COPIES_DIR, entry.file),
        entry.input,
        join(dir, 'in.f32'),
        String(faces.length),
        join(dir, 'out.f32'),
      ]);
      const raw = new Float32Array((await readFile(join(dir, 'out.f32'))).buffer.slice(0));
      const dim = raw.length / faces.length;
      production.forEach((a, k) => {
        const b = l2Normalise(raw.slice(k * dim, (k + 1) * dim));
        let maxDiff = 0;
        for (let i = 0; i < a.length; i++)
          maxDiff = Math.max(maxDiff, Math.abs((a[i] as number) - (b[i] as number)));
        expect(maxDiff).toBeLessThan(1e-5);
        expect(cosineSimilarity(a, b)).toBeGreaterThan(1 - 1e-9);
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('fr_feature channel order: B,G,R (the manifest order) separates the face-api.js photos better than R,G,B', async () => {
    // Identities: the 22 faces of the six photos, each also mirrored (a genuine pair that is not
    // the same pixels); sample 1's third face and sample 3's first are the same woman in two
    // photographs (by eye; the only cross-photo genuine pair of the set).
    const rgb = await Embedder.load({ ...embeddingEntry(), channelOrder: 'rgb' }, { modelsDir });
    try {
      const items: { id: string; bgr: Float32Array; rgb: Float32Array }[] = [];
      for (const n of [1, 2, 3, 4, 5, 6] as const) {
        const frame = await sampleFrame(n);
        const flipped = mirror(frame);
        const flippedFaces = await fa.detect(flipped);
        const faces = await fa.analyze(frame, { maxFaces: 10 });
        for (const [k, face] of faces.entries()) {
          const id = n === 3 && k === 0 ? '1/2' : `${n}/${k}`;
          const withLm = await fa.landmarkModel.run(frame, face);
          items.push({
            id,
            bgr: await fa.embedder.run(frame, withLm),
            rgb: await rgb.run(frame, withLm),
          });
          const cx = frame.width - (face.box.x1 + face.box.x2) / 2;
          const twin = flippedFaces.find(
            (g) => Math.abs((g.box.x1 + g.box.x2) / 2 - cx) < (face.box.x2 - face.box.x1) / 3,
          );
          if (twin === undefined) continue;
          const twinLm = await fa.landmarkModel.run(flipped, twin);
          items.push({
            id,
            bgr: await fa.embedder.run(flipped, twinLm),
            rgb: await rgb.run(flipped, twinLm),
          });
        }
      }
      const separation = (
        order: 'bgr' | 'rgb',
      ): { dPrime: number; crossPhoto: number; impostorMax: number } => {
        const genuine: number[] = [];
        const impostor: number[] = [];
        const cross: number[] = [];
        for (let i = 0; i < items.length; i++) {
          for (let j = i + 1; j < items.length; j++) {
            const a = items[i] as (typeof items)[number];
            const b = items[j] as (typeof items)[number];
            const s = cosineSimilarity(a[order], b[order]);
            if (a.id !== b.id) impostor.push(s);
            else {
              genuine.push(s);
              if (a.id === '1/2' && a !== b) cross.push(s);
            }
          }
        }
        return {
          dPrime: dPrime(genuine, impostor),
          crossPhoto: Math.min(...cross),
          impostorMax: Math.max(...impostor),
        };
      };
      const b = separation('bgr');
      const r = separation('rgb');
      // Measured: d′ 7.31 vs 6.69; the cross-photo pair at least 0.695 vs 0.607. (R,G,B keeps
      // the highest impostor lower, 0.437 vs 0.508 — the same pair, sample 1's first face
      // against sample 4's fourth, mirrored; with synthetic genuine pairs alone R,G,B has the
      // higher d′. The 140 real genuine pairs of `pnpm eval faces` settle it: B,G,R.)
      expect(b.dPrime).toBeGreaterThan(r.dPrime);
      expect(b.crossPhoto).toBeGreaterThan(r.crossPhoto + 0.05);
    } finally {
      await rgb.release();
    }
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
    expect(() =>
      fa.embedder.alignedInput(
        { width: 1, height: 1, data: new Uint8Array(3) },
        { box: { x1: 0, y1: 0, x2: 1, y2: 1 }, score: 1 },
      ),
    ).toThrow(TypeError);
  });
});
