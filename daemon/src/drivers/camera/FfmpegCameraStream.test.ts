import { describe, expect, it } from 'vitest';
import { FfmpegCameraStream } from './FfmpegCameraStream.js';

describe('FfmpegCameraStream (ffmpeg lavfi testsrc)', () => {
  it('delivers 640×480 rgb24 frames with increasing timestamps', async () => {
    const stream = new FfmpegCameraStream({
      input: { kind: 'lavfi', graph: 'testsrc=size=640x480:rate=30' },
      fps: 30,
    });
    const errors: unknown[] = [];
    stream.on('error', (e) => errors.push(e));
    const frames = [];
    for await (const frame of stream.frames()) {
      frames.push(frame);
      if (frames.length === 5) break;
    }
    stream.stop();
    expect(frames).toHaveLength(5);
    for (const f of frames) {
      expect(f.width).toBe(640);
      expect(f.height).toBe(480);
      expect(f.data.length).toBe(640 * 480 * 3);
    }
    expect(frames[4]!.timestampMs).toBeGreaterThan(frames[0]!.timestampMs);
    // testsrc is colourful: the frame is not blank.
    expect(new Set(frames[0]!.data.filter((_, i) => i % 997 === 0)).size).toBeGreaterThan(4);
    expect(errors).toEqual([]);
  });

  it('drops stale frames for a slow consumer instead of queueing them', async () => {
    const stream = new FfmpegCameraStream({
      input: { kind: 'lavfi', graph: 'testsrc=size=320x240:rate=30' },
      width: 320,
      height: 240,
      fps: 30,
    });
    stream.on('error', () => undefined);
    let n = 0;
    for await (const _frame of stream.frames()) {
      await new Promise((r) => setTimeout(r, 250));
      if (++n === 3) break;
    }
    stream.stop();
    expect(stream.stats.delivered).toBe(3);
    expect(stream.stats.dropped).toBeGreaterThan(0);
  });

  it('rejects with camera_stream_failed when ffmpeg cannot open the input', async () => {
    const stream = new FfmpegCameraStream({
      input: { kind: 'v4l2', device: '/dev/video-kycd-missing' },
    });
    const events: string[] = [];
    stream.on('error', () => events.push('error'));
    stream.on('unplugged', () => events.push('unplugged'));
    const run = (async () => {
      for await (const _ of stream.frames()) break;
    })();
    await expect(run).rejects.toMatchObject({
      code: expect.stringMatching(/^camera_(unplugged|stream_failed)$/),
    });
    expect(events).toHaveLength(1);
  });

  it('rejects with camera_stream_failed when ffmpeg is missing', async () => {
    const stream = new FfmpegCameraStream({
      input: { kind: 'lavfi', graph: 'testsrc' },
      ffmpegPath: '/nonexistent/ffmpeg',
    });
    stream.on('error', () => undefined);
    const run = (async () => {
      for await (const _ of stream.frames()) break;
    })();
    await expect(run).rejects.toMatchObject({ code: 'camera_stream_failed' });
  });

  it('validates its options', () => {
    expect(
      () => new FfmpegCameraStream({ input: { kind: 'lavfi', graph: 'testsrc' }, fps: 60 }),
    ).toThrow(RangeError);
    expect(
      () => new FfmpegCameraStream({ input: { kind: 'v4l2', device: '/dev/video0; rm -rf /' } }),
    ).toThrow(RangeError);
    expect(
      () =>
        new FfmpegCameraStream({
          input: { kind: 'v4l2', device: '/dev/video0', inputFormat: '-x' },
        }),
    ).toThrow(RangeError);
  });
});
