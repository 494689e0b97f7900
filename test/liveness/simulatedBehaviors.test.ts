import { loadSimFace, SimulatedCamera, type FaceBehavior, type SimFace } from '@kycd/hardware-sim';
import { FaceAnalysis } from '@kycd/models';
import { runLiveness, type LivenessResult } from '@kycd/daemon';
import type { LivenessParams } from '@kycd/state-machines';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Every simulated behaviour, once, through the real models and the liveness engine. The corpus
// (≥ 50 runs per behaviour, APCER/BPCER) is `pnpm bench liveness --corpus`.

let analysis: FaceAnalysis;
let face: SimFace;
let other: SimFace;

beforeAll(async () => {
  analysis = await FaceAnalysis.load();
  [face, other] = await Promise.all([loadSimFace('sample6-0', analysis), loadSimFace('sample5-0', analysis)]);
});
afterAll(async () => {
  await analysis.release();
});

function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

async function run(behavior: FaceBehavior, seed: number, params: Partial<LivenessParams> = {}): Promise<LivenessResult> {
  const camera = new SimulatedCamera({ pacing: 'virtual', seed });
  camera.presentFace({ face, behavior, other });
  return runLiveness({
    frames: camera.frames(),
    analysis,
    random: seeded(seed),
    params: { positioningDeadlineMs: 4000, ...params },
    onChallenge: (e) => {
      if (e.type === 'challenge.started') camera.cue(e.challenge);
    },
  });
}

// Attacks get the one challenge that targets them (keeps the suite fast); the corpus runs the
// full three-challenge sequence for every behaviour.
const expected: readonly [FaceBehavior, readonly string[], Partial<LivenessParams>][] = [
  ['print', ['liveness_challenge_timeout', 'liveness_planar_motion', 'liveness_spoof_suspected', 'liveness_positioning_timeout'], { challengeCount: 1, challengePool: ['turnLeft'] }],
  ['screen', ['liveness_challenge_timeout', 'liveness_planar_motion', 'liveness_spoof_suspected', 'liveness_positioning_timeout'], { challengeCount: 1, challengePool: ['turnRight'] }],
  ['neverBlinks', ['liveness_challenge_timeout'], { challengeCount: 1, challengePool: ['blink'] }],
  ['wrongWay', ['liveness_challenge_timeout'], { challengeCount: 1, challengePool: ['turnLeft'] }],
  ['secondFace', ['liveness_multiple_faces'], {}],
  ['swap', ['liveness_identity_changed', 'liveness_track_changed', 'liveness_spoof_suspected'], {}],
  ['noFace', ['liveness_positioning_timeout'], {}],
  ['dark', ['liveness_positioning_timeout'], {}],
];

describe('liveness engine on the simulated camera', () => {
  it('passes a cooperative live person, with evidence and a best frame', { timeout: 120_000 }, async () => {
    const result = await run('live', 1);
    expect(result.verdict).toMatchObject({ passed: true, reasons: [] });
    expect(result.evidence.completedChallenges).toHaveLength(3);
    expect(result.evidence.frameHashes.length).toBe(result.evidence.framesAnalysed);
    expect(result.evidence.frameHashes[0]!.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(result.bestFrame?.width).toBe(640);
    expect(result.evidence.scores.planarResidualMax).toBeGreaterThan(result.evidence.scores.planarResidualThreshold);
    expect(JSON.stringify(result.evidence)).not.toMatch(/"data":\{"0"/);
  });

  it.each(expected)('rejects %s', { timeout: 120_000 }, async (behavior, reasons, params) => {
    const result = await run(behavior, 2, params);
    expect(result.verdict.passed).toBe(false);
    expect(reasons).toContain(result.verdict.reasons[0]);
  });
});
