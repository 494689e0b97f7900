/**
 * `pnpm eval faces [--json] [--threshold T] [--update-baseline]`: 1:1 verification accuracy of
 * @kycd/models over the labelled pairs in ../shared/data/faces (deepface/master.csv and
 * face-recognition-pivot.csv). For the pairs each file lists and for every pair of labelled
 * images by identity (the calibration set) it prints FNMR and FMR at the default threshold, the
 * EER, d′, the genuine and impostor score distributions (summary and histogram), and the same
 * figures with fr_feature fed the other channel order. Exits 1 when
 * - any set's separation is worse than the committed baseline (`faces.baseline.json`) beyond
 *   {@link FACE_EVAL_TOLERANCE} (see faceBaseline.ts);
 * - the `identities` set crosses an absolute floor ({@link FACE_EVAL_FLOORS});
 * - the manifest's channel order for fr_feature no longer separates `identities` better (d′)
 *   than the other order.
 * `--update-baseline` writes this run's figures as the new baseline (commit it with the change
 * that moved them, saying why).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  DEFAULT_MANIFEST,
  DEFAULT_VERIFY_THRESHOLD,
  Embedder,
  FaceAnalysis,
  ModelError,
  decodeImage,
  verifyEmbeddings,
  type ModelManifestEntry,
} from '@kycd/models';
import {
  FACE_BASELINE_FILE,
  FACE_EVAL_TOLERANCE,
  readFaceBaseline,
  regressions,
  writeFaceBaseline,
  type FaceEvalBaseline,
  type SetFigures,
} from './faceBaseline.js';
import {
  dPrime,
  distribution,
  equalErrorRate,
  errorRates,
  facesDataDir,
  identityPairs,
  loadFacePairs,
  scoreHistogram,
  type FacePair,
} from './facePairs.js';

/**
 * Absolute floors, checked on the `identities` set (every pair of the 61 labelled images, 13
 * identities: 140 genuine, 1,690 impostor pairs), besides the relative gate against the baseline.
 * Measured at the time of writing (fr_feature in B,G,R, threshold 0.45): FMR 0.059 % (1 pair),
 * FNMR 0, EER ≈ 0.03 %, genuine median 0.770 — see models/README.md.
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

/** Embeddings of one image: by the manifest's model and, when given, by the alternative embedder on the same face. */
export interface ImageEmbeddings {
  readonly embedding: Float32Array;
  readonly alternative?: Float32Array;
}

/** Embed the subject face of every image the pairs name; `undefined` where none is found. */
export async function embedAll(
  fa: FaceAnalysis,
  dir: string,
  pairs: readonly FacePair[],
  alternative?: Embedder,
): Promise<Map<string, ImageEmbeddings | undefined>> {
  const files = [...new Set(pairs.flatMap((p) => [p.a, p.b]))].sort();
  const out = new Map<string, ImageEmbeddings | undefined>();
  for (const f of files) {
    try {
      const frame = await decodeImage(await readFile(join(dir, f)));
      const { face, embedding } = await fa.embedSubject(frame);
      out.set(
        f,
        alternative === undefined
          ? { embedding }
          : { embedding, alternative: await alternative.run(frame, face) },
      );
    } catch (err) {
      if (!(err instanceof ModelError)) throw err;
      out.set(f, undefined);
    }
  }
  return out;
}

const SETS = ['master', 'pivot', 'identities'] as const;

interface SetReport {
  readonly figures: SetFigures;
  readonly genuine: ReturnType<typeof distribution>;
  readonly impostor: ReturnType<typeof distribution>;
  readonly eerThreshold: number;
  readonly margin: number;
  readonly histogram: string[];
  /** d′ with fr_feature fed the other channel order. */
  readonly alternativeDPrime?: number;
}

function scoresOf(
  set: (typeof SETS)[number],
  pairs: readonly FacePair[],
  embeddings: Map<string, ImageEmbeddings | undefined>,
  pick: (e: ImageEmbeddings) => Float32Array | undefined,
  threshold: number,
): { genuine: number[]; impostor: number[] } {
  const genuine: number[] = [];
  const impostor: number[] = [];
  for (const p of pairs) {
    if (set !== 'identities' && !p.sets.includes(set)) continue;
    const a = embeddings.get(p.a);
    const b = embeddings.get(p.b);
    const ea = a === undefined ? undefined : pick(a);
    const eb = b === undefined ? undefined : pick(b);
    // A pair with an image without a face counts as a non-match (score −1).
    const score =
      ea === undefined || eb === undefined ? -1 : verifyEmbeddings(ea, eb, threshold).score;
    (p.same ? genuine : impostor).push(score);
  }
  return { genuine, impostor };
}

export default async function evalFaces(args: readonly string[]): Promise<number> {
  const json = args.includes('--json');
  const update = args.includes('--update-baseline');
  const ti = args.indexOf('--threshold');
  const threshold = ti >= 0 ? Number(args[ti + 1]) : DEFAULT_VERIFY_THRESHOLD;
  if (!Number.isFinite(threshold))
    throw new RangeError(`--threshold: not a number: ${args[ti + 1]}`);
  const { dir, pairs } = loadFacePairs(facesDataDir());
  const fa = await FaceAnalysis.load({ verifyThreshold: threshold });
  const entry = DEFAULT_MANIFEST.models.find((m) => m.task === 'embedding') as ModelManifestEntry;
  const otherOrder =
    entry.channelOrder === 'bgr' ? 'rgb' : entry.channelOrder === 'rgb' ? 'bgr' : undefined;
  const alternative =
    otherOrder === undefined
      ? undefined
      : await Embedder.load({ ...entry, channelOrder: otherOrder }, { modelsDir: fa.modelsDir });
  const t0 = performance.now();
  const embeddings = await embedAll(fa, dir, pairs, alternative);
  const embedMs = performance.now() - t0;
  await fa.release();
  await alternative?.release();
  const noFace = [...embeddings].filter(([, e]) => e === undefined).map(([f]) => f);
  const identities = identityPairs(pairs);

  const sets: Record<string, SetReport> = {};
  for (const set of SETS) {
    const list = set === 'identities' ? identities.pairs : pairs;
    const { genuine, impostor } = scoresOf(set, list, embeddings, (e) => e.embedding, threshold);
    const rates = errorRates(genuine, impostor, threshold);
    const eer = equalErrorRate(genuine, impostor);
    const g = distribution(genuine);
    const i = distribution(impostor);
    const alt =
      alternative === undefined
        ? undefined
        : scoresOf(set, list, embeddings, (e) => e.alternative, threshold);
    sets[set] = {
      figures: {
        genuine: genuine.length,
        impostor: impostor.length,
        eer: eer.eer,
        fnmr: rates.fnmr,
        fmr: rates.fmr,
        genuineMedian: g.median,
        impostorMedian: i.median,
        dPrime: dPrime(genuine, impostor),
      },
      genuine: g,
      impostor: i,
      eerThreshold: eer.threshold,
      margin: g.min - i.max,
      histogram: scoreHistogram(genuine, impostor),
      ...(alt === undefined ? {} : { alternativeDPrime: dPrime(alt.genuine, alt.impostor) }),
    };
  }

  const current: FaceEvalBaseline = {
    measured: `${new Date().toISOString().slice(0, 10)}: default manifest, fr_feature fed ${entry.channelOrder}, ${embeddings.size} images of ../shared/data/faces/deepface`,
    threshold,
    noFace: noFace.length,
    sets: Object.fromEntries(Object.entries(sets).map(([k, v]) => [k, v.figures])),
  };
  const failures: string[] = [];
  if (update) writeFaceBaseline(current);
  else if (threshold !== DEFAULT_VERIFY_THRESHOLD) {
    // A custom threshold has no baseline: report only.
  } else failures.push(...regressions(current, readFaceBaseline()));
  const id = sets.identities as SetReport;
  const floors: string[] = [];
  if (id.figures.fmr > FACE_EVAL_FLOORS.maxFmr)
    floors.push(`identities: FMR ${id.figures.fmr} > floor ${FACE_EVAL_FLOORS.maxFmr}`);
  if (id.figures.fnmr > FACE_EVAL_FLOORS.maxFnmr)
    floors.push(`identities: FNMR ${id.figures.fnmr} > floor ${FACE_EVAL_FLOORS.maxFnmr}`);
  if (id.figures.eer > FACE_EVAL_FLOORS.maxEer)
    floors.push(`identities: EER ${id.figures.eer} > floor ${FACE_EVAL_FLOORS.maxEer}`);
  if (id.figures.genuineMedian < FACE_EVAL_FLOORS.minGenuineMedian)
    floors.push(
      `identities: genuine median ${id.figures.genuineMedian} < floor ${FACE_EVAL_FLOORS.minGenuineMedian}`,
    );
  if (noFace.length > FACE_EVAL_FLOORS.maxNoFace)
    floors.push(`${noFace.length} images without a face > floor ${FACE_EVAL_FLOORS.maxNoFace}`);
  failures.push(...floors);
  if (id.alternativeDPrime !== undefined && !(id.figures.dPrime > id.alternativeDPrime)) {
    failures.push(
      `identities: fr_feature in the manifest's order ${entry.channelOrder} (d′ ${id.figures.dPrime.toFixed(2)}) no longer separates better than ${otherOrder} (d′ ${id.alternativeDPrime.toFixed(2)})`,
    );
  }
  const pass = failures.length === 0;

  if (json) {
    process.stdout.write(
      `${JSON.stringify({ threshold, images: embeddings.size, identities: identities.identities, noFace, embedSeconds: Math.round(embedMs) / 1000, channelOrder: entry.channelOrder, otherOrder, sets, floors: FACE_EVAL_FLOORS, tolerance: FACE_EVAL_TOLERANCE, failures, pass })}\n`,
    );
  } else {
    const f = (x: number): string => x.toFixed(3);
    const pct = (x: number): string => `${(x * 100).toFixed(2)} %`;
    const w = (line: string): boolean => process.stdout.write(`${line}\n`);
    w(
      `eval faces: ${embeddings.size} images, ${identities.identities} identities (${noFace.length} images without a face${noFace.length > 0 ? `: ${noFace.join(', ')}` : ''}), threshold ${threshold}, fr_feature ${entry.channelOrder}`,
    );
    for (const set of SETS) {
      const r = sets[set] as SetReport;
      w(
        `  ${set.padEnd(10)} genuine n=${r.genuine.n} min ${f(r.genuine.min)} p05 ${f(r.genuine.p05)} median ${f(r.genuine.median)} max ${f(r.genuine.max)} | ` +
          `impostor n=${r.impostor.n} min ${f(r.impostor.min)} median ${f(r.impostor.median)} p95 ${f(r.impostor.p95)} max ${f(r.impostor.max)} | ` +
          `FNMR ${pct(r.figures.fnmr)} FMR ${pct(r.figures.fmr)} EER ${pct(r.figures.eer)} @ ${f(r.eerThreshold)} d′ ${r.figures.dPrime.toFixed(2)}${r.alternativeDPrime === undefined ? '' : ` (${otherOrder}: ${r.alternativeDPrime.toFixed(2)})`} margin ${f(r.margin)}`,
      );
    }
    for (const set of SETS) {
      w(`  score distribution, ${set} (cosine similarity; threshold ${threshold}):`);
      for (const line of (sets[set] as SetReport).histogram) w(`    ${line}`);
    }
    if (update) w(`baseline written to ${FACE_BASELINE_FILE}`);
    else if (threshold !== DEFAULT_VERIFY_THRESHOLD)
      w(`threshold ${threshold} is not the default: baseline comparison skipped`);
    for (const line of failures) w(`FAIL ${line}`);
    w(pass ? 'pass' : 'FAIL: face verification separation regressed');
  }
  return pass ? 0 : 1;
}
