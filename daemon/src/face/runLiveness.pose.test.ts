import type { Face, FaceAnalysis } from '@kycd/models';
import { describe, expect, it } from 'vitest';
import { runLiveness, type TimedRgbFrame } from './runLiveness.js';

/** A face the detector finds in every frame; the pose model gave no estimate unless `pose` is set. */
function fakeAnalysis(pose: Face['pose']): FaceAnalysis {
  const face: Face = {
    box: { x1: 40, y1: 40, x2: 120, y2: 120 },
    score: 0.99,
    ...(pose === undefined ? {} : { pose }),
    eyes: { leftClosed: 0.05, rightClosed: 0.05 },
    antiSpoof: { pLive: 0.95 },
    quality: { ok: true, codes: [], sharpness: 300 },
  } as unknown as Face;
  return {
    verifyThreshold: 0.35,
    detect: async () => [face],
    enrich: async () => face,
    embed: async () => new Float32Array([1, 0, 0]),
  } as unknown as FaceAnalysis;
}

async function* frames(count: number): AsyncIterable<TimedRgbFrame> {
  for (let i = 0; i < count; i++)
    yield { data: new Uint8Array(3 * 4), width: 2, height: 2, timestampMs: 1_000 + i * 66 };
}

describe('runLiveness: a face without a pose estimate', () => {
  it('is never taken as frontal: no challenge starts and positioning times out', async () => {
    const started: string[] = [];
    const result = await runLiveness({
      frames: frames(40),
      analysis: fakeAnalysis(undefined),
      params: { positioningDeadlineMs: 1_000 },
      random: () => 0.5,
      onChallenge: (e) => started.push(e.challenge),
    });
    expect(started).toEqual([]);
    expect(result.verdict.passed).toBe(false);
    expect(result.verdict.reasons).toEqual(['liveness_positioning_timeout']);
    expect(result.verdict.ignoredFrames).toBeGreaterThan(10);
  });

  it('with a frontal pose the same frames start the challenges (the test above can fail)', async () => {
    const started: string[] = [];
    await runLiveness({
      frames: frames(40),
      analysis: fakeAnalysis({ yaw: 0, pitch: 0, roll: 0 }),
      params: { positioningDeadlineMs: 1_000 },
      random: () => 0.5,
      onChallenge: (e) => started.push(e.challenge),
    }).catch(() => undefined);
    expect(started.length).toBeGreaterThan(0);
  });
});
