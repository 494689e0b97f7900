/**
 * `pnpm bench liveness` — the liveness engine on the simulated camera with the real models.
 *
 *   pnpm bench liveness                 end-to-end wall time of a 3-challenge check (realtime
 *                                       camera, 15 fps) vs the sum of the challenge deadlines;
 *                                       CPU use while analysing a 30 fps stream
 *   pnpm bench liveness --corpus [--runs 50] [--out file.jsonl]
 *                                       ISO/IEC 30107-3 corpus: every behaviour × sample photos
 *                                       × seeds (virtual pacing); APCER per attack type, BPCER
 *   pnpm bench liveness --summarise file.jsonl   metrics of a (partial) corpus file
 */
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { FACE_BEHAVIORS, loadSimFace, SAMPLE_FACE_PHOTOS, SimulatedCamera, type FaceBehavior } from '@kycd/hardware-sim';
import { runLiveness } from '@kycd/daemon';
import { FaceAnalysis } from '@kycd/models';
import { DEFAULT_LIVENESS_PARAMS } from '@kycd/state-machines';
import { median, type BenchContext } from './harness.js';

interface CorpusRun {
  behavior: FaceBehavior;
  photo: string;
  seed: number;
  passed: boolean;
  reasons: readonly string[];
  simMs: number;
  wallMs: number;
}

function seeded(seed: number): () => number {
  let s = (seed * 2654435761) >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

function arg(args: readonly string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

async function oneRun(analysis: FaceAnalysis, behavior: FaceBehavior, photo: string, other: string, seed: number, pacing: 'virtual' | 'realtime', fps = 15): Promise<CorpusRun & { dropped: number }> {
  const [face, otherFace] = await Promise.all([loadSimFace(photo, analysis), loadSimFace(other, analysis)]);
  const camera = new SimulatedCamera({ pacing, seed, fps });
  camera.presentFace({ face, behavior, other: otherFace });
  const t0 = performance.now();
  try {
    const result = await runLiveness({
      frames: camera.frames(),
      analysis,
      random: seeded(seed),
      onChallenge: (e) => {
        if (e.type === 'challenge.started') camera.cue(e.challenge);
      },
    });
    return {
      behavior,
      photo,
      seed,
      passed: result.verdict.passed,
      reasons: result.verdict.reasons,
      simMs: result.evidence.durationMs,
      wallMs: performance.now() - t0,
      dropped: camera.stats.dropped,
    };
  } finally {
    camera.close();
  }
}

/** ISO/IEC 30107-3: APCER per attack type (attacks accepted), BPCER (live rejected). */
function summarise(ctx: BenchContext, runs: readonly CorpusRun[]): void {
  for (const behavior of FACE_BEHAVIORS) {
    const mine = runs.filter((r) => r.behavior === behavior);
    if (mine.length === 0) continue;
    const accepted = mine.filter((r) => r.passed).length;
    const reasons = new Map<string, number>();
    for (const r of mine) for (const code of r.reasons) reasons.set(code, (reasons.get(code) ?? 0) + 1);
    const note = `${mine.length} runs; ${[...reasons].map(([k, v]) => `${k}×${v}`).join(', ') || 'all passed'}`;
    if (behavior === 'live') {
      ctx.report({ metric: 'BPCER (live rejected)', value: (100 * (mine.length - accepted)) / mine.length, unit: '%', note: `target ≤ 2 %; ${note}` });
    } else {
      ctx.report({ metric: `APCER ${behavior}`, value: (100 * accepted) / mine.length, unit: '%', note: `target ≤ 1 %; ${note}` });
    }
  }
  if (runs.length > 0) ctx.report({ metric: 'corpus run wall time (median)', value: median(runs.map((r) => r.wallMs)), unit: 'ms', note: `${runs.length} runs` });
}

export default async function liveness(ctx: BenchContext): Promise<void> {
  const summariseFile = arg(ctx.args, '--summarise');
  if (summariseFile !== undefined) {
    const runs = readFileSync(summariseFile, 'utf8').split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as CorpusRun);
    summarise(ctx, runs);
    return;
  }
  const analysis = await FaceAnalysis.load();
  const photos = SAMPLE_FACE_PHOTOS.map((p) => p.id);
  try {
    if (ctx.args.includes('--corpus')) {
      const runsPerBehavior = Number(arg(ctx.args, '--runs') ?? 50);
      const out = arg(ctx.args, '--out') ?? 'liveness-corpus.jsonl';
      const only = arg(ctx.args, '--behaviors')?.split(',') as FaceBehavior[] | undefined;
      writeFileSync(out, '');
      const runs: CorpusRun[] = [];
      for (let i = 0; i < runsPerBehavior; i++) {
        for (const behavior of only ?? FACE_BEHAVIORS) {
          const photo = photos[i % photos.length]!;
          // The other person (secondFace, swap) is always a different identity.
          const others = photos.filter((p) => p !== photo);
          const other = others[Math.floor(i / photos.length) % others.length]!;
          const seed = 1000 + i;
          const { dropped: _dropped, ...run } = await oneRun(analysis, behavior, photo, other, seed, 'virtual');
          runs.push(run);
          appendFileSync(out, `${JSON.stringify(run)}\n`);
          ctx.log(`${runs.length}: ${behavior} ${photo} seed ${seed} → ${run.passed ? 'PASS' : `FAIL ${run.reasons.join(',')}`} (${Math.round(run.wallMs)} ms)`);
        }
      }
      summarise(ctx, runs);
      return;
    }

    // 1. End-to-end wall time with three challenges, realtime camera at 15 fps.
    const deadlineSum = DEFAULT_LIVENESS_PARAMS.challengeDeadlineMs * DEFAULT_LIVENESS_PARAMS.challengeCount;
    const walls: number[] = [];
    let passed = 0;
    let dropped = 0;
    const n = Number(arg(ctx.args, '--runs') ?? 3);
    for (let i = 0; i < n; i++) {
      const run = await oneRun(analysis, 'live', photos[i % photos.length]!, photos[(i + 1) % photos.length]!, 1 + i, 'realtime', 15);
      walls.push(run.wallMs);
      dropped += run.dropped;
      if (run.passed) passed++;
      ctx.log(`live run ${i + 1}: ${run.passed ? 'passed' : run.reasons.join(',')} in ${Math.round(run.wallMs)} ms`);
    }
    ctx.report({ metric: 'liveness wall time, 3 challenges (median)', value: median(walls), unit: 'ms', baseline: deadlineSum, note: `${passed}/${n} passed; baseline = sum of challenge deadlines; ${dropped} stale frames dropped` });

    // 2. CPU while analysing a 30 fps stream (realtime camera, frames dropped when behind).
    const camera = new SimulatedCamera({ pacing: 'realtime', fps: 30, seed: 9 });
    camera.presentFace({ face: await loadSimFace(photos[0]!, analysis), behavior: 'live' });
    const seconds = Number(arg(ctx.args, '--cpu-seconds') ?? 6);
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    let analysed = 0;
    for await (const frame of camera.frames()) {
      await analysis.analyze(frame, { antiSpoof: true });
      analysed++;
      if (performance.now() - t0 >= seconds * 1000) break;
    }
    const wall = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    camera.close();
    ctx.report({ metric: 'CPU while analysing 30 fps (incl. simulator rendering)', value: ((cpu.user + cpu.system) / 1000 / wall) * 100, unit: '% of one core', note: `${os()} ` });
    ctx.report({ metric: 'frames analysed per second (30 fps offered)', value: (analysed * 1000) / wall, unit: 'fps', note: `${camera.stats.dropped} of ${camera.stats.dropped + camera.stats.delivered} frames dropped as stale` });
  } finally {
    await analysis.release();
  }
}

function os(): string {
  return `load average ${(globalThis.process.platform === 'linux' ? readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ') : 'n/a')}`;
}
