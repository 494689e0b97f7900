import { readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** One labelled image pair. */
export interface FacePair {
  readonly a: string;
  readonly b: string;
  readonly same: boolean;
  /** Which label file(s) list it. */
  readonly sets: readonly string[];
}

/** The face data directory: `$KYCD_FACES_DATA`, else ../shared/data/faces beside the repo. */
export function facesDataDir(): string {
  const env = process.env.KYCD_FACES_DATA;
  if (env !== undefined && env !== '') return resolve(env);
  return resolve(
    dirname(fileURLToPath(import.meta.url)),
    '..',
    '..',
    '..',
    'shared',
    'data',
    'faces',
  );
}

function parseCsv(text: string): string[][] {
  return text
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '')
    .map((l) => l.split(',').map((c) => c.trim()));
}

/**
 * The labelled pairs of deepface/master.csv (file_x, file_y, Decision) and
 * deepface/face-recognition-pivot.csv (file_x, file_y, decision, … paths under
 * deepface/tests/dataset/), de-duplicated (unordered pair), with the sets that list each.
 */
export function loadFacePairs(dataDir: string = facesDataDir()): {
  dir: string;
  pairs: FacePair[];
} {
  const dir = join(dataDir, 'deepface');
  const byKey = new Map<string, { a: string; b: string; same: boolean; sets: string[] }>();
  for (const [file, set] of [
    ['master.csv', 'master'],
    ['face-recognition-pivot.csv', 'pivot'],
  ] as const) {
    const rows = parseCsv(readFileSync(join(dir, file), 'utf8'));
    const header = (rows[0] ?? []).map((h) => h.toLowerCase());
    const ix = header.indexOf('file_x');
    const iy = header.indexOf('file_y');
    const id = header.indexOf('decision');
    if (ix < 0 || iy < 0 || id < 0)
      throw new Error(`${file}: expected columns file_x, file_y, decision`);
    for (const row of rows.slice(1)) {
      const a = basename(row[ix] ?? '');
      const b = basename(row[iy] ?? '');
      const decision = (row[id] ?? '').toLowerCase();
      if (a === '' || b === '' || (decision !== 'yes' && decision !== 'no')) continue;
      const key = [a, b].sort().join('|');
      const same = decision === 'yes';
      const prev = byKey.get(key);
      if (prev === undefined) byKey.set(key, { a, b, same, sets: [set] });
      else {
        if (prev.same !== same) throw new Error(`${file}: pair ${a}/${b} labelled both ways`);
        if (!prev.sets.includes(set)) prev.sets.push(set);
      }
    }
  }
  return { dir, pairs: [...byKey.values()] };
}

/** Summary of a score distribution. */
export interface Distribution {
  n: number;
  min: number;
  p05: number;
  median: number;
  p95: number;
  max: number;
}

/** Nearest-rank quantiles of `scores`. */
export function distribution(scores: readonly number[]): Distribution {
  const s = [...scores].sort((x, y) => x - y);
  const q = (p: number): number =>
    s[Math.min(s.length - 1, Math.max(0, Math.ceil(p * s.length) - 1))] ?? Number.NaN;
  return {
    n: s.length,
    min: s[0] ?? Number.NaN,
    p05: q(0.05),
    median: q(0.5),
    p95: q(0.95),
    max: s[s.length - 1] ?? Number.NaN,
  };
}

/** FNMR (genuine below threshold) and FMR (impostor at or above it). Similarity scores: higher = more alike. */
export function errorRates(
  genuine: readonly number[],
  impostor: readonly number[],
  threshold: number,
): { fnmr: number; fmr: number } {
  const fn = genuine.filter((s) => s < threshold).length;
  const fm = impostor.filter((s) => s >= threshold).length;
  return {
    fnmr: genuine.length === 0 ? 0 : fn / genuine.length,
    fmr: impostor.length === 0 ? 0 : fm / impostor.length,
  };
}

/** Equal error rate (approximate: the threshold over observed scores where FNMR and FMR are closest). */
export function equalErrorRate(
  genuine: readonly number[],
  impostor: readonly number[],
): { eer: number; threshold: number } {
  let best = { eer: 1, threshold: 0, gap: Infinity };
  for (const t of [...genuine, ...impostor]) {
    const { fnmr, fmr } = errorRates(genuine, impostor, t);
    const gap = Math.abs(fnmr - fmr);
    if (gap < best.gap) best = { eer: (fnmr + fmr) / 2, threshold: t, gap };
  }
  return { eer: best.eer, threshold: best.threshold };
}

/**
 * Every pair of labelled images, labelled by identity: identities are the connected components
 * of the genuine ("Yes") pairs, so two images are the same person when a chain of genuine
 * labels joins them and different people otherwise. Gives many more impostor pairs than the
 * label files list (used to calibrate the threshold at a low false-match rate). Images in no
 * genuine pair are left out, since their identity is unknown.
 */
export function identityPairs(pairs: readonly FacePair[]): {
  identities: number;
  pairs: FacePair[];
} {
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    let r = x;
    while (parent.get(r) !== r) r = parent.get(r) as string;
    return r;
  };
  for (const p of pairs) {
    if (!p.same) continue;
    for (const f of [p.a, p.b]) if (!parent.has(f)) parent.set(f, f);
  }
  for (const p of pairs) if (p.same) parent.set(find(p.a), find(p.b));
  const files = [...parent.keys()].sort();
  const out: FacePair[] = [];
  for (let i = 0; i < files.length; i++) {
    for (let j = i + 1; j < files.length; j++) {
      const a = files[i] as string;
      const b = files[j] as string;
      out.push({ a, b, same: find(a) === find(b), sets: ['identities'] });
    }
  }
  return { identities: new Set(files.map(find)).size, pairs: out };
}

/** Sensitivity index d′ = (μg − μi) / √((σg² + σi²) / 2): how far apart the two score distributions lie. */
export function dPrime(genuine: readonly number[], impostor: readonly number[]): number {
  const mean = (v: readonly number[]): number => v.reduce((a, b) => a + b, 0) / v.length;
  const variance = (v: readonly number[]): number => {
    const m = mean(v);
    return mean(v.map((x) => (x - m) ** 2));
  };
  return (mean(genuine) - mean(impostor)) / Math.sqrt((variance(genuine) + variance(impostor)) / 2);
}

/**
 * A text histogram of genuine and impostor scores side by side, one row per `step` of cosine
 * similarity (rows with neither left out), counts as numbers and bars scaled per class.
 */
export function scoreHistogram(
  genuine: readonly number[],
  impostor: readonly number[],
  step = 0.05,
  width = 30,
): string[] {
  const all = [...genuine, ...impostor];
  if (all.length === 0) return [];
  const lo = Math.floor(Math.min(...all) / step);
  const hi = Math.floor(Math.max(...all) / step);
  const count = (v: readonly number[], k: number): number =>
    v.filter((s) => Math.floor(s / step) === k).length;
  const rows: { k: number; g: number; i: number }[] = [];
  for (let k = lo; k <= hi; k++) rows.push({ k, g: count(genuine, k), i: count(impostor, k) });
  const gMax = Math.max(1, ...rows.map((r) => r.g));
  const iMax = Math.max(1, ...rows.map((r) => r.i));
  const bar = (n: number, max: number, ch: string): string =>
    ch.repeat(n === 0 ? 0 : Math.max(1, Math.round((n / max) * width)));
  return rows
    .filter((r) => r.g > 0 || r.i > 0)
    .map(
      (r) =>
        `${(r.k * step).toFixed(2).padStart(6)} … ${((r.k + 1) * step).toFixed(2).padStart(5)}  impostor ${String(r.i).padStart(5)} ${bar(r.i, iMax, '-').padEnd(width)}  genuine ${String(r.g).padStart(4)} ${bar(r.g, gMax, '#')}`,
    );
}
