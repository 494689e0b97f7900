import { FaceAnalysis } from '@kycd/models';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FaceCue } from './FaceBehavior.js';
import { loadSimFace } from './loadSimFace.js';
import type { RgbFrame } from './RgbImage.js';
import type { SimFace } from './SimFace.js';
import { SimulatedCamera } from './SimulatedCamera.js';

let analysis: FaceAnalysis;
let faces: SimFace[];

beforeAll(async () => {
  analysis = await FaceAnalysis.load();
  faces = await Promise.all(['sample6-0', 'sample5-0'].map((id) => loadSimFace(id, analysis)));
});
afterAll(async () => {
  await analysis.release();
});

/** Pull frames of a virtual-paced camera up to `untilMs`, cueing at `cueAtMs`. */
async function framesOf(
  camera: SimulatedCamera,
  cue: FaceCue | undefined,
  cueAtMs: number,
  untilMs: number,
): Promise<RgbFrame[]> {
  const out: RgbFrame[] = [];
  for await (const frame of camera.frames()) {
    if (
      cue !== undefined &&
      frame.timestampMs >= cueAtMs &&
      frame.timestampMs < cueAtMs + 1000 / camera.fps
    )
      camera.cue(cue);
    out.push(frame);
    if (frame.timestampMs >= untilMs) break;
  }
  return out;
}

describe('SimulatedCamera with the real models', () => {
  it('renders a frontal face the pose model reads as frontal', async () => {
    for (const [i, face] of faces.entries()) {
      const camera = new SimulatedCamera({ pacing: 'virtual', seed: i + 1 });
      camera.presentFace({ face, behavior: 'live' });
      const [frame] = await framesOf(camera, undefined, 0, 0);
      const [seen] = await analysis.analyze(frame!);
      expect(frame!.width).toBe(640);
      expect(frame!.height).toBe(480);
      expect(Math.abs(seen!.pose!.yaw)).toBeLessThanOrEqual(10);
    }
  });

  it.each([
    ['turnLeft', -1],
    ['turnRight', 1],
  ] as const)(
    'the pose model sees the synthesised %s with the right sign (raw frame)',
    async (cue, sign) => {
      for (const [i, face] of faces.entries()) {
        const camera = new SimulatedCamera({ pacing: 'virtual', seed: 10 + i });
        camera.presentFace({ face, behavior: 'live' });
        const frames = await framesOf(camera, cue, 200, 2000);
        const peak = frames.filter((f) => f.timestampMs >= 1500 && f.timestampMs <= 1900);
        for (const frame of peak) {
          const [seen] = await analysis.analyze(frame);
          expect(
            Math.sign(seen!.pose!.yaw),
            `${face.id} at ${frame.timestampMs} ms: yaw ${seen!.pose!.yaw}`,
          ).toBe(sign);
          expect(Math.abs(seen!.pose!.yaw)).toBeGreaterThanOrEqual(15);
        }
      }
    },
  );

  it('the eye model sees synthesised closed eyes as closed, and open eyes as open', async () => {
    for (const face of faces) {
      const camera = new SimulatedCamera({ pacing: 'virtual', seed: 5, fps: 30 });
      camera.presentFace({ face, behavior: 'live' });
      const frames = await framesOf(camera, 'blink', 100, 1200);
      const seen = await Promise.all(
        frames.map(async (f) => (await analysis.analyze(f))[0]!.eyes!),
      );
      const closed = seen.filter((e) => e.leftClosed > 0.5 && e.rightClosed > 0.5);
      expect(closed.length, face.id).toBeGreaterThanOrEqual(1);
      expect(seen[0]!.leftClosed).toBeLessThan(0.5);
      expect(seen[0]!.rightClosed).toBeLessThan(0.5);
      expect(seen.at(-1)!.leftClosed).toBeLessThan(0.5);
    }
  });

  it('a tilted print does not read as a head turn', async () => {
    const camera = new SimulatedCamera({ pacing: 'virtual', seed: 3 });
    camera.presentFace({ face: faces[0]!, behavior: 'print' });
    const frames = await framesOf(camera, 'turnLeft', 100, 1800);
    const [seen] = await analysis.analyze(frames.at(-1)!);
    expect(Math.abs(seen!.pose!.yaw)).toBeLessThan(20);
  });

  it('a second face enters the frame', async () => {
    const camera = new SimulatedCamera({ pacing: 'virtual', seed: 4 });
    camera.presentFace({ face: faces[0]!, behavior: 'secondFace', other: faces[1]! });
    const frames = await framesOf(camera, undefined, 0, 4500);
    expect(await analysis.detect(frames[0]!)).toHaveLength(1);
    expect(await analysis.detect(frames.at(-1)!)).toHaveLength(2);
  });

  it('shows no face for noFace and darkness', async () => {
    for (const behavior of ['noFace', 'dark'] as const) {
      const camera = new SimulatedCamera({ pacing: 'virtual', seed: 6 });
      camera.presentFace({ face: faces[0]!, behavior });
      const frames = await framesOf(camera, undefined, 0, 300);
      expect(await analysis.detect(frames.at(-1)!)).toHaveLength(0);
    }
  });
});

describe('SimulatedCamera stream', () => {
  it('drops stale frames for a slow consumer (realtime pacing)', async () => {
    const camera = new SimulatedCamera({ pacing: 'realtime', fps: 30 });
    camera.presentFace({ face: faces[0]!, behavior: 'live' });
    let n = 0;
    let last = -1;
    for await (const frame of camera.frames()) {
      expect(frame.timestampMs).toBeGreaterThan(last);
      last = frame.timestampMs;
      await new Promise((r) => setTimeout(r, 120));
      if (++n === 4) break;
    }
    camera.close();
    expect(camera.stats.delivered).toBe(4);
    expect(camera.stats.dropped).toBeGreaterThan(0);
  });

  it('rejects an open stream with camera_unplugged and emits the event', async () => {
    const camera = new SimulatedCamera({ pacing: 'virtual' });
    camera.presentFace({ face: faces[0]!, behavior: 'live' });
    const events: string[] = [];
    camera.on('unplugged', () => events.push('unplugged'));
    const run = (async () => {
      for await (const _ of camera.frames()) camera.unplug();
    })();
    await expect(run).rejects.toMatchObject({ code: 'camera_unplugged' });
    expect(events).toEqual(['unplugged']);
  });

  it('fails an open stream once with camera_stream_failed (inject fail); a new stream works', async () => {
    const camera = new SimulatedCamera({ pacing: 'virtual' });
    camera.presentFace({ face: faces[0]!, behavior: 'live' });
    const run = (async () => {
      for await (const _ of camera.frames()) camera.inject('fail');
    })();
    await expect(run).rejects.toMatchObject({ code: 'camera_stream_failed' });
    for await (const frame of camera.frames()) {
      expect(frame.width).toBe(640);
      break;
    }
  });

  it('delivers no frame while stalled (inject stall), and goes on once the fault is cleared', async () => {
    const camera = new SimulatedCamera({ pacing: 'virtual' });
    camera.presentFace({ face: faces[0]!, behavior: 'live' });
    const stream = camera.frames();
    await stream.next();
    camera.inject('stall');
    const next = stream.next();
    const first = await Promise.race([
      next.then(() => 'frame'),
      new Promise((r) => setTimeout(() => r('nothing'), 100)),
    ]);
    expect(first).toBe('nothing');
    camera.inject(undefined);
    expect((await next).done).toBe(false);
    await stream.return(undefined);
  });

  it('validates its options', () => {
    expect(() => new SimulatedCamera({ fps: 60 })).toThrow(RangeError);
    expect(() => new SimulatedCamera().presentFace({ face: faces[0]!, behavior: 'swap' })).toThrow(
      TypeError,
    );
  });
});
