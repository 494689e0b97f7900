import type { Face, FaceAnalysis } from '@kycd/models';
import { KycdError } from '@kycd/plugin-sdk';
import { describe, expect, it } from 'vitest';
import { runLiveness, type TimedRgbFrame } from './runLiveness.js';

/** A frontal, live-looking face in every frame: only the camera can make these attempts fail. */
const analysis = {
  verifyThreshold: 0.35,
  detect: async () => [face],
  enrich: async () => face,
  embed: async () => new Float32Array([1, 0, 0]),
} as unknown as FaceAnalysis;
const face = {
  box: { x1: 40, y1: 40, x2: 120, y2: 120 },
  score: 0.99,
  pose: { yaw: 0, pitch: 0, roll: 0 },
  eyes: { leftClosed: 0.05, rightClosed: 0.05 },
  antiSpoof: { pLive: 0.95 },
  quality: { ok: true, codes: [], sharpness: 300 },
} as unknown as Face;

const frame = (i: number): TimedRgbFrame => ({
  data: new Uint8Array(3 * 4),
  width: 2,
  height: 2,
  timestampMs: 1_000 + i * 33,
});

describe('runLiveness when the camera fails it', () => {
  it('camera_stalled when a frame does not come within frameTimeoutMs (a hung ffmpeg, a frozen driver)', async () => {
    async function* hangsAfter(n: number): AsyncIterable<TimedRgbFrame> {
      for (let i = 0; i < n; i++) yield frame(i);
      await new Promise<never>(() => undefined);
    }
    await expect(
      runLiveness({ frames: hangsAfter(5), analysis, engine: { frameTimeoutMs: 200 } }),
    ).rejects.toMatchObject({ code: 'camera_stalled', message: expect.stringMatching(/200 ms/) });
  });

  it('camera_stalled when the stream ends before a verdict', async () => {
    async function* endsAfter(n: number): AsyncIterable<TimedRgbFrame> {
      for (let i = 0; i < n; i++) yield frame(i);
    }
    await expect(runLiveness({ frames: endsAfter(5), analysis })).rejects.toMatchObject({
      code: 'camera_stalled',
      message: expect.stringMatching(/ended before a verdict/),
    });
  });

  it("passes the camera's own error on (an unplug is camera_unplugged, not a stall)", async () => {
    async function* unplugged(): AsyncIterable<TimedRgbFrame> {
      yield frame(0);
      throw new KycdError('camera_unplugged', 'camera /dev/video0 was unplugged');
    }
    await expect(runLiveness({ frames: unplugged(), analysis })).rejects.toMatchObject({
      code: 'camera_unplugged',
    });
  });
});
