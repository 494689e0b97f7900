import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { withPreview } from './FramePreview.js';
import type { TimedRgbFrame } from './runLiveness.js';

function frame(timestampMs: number): TimedRgbFrame {
  const data = new Uint8Array(640 * 480 * 3).fill(128);
  return { data, width: 640, height: 480, timestampMs };
}

async function* stream(count: number, stepMs: number): AsyncGenerator<TimedRgbFrame> {
  for (let i = 0; i < count; i++) {
    yield frame(i * stepMs);
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('withPreview', () => {
  it('passes every frame through and previews at most fps times a second of camera time, downscaled', async () => {
    const previews: { jpeg: string; width: number; height: number }[] = [];
    let passed = 0;
    // 3 s of 30 fps camera time at 2 previews/s → at most 6 previews.
    for await (const f of withPreview(
      stream(90, 1000 / 30),
      { fps: 2, maxWidth: 320, quality: 60 },
      (p) => previews.push(p),
    )) {
      expect(f.width).toBe(640);
      passed++;
    }
    await new Promise((r) => setTimeout(r, 100));
    expect(passed).toBe(90);
    expect(previews.length).toBeGreaterThanOrEqual(2);
    expect(previews.length).toBeLessThanOrEqual(6);
    const meta = await sharp(Buffer.from(previews[0]!.jpeg, 'base64')).metadata();
    expect(meta).toMatchObject({ format: 'jpeg', width: 320, height: 240 });
    expect(previews[0]).toMatchObject({ width: 320, height: 240 });
  });
});
