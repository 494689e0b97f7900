/**
 * `pnpm eval faces [--json] [--threshold T]`: 1:1 verification accuracy of @kycd/models over the
 * labelled pairs in ../shared/data/faces (deepface/master.csv and face-recognition-pivot.csv).
 * Prints FNMR and FMR at the default threshold, the genuine and impostor score distributions and
 * the EER for the pairs each file lists and for every pair of labelled images by identity
 * (the calibration set), and exits 1 when a floor below regresses.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DEFAULT_VERIFY_THRESHOLD, FaceAnalysis, ModelError, decodeImage, verifyEmbeddings } from '@kycd/models';
import { distribution, equalErrorRate, errorRates, facesDataDir, identityPairs, loadFacePairs, type FacePair } from './facePairs.js';

/**
 * Quality floors, checked on the `identities` set (every pair of the 61 labelled images, 13
 * identities: 140 genuine, 1,690 impostor pairs). Measured at the time of writing (fr_feature
 * in B,G,R, threshold 0.45): FMR 0.059 % (1 pair), FNMR 0, EER ≈ 0.03 %, genuine median 0.770 —
 * see models/README.md. A change that crosses a floor fails `pnpm eval faces`; raise them when
 * the engine improves.
 */
export const FACE_EVAL_FLOORS = {
  /** FMR at the default threshold must not exceed this (≤ 3 of 1,690 impostor pairs). */
  maxFmr: 0.002,
  /** FNMR at the default threshold must not exceed this (≤ 2 of 140 genuine pairs). */
  maxFnmr: 0.015,
  /** Equal error rate must not exceed this. */
  maxEer: 0.01,
  /** Median genuine score must not fall below this. */
  minGenuineMedian: 0.72,
  /** Images where no face is found must not exceed this count. */
  maxNoFace: 0,
} as const;

/** Embed the largest face of every image the pairs name; `undefined` where none is found. */
export async function embedAll(fa: FaceAnalysis, dir: string, pairs: readonly FacePair[]): Promise<Map<string, Float32Array | undefined>> {
  const files = [...new Set(pairs.flatMap((p) => [p.a, p.b]))].sort();
  const out = new Map<string, Float32Array | undefined>();
  for (const f of files) {
    try {
      const frame = await decodeImage(await readFile(join(dir, f)));
      out.set(f, (await fa.embedSubject(frame)).embedding);
    } catch (err) {
      if (!(err instanceof ModelError)) throw err;
      out.set(f, undefined);
    }
  }
  return out;
}

export default async function evalFaces(args: readonly string[]): Promise<number> {
  const json = args.includes('--json');
  const ti = args.indexOf('--threshold');
  const threshold = ti >= 0 ? Number(args[ti + 1]) : DEFAULT_VERIFY_THRESHOLD;
  const { dir, pairs } = loadFacePairs(facesDataDir());
  const fa = await FaceAnalysis.load({ verifyThreshold: threshold });
  const t0 = performance.now();
  const embeddings = await embedAll(fa, dir, pairs);
  const embedMs = performance.now() - t0;
  await fa.release();
  const noFace = [...embeddings].filter(([, e]) => e === undefined).map(([f]) => f);

  const identities = identityPairs(pairs);
  const report: Record<string, unknown> = { threshold, images: embeddings.size, identities: identities.identities, noFace, embedSeconds: Math.round(embedMs) / 1000 };
  let failed = false;
  const SETS = ['master', 'pivot', 'identities'] as const;
  for (const set of SETS) {
    const genuine: number[] = [];
    const impostor: number[] = [];
    for (const p of set === 'identities' ? identities.pairs : pairs) {
      if (set !== 'identities' && !p.sets.includes(set)) continue;
      const a = embeddings.get(p.a);
      const b = embeddings.get(p.b);
      // A pair with an image without a face counts as a non-match (score −1).
      const score = a === undefined || b === undefined ? -1 : verifyEmbeddings(a, b, threshold).score;
      (p.same ? genuine : impostor).push(score);
    }
    const rates = errorRates(genuine, impostor, threshold);
    const eer = equalErrorRate(genuine, impostor);
    const g = distribution(genuine);
    const i = distribution(impostor);
    report[set] = { genuine: g, impostor: i, ...rates, eer: eer.eer, eerThreshold: eer.threshold, margin: g.min - i.max };
    if (set === 'identities') {
      failed =
        rates.fmr > FACE_EVAL_FLOORS.maxFmr ||
        rates.fnmr > FACE_EVAL_FLOORS.maxFnmr ||
        eer.eer > FACE_EVAL_FLOORS.maxEer ||
        g.median < FACE_EVAL_FLOORS.minGenuineMedian ||
        noFace.length > FACE_EVAL_FLOORS.maxNoFace;
    }
  }
  report.floors = FACE_EVAL_FLOORS;
  report.pass = !failed;
  if (json) process.stdout.write(`${JSON.stringify(report)}\n`);
  else {
    const f = (x: number): string => x.toFixed(3);
    const pct = (x: number): string => `${(x * 100).toFixed(2)} %`;
    process.stdout.write(`eval faces: ${embeddings.size} images, ${identities.identities} identities (${noFace.length} images without a face${noFace.length > 0 ? `: ${noFace.join(', ')}` : ''}), threshold ${threshold}\n`);
    for (const set of SETS) {
      const r = report[set] as { genuine: ReturnType<typeof distribution>; impostor: ReturnType<typeof distribution>; fnmr: number; fmr: number; eer: number; eerThreshold: number; margin: number };
      process.stdout.write(
        `  ${set.padEnd(10)} genuine n=${r.genuine.n} min ${f(r.genuine.min)} p05 ${f(r.genuine.p05)} median ${f(r.genuine.median)} max ${f(r.genuine.max)} | ` +
          `impostor n=${r.impostor.n} min ${f(r.impostor.min)} median ${f(r.impostor.median)} p95 ${f(r.impostor.p95)} max ${f(r.impostor.max)} | ` +
          `FNMR ${pct(r.fnmr)} FMR ${pct(r.fmr)} EER ${pct(r.eer)} @ ${f(r.eerThreshold)} margin ${f(r.margin)}\n`,
      );
    }
    process.stdout.write(failed ? `FAIL: separation regressed below the floors ${JSON.stringify(FACE_EVAL_FLOORS)}\n` : 'pass\n');
  }
  return failed ? 1 : 0;
}
