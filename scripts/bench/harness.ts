/**
 * The benchmark harness behind `pnpm bench <area> [--json]`. An area is a module
 * `scripts/bench/<area>.ts` whose default export receives a {@link BenchContext} and reports
 * metrics. Table by default; `--json` prints one object per line and nothing else on stdout:
 * `{"metric": "...", "value": 12.3, "unit": "ms", "baseline": 45.6, "target": "...", "pass": true}`
 * (`baseline` where the metric has a reference, `target`/`pass` where it has a target).
 */
export interface BenchMetric {
  metric: string;
  value: number;
  unit: string;
  /** The reference measured in the same run, where the issue names one. */
  baseline?: number;
  /** Free-form note. Printed in the table only. */
  note?: string;
  /** A target from the issue: the run prints PASS or FAIL for it (and `pass` in the JSON line). */
  target?: BenchTarget;
}

/**
 * A target a metric must meet: an absolute bound (`min` / `max`) and/or a bound relative to the
 * baseline measured in the same run (`maxRatio`: value ≤ maxRatio × baseline).
 */
export interface BenchTarget {
  min?: number;
  max?: number;
  maxRatio?: number;
  /** How the target reads in the issue, e.g. "p99 ≤ 2× the bare ws floor". */
  description: string;
}

/** Whether a metric meets its target; undefined when it has none (or lacks the baseline it needs). */
export function meetsTarget(
  metric: Pick<BenchMetric, 'value' | 'baseline' | 'target'>,
): boolean | undefined {
  const { target, value, baseline } = metric;
  if (target === undefined) return undefined;
  if (target.maxRatio !== undefined && baseline === undefined) return undefined;
  if (!Number.isFinite(value)) return false;
  if (target.min !== undefined && !(value >= target.min)) return false;
  if (target.max !== undefined && !(value <= target.max)) return false;
  if (
    target.maxRatio !== undefined &&
    baseline !== undefined &&
    !(value <= target.maxRatio * baseline)
  )
    return false;
  return true;
}

export interface BenchContext {
  report(metric: BenchMetric): void;
  /** Progress messages (stderr, never in the JSON stream). */
  log(message: string): void;
  /** Extra CLI arguments after the area name. */
  args: readonly string[];
}

export type BenchArea = (ctx: BenchContext) => Promise<void>;

/** Value at quantile q (0..1) of the samples, nearest-rank. */
export function quantile(samples: readonly number[], q: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank] as number;
}

export const median = (samples: readonly number[]): number => quantile(samples, 0.5);

/** Time `fn` `iterations` times (after `warmup` runs); returns milliseconds per run. */
export async function timeIt(fn: () => unknown, iterations: number, warmup = 3): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await fn();
  const samples: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const t0 = process.hrtime.bigint();
    await fn();
    samples.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return samples;
}

export function round(value: number, digits = 3): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
