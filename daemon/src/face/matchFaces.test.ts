import { loadSimFace, SimulatedCamera } from '@kycd/hardware-sim';
import { FaceAnalysis } from '@kycd/models';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { matchFaces } from './matchFaces.js';

let analysis: FaceAnalysis;
beforeAll(async () => {
  analysis = await FaceAnalysis.load();
});
afterAll(async () => {
  await analysis.release();
});

async function liveFrameOf(id: string) {
  const face = await loadSimFace(id, analysis);
  const camera = new SimulatedCamera({ pacing: 'virtual', seed: 3 });
  camera.presentFace({ face, behavior: 'live' });
  return { frame: camera.render(700), photo: face.scene };
}

describe('matchFaces', () => {
  it('matches a live frame with the same person’s photo and rejects another person', async () => {
    const a = await liveFrameOf('sample6-0');
    const b = await liveFrameOf('sample5-0');
    const same = await matchFaces(a.frame, a.photo, { analysis });
    expect(same.decision).toBe('match');
    expect(same.score).toBeGreaterThan(same.threshold);
    const other = await matchFaces(a.frame, b.photo, { analysis });
    expect(other.decision).toBe('no_match');
    expect(other.threshold).toBe(analysis.verifyThreshold);
  });

  it('reports an inconclusive score near the threshold and validates options', async () => {
    const a = await liveFrameOf('sample6-0');
    const probe = await matchFaces(a.frame, a.photo, { analysis });
    const near = await matchFaces(a.frame, a.photo, { analysis, threshold: probe.score + 0.01 });
    expect(near.decision).toBe('inconclusive');
    await expect(matchFaces(a.frame, a.photo, { analysis, threshold: 2 })).rejects.toThrow(
      RangeError,
    );
  });

  it('rejects with face_not_found when the document photo has no face, and on abort', async () => {
    const a = await liveFrameOf('sample6-0');
    const blank = { data: new Uint8Array(320 * 240 * 3).fill(128), width: 320, height: 240 };
    await expect(matchFaces(a.frame, blank, { analysis })).rejects.toMatchObject({
      code: 'face_not_found',
    });
    const ac = new AbortController();
    ac.abort();
    await expect(
      matchFaces(a.frame, a.photo, { analysis, signal: ac.signal }),
    ).rejects.toMatchObject({ code: 'liveness_cancelled' });
  });
});
