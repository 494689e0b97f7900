/**
 * The regression gate of `pnpm eval faces`: figures measured on each set (master, pivot,
 * identities) are committed in `faces.baseline.json`; a run fails when any set's separation is
 * worse than its baseline by more than {@link FACE_EVAL_TOLERANCE}.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The separation figures of one set of pairs at one threshold. */
export interface SetFigures {
  readonly genuine: number;
  readonly impostor: number;
  /** Equal error rate (0..1). */
  readonly eer: number;
  /** False non-match rate at the threshold (0..1). */
  readonly fnmr: number;
  /** False match rate at the threshold (0..1). */
  readonly fmr: number;
  readonly genuineMedian: number;
  readonly impostorMedian: number;
  /** Sensitivity index d′. */
  readonly dPrime: number;
}

/** The committed baseline file. */
export interface FaceEvalBaseline {
  /** When and with what the figures were measured (free text, for the reader). */
  readonly measured: string;
  readonly threshold: number;
  /** Images in which no face was found. */
  readonly noFace: number;
  readonly sets: Readonly<Record<string, SetFigures>>;
}

/**
 * How much worse than the baseline a figure may be before the run fails. Error rates may grow by
 * one pair of the set (a single borderline pair flipping is noise on sets this small), plus
 * `rate` absolute; medians may move by `median`; d′ may drop by `dPrimeFraction` of its value.
 */
export const FACE_EVAL_TOLERANCE = {
  /** Extra absolute error rate allowed beyond one pair (EER, FNMR, FMR). */
  rate: 0.002,
  /** Genuine median may fall, impostor median rise, by this much (cosine). */
  median: 0.02,
  /** d′ may fall by this fraction of the baseline's. */
  dPrimeFraction: 0.05,
} as const;

/** The baseline file beside this module. */
export const FACE_BASELINE_FILE = join(
  dirname(fileURLToPath(import.meta.url)),
  'faces.baseline.json',
);

export function readFaceBaseline(file: string = FACE_BASELINE_FILE): FaceEvalBaseline {
  return JSON.parse(readFileSync(file, 'utf8')) as FaceEvalBaseline;
}

export function writeFaceBaseline(
  baseline: FaceEvalBaseline,
  file: string = FACE_BASELINE_FILE,
): void {
  writeFileSync(file, `${JSON.stringify(baseline, null, 2)}\n`);
}

/**
 * Every way `current` is worse than `baseline` beyond the tolerance, as readable lines naming the
 * set, the figure, both values and the allowance; empty when nothing regressed. A set missing
 * from either side is a regression too (the data changed: re-measure the baseline).
 */
export function regressions(
  current: FaceEvalBaseline,
  baseline: FaceEvalBaseline,
  tolerance: typeof FACE_EVAL_TOLERANCE = FACE_EVAL_TOLERANCE,
): string[] {
  const out: string[] = [];
  const f = (x: number): string => x.toFixed(4);
  if (current.threshold !== baseline.threshold)
    out.push(
      `threshold ${current.threshold} differs from the baseline's ${baseline.threshold}: compare at the same threshold`,
    );
  if (current.noFace > baseline.noFace)
    out.push(`images without a face: ${current.noFace}, baseline ${baseline.noFace}`);
  for (const name of new Set([...Object.keys(baseline.sets), ...Object.keys(current.sets)])) {
    const b = baseline.sets[name];
    const c = current.sets[name];
    if (b === undefined || c === undefined) {
      out.push(`${name}: set ${b === undefined ? 'not in the baseline' : 'missing from this run'}`);
      continue;
    }
    if (c.genuine !== b.genuine || c.impostor !== b.impostor) {
      out.push(
        `${name}: ${c.genuine} genuine / ${c.impostor} impostor pairs, baseline ${b.genuine} / ${b.impostor} (the data changed: re-measure the baseline)`,
      );
      continue;
    }
    const rateAllowance = (pairs: number): number =>
      (pairs > 0 ? 1 / pairs : 0) + tolerance.rate + 1e-12;
    const checks: [string, number, number, number, 'max' | 'min'][] = [
      ['EER', c.eer, b.eer, Math.min(rateAllowance(c.genuine), rateAllowance(c.impostor)), 'max'],
      ['FNMR', c.fnmr, b.fnmr, rateAllowance(c.genuine), 'max'],
      ['FMR', c.fmr, b.fmr, rateAllowance(c.impostor), 'max'],
      ['genuine median', c.genuineMedian, b.genuineMedian, tolerance.median, 'min'],
      ['impostor median', c.impostorMedian, b.impostorMedian, tolerance.median, 'max'],
      ['d′', c.dPrime, b.dPrime, b.dPrime * tolerance.dPrimeFraction, 'min'],
    ];
    for (const [figure, now, was, allowance, kind] of checks) {
      const worse = kind === 'max' ? now > was + allowance : now < was - allowance;
      if (!(worse || Number.isNaN(now))) continue;
      out.push(
        `${name}: ${figure} ${f(now)}, baseline ${f(was)} (${kind === 'max' ? 'may rise' : 'may fall'} by ${f(allowance)})`,
      );
    }
  }
  return out;
}
