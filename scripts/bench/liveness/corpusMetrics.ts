/**
 * ISO/IEC 30107-3 metrics of a liveness corpus (`pnpm bench liveness --corpus`): every run is one
 * presentation of a simulated {@link FaceBehavior} with its verdict.
 *
 * - `live` is the bona fide presentation: BPCER = bona fide presentations rejected ÷ all of them.
 * - `print`, `screen`, `neverBlinks`, `wrongWay`, `secondFace`, `swap` are presentation attack
 *   types: APCER(type) = attacks of that type accepted ÷ all attacks of that type (ISO/IEC
 *   30107-3 reports APCER per PAI species; the headline is the worst one).
 * - `noFace` and `dark` are no presentation at all and a presentation the camera cannot capture:
 *   failures to acquire, not attacks. They are reported on their own (rate of runs that were
 *   correctly not acquired) and kept out of APCER; a verdict of "passed" for them is still a defect.
 */
import type { FaceBehavior } from '@kycd/hardware-sim';

/** One corpus run as the bench writes it (one JSON line). */
export interface CorpusRun {
  readonly behavior: FaceBehavior;
  readonly photo: string;
  /** The other person (secondFace, swap). */
  readonly other?: string;
  readonly seed: number;
  readonly passed: boolean;
  readonly reasons: readonly string[];
  readonly simMs: number;
  readonly wallMs: number;
  /** Mean passive p_live over the frames that counted (for calibrating the threshold). */
  readonly antiSpoofMean?: number;
}

/** How a behaviour counts in the metrics. */
export type PresentationClass = 'bonaFide' | 'attack' | 'failureToAcquire';

/** The class of each behaviour, see the module comment. */
export const PRESENTATION_CLASS: Readonly<Record<FaceBehavior, PresentationClass>> = {
  live: 'bonaFide',
  print: 'attack',
  screen: 'attack',
  neverBlinks: 'attack',
  wrongWay: 'attack',
  secondFace: 'attack',
  swap: 'attack',
  noFace: 'failureToAcquire',
  dark: 'failureToAcquire',
};

/** Targets of the issue: BPCER ≤ 2 %, APCER ≤ 1 % for every attack type. */
export const CORPUS_TARGETS = { maxBpcerPercent: 2, maxApcerPercent: 1 } as const;

/** Metrics of one behaviour. */
export interface BehaviorMetrics {
  readonly behavior: FaceBehavior;
  readonly presentationClass: PresentationClass;
  readonly runs: number;
  /** Runs whose verdict was "passed". */
  readonly accepted: number;
  /** Reason codes of the rejected runs, with counts. */
  readonly reasons: Readonly<Record<string, number>>;
  /** Distinct photos (identities) the runs used. */
  readonly photos: number;
}

/** What {@link summariseCorpus} computes. */
export interface CorpusSummary {
  readonly behaviors: readonly BehaviorMetrics[];
  /** Bona fide presentations rejected, %; undefined without live runs. */
  readonly bpcerPercent?: number;
  /** Attacks accepted per attack type, %. */
  readonly apcerPercent: Readonly<Partial<Record<FaceBehavior, number>>>;
  /** Failure-to-acquire behaviours correctly not acquired, % of their runs. */
  readonly notAcquiredPercent: Readonly<Partial<Record<FaceBehavior, number>>>;
  /** Why the corpus misses its targets (empty: it meets them). */
  readonly failures: readonly string[];
}

const percent = (part: number, whole: number): number => (whole === 0 ? 0 : (100 * part) / whole);

/**
 * Compute BPCER, APCER per attack type and the failure-to-acquire rates of `runs`, and check them
 * against `targets` (also: no failure-to-acquire run may pass; every behaviour present needs at
 * least `minRunsPerBehavior` runs).
 */
export function summariseCorpus(
  runs: readonly CorpusRun[],
  options: { targets?: typeof CORPUS_TARGETS; minRunsPerBehavior?: number } = {},
): CorpusSummary {
  const targets = options.targets ?? CORPUS_TARGETS;
  const minRuns = options.minRunsPerBehavior ?? 0;
  const byBehavior = new Map<FaceBehavior, CorpusRun[]>();
  for (const run of runs) {
    if (!(run.behavior in PRESENTATION_CLASS))
      throw new RangeError(`unknown behaviour ${JSON.stringify(run.behavior)} in the corpus`);
    byBehavior.set(run.behavior, [...(byBehavior.get(run.behavior) ?? []), run]);
  }
  const behaviors: BehaviorMetrics[] = [];
  const apcerPercent: Partial<Record<FaceBehavior, number>> = {};
  const notAcquiredPercent: Partial<Record<FaceBehavior, number>> = {};
  const failures: string[] = [];
  let bpcerPercent: number | undefined;
  for (const [behavior, mine] of byBehavior) {
    const accepted = mine.filter((r) => r.passed).length;
    const reasons: Record<string, number> = {};
    for (const r of mine)
      if (!r.passed) for (const code of r.reasons) reasons[code] = (reasons[code] ?? 0) + 1;
    const presentationClass = PRESENTATION_CLASS[behavior];
    behaviors.push({
      behavior,
      presentationClass,
      runs: mine.length,
      accepted,
      reasons,
      photos: new Set(mine.map((r) => r.photo)).size,
    });
    if (mine.length < minRuns)
      failures.push(`${behavior}: ${mine.length} runs, fewer than ${minRuns}`);
    if (presentationClass === 'bonaFide') {
      bpcerPercent = percent(mine.length - accepted, mine.length);
      if (bpcerPercent > targets.maxBpcerPercent)
        failures.push(`BPCER ${bpcerPercent.toFixed(2)} % > ${targets.maxBpcerPercent} %`);
    } else if (presentationClass === 'attack') {
      const apcer = percent(accepted, mine.length);
      apcerPercent[behavior] = apcer;
      if (apcer > targets.maxApcerPercent)
        failures.push(`APCER ${behavior} ${apcer.toFixed(2)} % > ${targets.maxApcerPercent} %`);
    } else {
      notAcquiredPercent[behavior] = percent(mine.length - accepted, mine.length);
      if (accepted > 0)
        failures.push(
          `${behavior}: ${accepted} of ${mine.length} runs passed without an acquirable face`,
        );
    }
  }
  return {
    behaviors,
    ...(bpcerPercent === undefined ? {} : { bpcerPercent }),
    apcerPercent,
    notAcquiredPercent,
    failures,
  };
}
