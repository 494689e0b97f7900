import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { describe, expect, it } from 'vitest';
import { discoverCameras } from './discoverCameras.js';
import { FakeNodeWebcam, rampJpeg } from './__fixtures__/FakeNodeWebcam.js';
import { isSafeNodeWebcamDevice, listNodeWebcamCameras, loadNodeWebcam } from './nodeWebcam.js';
import { NodeWebcamStillSource } from './NodeWebcamStillSource.js';

describe('NodeWebcamStillSource (fake node-webcam)', () => {
  it('turns JPEG stills into RGB frames of the configured size, at most one per interval', async () => {
    const webcam = new FakeNodeWebcam();
    const jpeg = await rampJpeg(320, 240);
    webcam.next = async () => jpeg;
    const source = new NodeWebcamStillSource({
      device: '/dev/video0',
      width: 160,
      height: 120,
      intervalMs: 60,
      webcam,
    });
    const frames = [];
    const stillsLeft: boolean[] = [];
    for await (const f of source.frames()) {
      frames.push(f);
      stillsLeft.push(existsSync(webcam.locations.at(-1)!));
      if (frames.length === 3) break;
    }
    // each still (a picture of the customer) is deleted as soon as it is read
    expect(stillsLeft).toEqual([false, false, false]);
    expect(webcam.created).toEqual([
      expect.objectContaining({
        device: '/dev/video0',
        width: 160,
        height: 120,
        output: 'jpeg',
        callbackReturn: 'buffer',
      }),
    ]);
    expect(frames.map((f) => [f.width, f.height, f.data.length])).toEqual([
      [160, 120, 160 * 120 * 3],
      [160, 120, 160 * 120 * 3],
      [160, 120, 160 * 120 * 3],
    ]);
    // The red ramp survived decoding: dark on the left, bright on the right, no green.
    const row = 60 * 160 * 3;
    expect(frames[0]!.data[row]!).toBeLessThan(40);
    expect(frames[0]!.data[row + 159 * 3]!).toBeGreaterThan(215);
    expect(frames[0]!.data[row + 80 * 3 + 1]!).toBeLessThan(30);
    // One still per interval at most (the stills themselves are taken on demand).
    expect(webcam.startedAt[1]! - webcam.startedAt[0]!).toBeGreaterThanOrEqual(59);
    expect(webcam.startedAt[2]! - webcam.startedAt[1]!).toBeGreaterThanOrEqual(59);
    expect(source.fps).toBeCloseTo(1000 / 60);
    expect(source.stats.delivered).toBe(3);
    // Stills go to a private temporary folder, removed afterwards.
    expect(webcam.locations).toHaveLength(3);
    expect(existsSync(dirname(webcam.locations[0]!))).toBe(false);
  });

  it('reports an unplug (event first, then the rejection) when the node is gone', async () => {
    const webcam = new FakeNodeWebcam();
    const jpeg = await rampJpeg(64, 48);
    let present = true;
    let n = 0;
    webcam.next = async () => (++n === 1 ? jpeg : new Error('fswebcam: Error opening device'));
    const source = new NodeWebcamStillSource({
      device: '/dev/video0',
      width: 64,
      height: 48,
      intervalMs: 50,
      webcam,
      exists: () => present,
    });
    const order: string[] = [];
    source.on('unplugged', (e) => order.push(`event ${e.code}`));
    await expect(
      (async () => {
        for await (const _ of source.frames()) present = false;
      })().catch((e: { code: string }) => {
        order.push(`rejected ${e.code}`);
        throw e;
      }),
    ).rejects.toMatchObject({ code: 'camera_unplugged' });
    expect(order).toEqual(['event camera_unplugged', 'rejected camera_unplugged']);
  });

  it('fails with camera_stream_failed when the tool fails with the camera present, or returns garbage', async () => {
    const webcam = new FakeNodeWebcam();
    webcam.next = async () => new Error('fswebcam: not found');
    const errors: string[] = [];
    const a = new NodeWebcamStillSource({ device: '/dev/video0', webcam, exists: () => true });
    a.on('error', (e) => errors.push(e.code));
    await expect(
      (async () => {
        for await (const _ of a.frames()) break;
      })(),
    ).rejects.toMatchObject({ code: 'camera_stream_failed' });
    webcam.next = async () => Buffer.from('not a jpeg at all');
    const b = new NodeWebcamStillSource({ device: '/dev/video0', webcam, exists: () => true });
    await expect(
      (async () => {
        for await (const _ of b.frames()) break;
      })(),
    ).rejects.toMatchObject({
      code: 'camera_stream_failed',
      message: expect.stringContaining('not a decodable image'),
    });
    expect(errors).toEqual(['camera_stream_failed']);
  });

  it('ends when stopped during the wait between stills', async () => {
    const webcam = new FakeNodeWebcam();
    const jpeg = await rampJpeg(64, 48);
    webcam.next = async () => jpeg;
    const source = new NodeWebcamStillSource({
      device: '/dev/video0',
      width: 64,
      height: 48,
      intervalMs: 5000,
      webcam,
    });
    let n = 0;
    const t0 = performance.now();
    for await (const _ of source.frames()) {
      n++;
      setTimeout(() => source.stop(), 20);
    }
    expect(n).toBe(1);
    expect(performance.now() - t0).toBeLessThan(4000);
  });

  it('never hands node-webcam (which builds a shell line) anything but a plain device name', () => {
    for (const bad of [
      '/dev/video0; rm -rf /',
      '$(reboot)',
      '`id`',
      'cam"0',
      '',
      '../../etc/passwd',
    ]) {
      expect(isSafeNodeWebcamDevice(bad)).toBe(false);
      expect(() => new NodeWebcamStillSource({ device: bad })).toThrow(RangeError);
    }
    for (const ok of ['/dev/video0', '2', 'FaceTime HD Camera (Built-in)'])
      expect(isSafeNodeWebcamDevice(ok)).toBe(true);
  });
});

describe('node-webcam discovery fallback', () => {
  it('lists node-webcam cameras by name, flags virtual ones, drops unsafe names', async () => {
    const webcam = new FakeNodeWebcam();
    webcam.cameras = ['FaceTime HD Camera', 'OBS Virtual Camera', 'x"; rm -rf / #', 42];
    expect(await listNodeWebcamCameras({ webcam })).toEqual([
      { path: 'FaceTime HD Camera', name: 'FaceTime HD Camera', formats: [], virtual: false },
      { path: 'OBS Virtual Camera', name: 'OBS Virtual Camera', formats: [], virtual: true },
    ]);
    webcam.cameras = 'garbage';
    expect(await listNodeWebcamCameras({ webcam })).toEqual([]);
  });

  it('uses node-webcam where there is no V4L2 sysfs, and sysfs on Linux', async () => {
    const webcam = new FakeNodeWebcam();
    webcam.cameras = ['FaceTime HD Camera'];
    expect(await discoverCameras({ platform: 'darwin', webcam })).toMatchObject([
      { name: 'FaceTime HD Camera', virtual: false },
    ]);
    expect(
      await discoverCameras({
        platform: 'linux',
        webcam,
        sysRoot: '/nonexistent-sysfs',
        ffmpegPath: false,
      }),
    ).toEqual([]);
  });

  it('loads the real node-webcam package', () => {
    const real = loadNodeWebcam();
    expect(typeof real.create).toBe('function');
    expect(typeof real.list).toBe('function');
  });
});
