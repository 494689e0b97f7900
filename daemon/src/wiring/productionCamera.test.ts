import { EventEmitter } from 'node:events';
import { KycdError, validateEvent, validateResult } from '@kycd/plugin-sdk';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../config/loadConfig.js';
import { DeviceRegistry, type DeviceInfo } from '../devices/DeviceRegistry.js';
import type { CameraDeviceInfo } from '../drivers/camera/CameraDeviceInfo.js';
import type {
  CameraFrame,
  FfmpegCameraStreamOptions,
} from '../drivers/camera/FfmpegCameraStream.js';
import { FakeNodeWebcam, rampJpeg } from '../drivers/camera/__fixtures__/FakeNodeWebcam.js';
import { FakeSysfs } from '../drivers/camera/__fixtures__/FakeSysfs.js';
import { listV4l2Cameras } from '../drivers/camera/listV4l2Cameras.js';
import {
  createProductionCamera,
  type CameraCapture,
  type ProductionCamera,
} from './productionCamera.js';

const BRIO = { name: 'Logitech BRIO', vendorId: '046d', productId: '085b', serial: 'ABC123' };
const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };

/** A capture that behaves like FfmpegCameraStream at its interface: frames until stopped; an unplug emits `unplugged`, then the iterator rejects. */
class FakeCapture
  extends EventEmitter<{ unplugged: [KycdError]; error: [KycdError]; end: [] }>
  implements CameraCapture
{
  stopped = false;
  private failure: KycdError | undefined;
  private wake: (() => void) | undefined;
  constructor(readonly camera: CameraDeviceInfo) {
    super();
  }
  async *frames(
    options: { signal?: AbortSignal } = {},
  ): AsyncGenerator<CameraFrame, void, undefined> {
    let t = 0;
    for (;;) {
      if (this.failure !== undefined) throw this.failure;
      if (this.stopped || options.signal?.aborted === true) return;
      yield { data: new Uint8Array(4 * 4 * 3), width: 4, height: 4, timestampMs: (t += 33) };
      await new Promise<void>((resolve) => {
        this.wake = resolve;
        setTimeout(resolve, 5);
      });
    }
  }
  stop(): void {
    this.stopped = true;
    this.wake?.();
  }
  /** What ffmpeg's exit on a vanished node looks like. */
  unplug(): void {
    this.failure = new KycdError('camera_unplugged', `camera ${this.camera.path} was unplugged`);
    this.emit('unplugged', this.failure);
    this.wake?.();
  }
}

let fake: FakeSysfs;
let devices: DeviceRegistry;
let camera: ProductionCamera | undefined;
const captures: FakeCapture[] = [];
beforeEach(async () => {
  fake = await FakeSysfs.create();
  devices = new DeviceRegistry();
  captures.length = 0;
});
afterEach(async () => {
  camera?.close();
  devices.close();
  await fake.dispose();
});

function start(cameraConfig: Record<string, unknown> = {}): ProductionCamera {
  const config = parseConfig({
    camera: { pin: { vendorId: '046d', productId: '085b', serial: 'ABC123' }, ...cameraConfig },
  });
  camera = createProductionCamera({
    config: config.camera,
    mode: 'production',
    devices,
    logger: quiet,
    discover: () =>
      listV4l2Cameras({ sysRoot: fake.sysRoot, devRoot: fake.devRoot, ffmpegPath: false }),
    listFormats: async () => [],
    pollMs: 0,
    hotplug: false,
    openCapture: (c) => {
      const capture = new FakeCapture(c);
      captures.push(capture);
      return capture;
    },
  });
  return camera;
}

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 5));
  expect(check()).toBe(true);
}

const cameraState = (): DeviceInfo | undefined => devices.get('camera');

describe('createProductionCamera', () => {
  it('reports the pinned camera ready and streams from the node it was found at', async () => {
    await fake.plugUsb('video0', BRIO);
    const cam = start();
    await cam.started;
    await until(() => cameraState()?.state === 'ready');
    expect(cameraState()?.name).toBe(`Logitech BRIO (${fake.devRoot}/video0)`);
    const ac = new AbortController();
    for await (const frame of cam.openFrames(ac.signal)) {
      expect(frame.width).toBe(4);
      break;
    }
    expect(captures.map((c) => c.camera.path)).toEqual([`${fake.devRoot}/video0`]);
    expect(captures[0]!.stopped).toBe(true);
  });

  it("never opens a v4l2loopback device created under the camera's node after a replug", async () => {
    await fake.plugUsb('video0', BRIO);
    const cam = start({ device: `${fake.devRoot}/video0` });
    await cam.started;
    await fake.unplug('video0');
    await fake.plugLoopback('video0', 'Logitech BRIO');
    // No poll has run yet: opening a stream re-checks the node itself.
    const run = (async () => {
      for await (const _ of cam.openFrames(new AbortController().signal)) break;
    })();
    await expect(run).rejects.toMatchObject({ code: 'camera_virtual_refused' });
    expect(captures).toEqual([]);
    await until(() => cameraState()?.state === 'absent');
  });

  it('after a capture fault, is ready again only once the node passes the pin and virtual-driver checks again', async () => {
    const longUntil = async (check: () => boolean): Promise<void> => {
      for (let i = 0; i < 100 && !check(); i++) await new Promise((r) => setTimeout(r, 50));
      expect(check()).toBe(true);
    };
    await fake.plugUsb('video0', BRIO);
    const cam = start();
    await cam.started;
    await until(() => cameraState()?.state === 'ready');
    // A fault with the camera still in place: recovery re-checks it and it is ready again.
    devices.fault('camera', { code: 'camera_stream_failed', message: 'ffmpeg exited' });
    expect(cameraState()?.state).toBe('error');
    await longUntil(() => cameraState()?.state === 'ready');
    // A fault, and meanwhile the pinned camera went and a virtual one took its node: not ready.
    devices.fault('camera', { code: 'camera_stream_failed', message: 'ffmpeg exited' });
    await fake.unplug('video0');
    await fake.plugLoopback('video0', 'Logitech BRIO');
    await longUntil(() => cameraState()?.state === 'absent');
    expect(cameraState()?.error?.code).toBe('camera_unplugged');
    await new Promise((r) => setTimeout(r, 1_500)); // past another backoff: still not ready
    expect(cameraState()?.state).toBe('absent');
  });

  it('follows the pinned camera to another node', async () => {
    await fake.plugUsb('video0', BRIO);
    const cam = start();
    await cam.started;
    await fake.unplug('video0');
    await cam.watcher.rescan();
    await until(() => cameraState()?.state === 'absent');
    await fake.plugUsb('video3', { ...BRIO, port: '1-4' });
    await cam.watcher.rescan();
    await until(() => cameraState()?.state === 'ready');
    for await (const _ of cam.openFrames(new AbortController().signal)) break;
    expect(captures.map((c) => c.camera.path)).toEqual([`${fake.devRoot}/video3`]);
  });

  it('marks the camera lost the moment the capture reports the unplug, before the frame iterator rejects', async () => {
    await fake.plugUsb('video0', BRIO);
    const cam = start();
    await cam.started;
    await until(() => cameraState()?.state === 'ready');
    const order: string[] = [];
    devices.on('changed', (d) => order.push(`device ${d.state}`));
    const run = (async () => {
      let n = 0;
      for await (const _ of cam.openFrames(new AbortController().signal)) {
        if (++n === 2) {
          await fake.unplug('video0'); // the node is gone, as ffmpeg's exit finds it
          captures[0]!.unplug();
        }
      }
    })().catch((err: { code: string }) => order.push(`frames rejected ${err.code}`));
    await run;
    // No poll and no hot-plug here: only the capture's event can have told the registry.
    expect(order[0]).toBe('device absent');
    expect(order).toContain('frames rejected camera_unplugged');
    expect(order.indexOf('device absent')).toBeLessThan(
      order.indexOf('frames rejected camera_unplugged'),
    );
    expect(cam.watcher.availability).toMatchObject({
      status: 'unavailable',
      error: { code: 'camera_unplugged' },
    });
    // It comes back: the rediscovery finds it and the device is ready again.
    await fake.plugUsb('video0', BRIO);
    await cam.watcher.rescan();
    await until(() => cameraState()?.state === 'ready');
  });

  it('with a real FfmpegCameraStream: a fake ffmpeg that dies with its device detaches the camera before the iterator rejects', async () => {
    const { writeFile, chmod } = await import('node:fs/promises');
    const script = `${fake.devRoot}/../fake-ffmpeg.sh`;
    // Two 16×16 rgb24 frames, then the exit ffmpeg makes when the device vanishes.
    await writeFile(script, '#!/bin/sh\nhead -c 1536 /dev/zero\nsleep 0.2\nexit 1\n');
    await chmod(script, 0o755);
    await fake.plugUsb('video0', BRIO);
    const { FfmpegCameraStream } = await import('../drivers/camera/FfmpegCameraStream.js');
    camera = createProductionCamera({
      config: parseConfig({
        camera: { pin: { vendorId: '046d', productId: '085b', serial: 'ABC123' } },
      }).camera,
      mode: 'production',
      devices,
      logger: quiet,
      discover: () =>
        listV4l2Cameras({ sysRoot: fake.sysRoot, devRoot: fake.devRoot, ffmpegPath: false }),
      listFormats: async () => [],
      pollMs: 0,
      hotplug: false,
      // The fake camera's node is not under /dev, so ffmpeg is pointed at a /dev path that does not exist.
      openCapture: () =>
        new FfmpegCameraStream({
          input: { kind: 'v4l2', device: '/dev/video-kycd-unplugged' },
          width: 16,
          height: 16,
          fps: 15,
          ffmpegPath: script,
        }),
    });
    await camera.started;
    await until(() => cameraState()?.state === 'ready');
    const order: string[] = [];
    devices.on('changed', (d) => order.push(`device ${d.state}`));
    let frames = 0;
    await (async () => {
      for await (const _ of camera!.openFrames(new AbortController().signal)) frames++;
    })().catch((err: { code: string }) => order.push(`frames rejected ${err.code}`));
    expect(frames).toBeGreaterThanOrEqual(1); // newest frame only: the two may arrive as one
    expect(order.slice(0, 2)).toEqual(['device absent', 'frames rejected camera_unplugged']);
  });

  it('shows camera_not_found and camera_virtual_refused on the device, and the face step fails with that code', async () => {
    const changes: DeviceInfo[] = [];
    devices.on('changed', (d) => changes.push(d));
    const cam = start({ device: `${fake.devRoot}/video0` });
    await cam.started;
    expect(cameraState()).toMatchObject({ state: 'absent', error: { code: 'camera_not_found' } });
    const open = async (): Promise<void> => {
      for await (const _ of cam.openFrames(new AbortController().signal)) break;
    };
    await expect(open()).rejects.toMatchObject({ code: 'camera_not_found' });
    await fake.plugLoopback('video0', 'OBS Virtual Camera');
    await cam.watcher.rescan();
    expect(cameraState()).toMatchObject({
      state: 'absent',
      error: {
        code: 'camera_virtual_refused',
        message: expect.stringContaining('OBS Virtual Camera'),
      },
    });
    expect(changes.at(-1)).toMatchObject({
      id: 'camera',
      error: { code: 'camera_virtual_refused' },
    });
    // What the POS receives is valid protocol.
    expect(
      validateEvent({ event: 'device.changed', data: { device: changes.at(-1) }, seq: 1 }),
    ).toEqual({ ok: true });
    expect(validateResult('devices.list', { devices: devices.list() })).toEqual({ ok: true });
    await expect(open()).rejects.toMatchObject({ code: 'camera_virtual_refused' });
    expect(captures).toEqual([]);
    // The real camera takes the node back: usable, and the error is gone.
    await fake.unplug('video0');
    await fake.plugUsb('video0', BRIO);
    await cam.watcher.rescan();
    await until(() => cameraState()?.state === 'ready');
    expect(cameraState()?.error).toBeUndefined();
  });

  it('falls back to node-webcam stills when ffmpeg is absent, and says the frame rate is reduced', async () => {
    await fake.plugUsb('video0', BRIO);
    const webcam = new FakeNodeWebcam();
    const jpeg = await rampJpeg(64, 48);
    webcam.next = async () => jpeg;
    const warnings: string[] = [];
    camera = createProductionCamera({
      config: parseConfig({
        camera: {
          pin: { vendorId: '046d', productId: '085b', serial: 'ABC123' },
          width: 160,
          height: 120,
        },
      }).camera,
      mode: 'production',
      devices,
      logger: { ...quiet, warn: (...args: unknown[]) => void warnings.push(String(args.at(-1))) },
      // node-webcam only takes /dev nodes: the fake camera is presented as /dev/video0.
      discover: async () =>
        (
          await listV4l2Cameras({ sysRoot: fake.sysRoot, devRoot: fake.devRoot, ffmpegPath: false })
        ).map((c) => ({ ...c, path: c.path.replace(fake.devRoot, '/dev') })),
      exists: (path) => path === '/dev/video0',
      listFormats: async () => [],
      pollMs: 0,
      hotplug: false,
      ffmpegAvailable: async () => false,
      webcam,
      stillIntervalMs: 50,
    });
    await camera.started;
    let frames = 0;
    for await (const f of camera.openFrames(new AbortController().signal)) {
      expect([f.width, f.height]).toEqual([160, 120]);
      if (++frames === 2) break;
    }
    expect(webcam.created).toEqual([expect.objectContaining({ device: '/dev/video0' })]);
    expect(warnings.some((w) => /ffmpeg not found.*node-webcam still capture.*15–30/.test(w))).toBe(
      true,
    );
  });

  it('asks ffmpeg for the format and size the camera lists (MJPEG/YUYV at 640×480)', async () => {
    await fake.plugUsb('video0', BRIO);
    const asked: FfmpegCameraStreamOptions[] = [];
    camera = createProductionCamera({
      config: parseConfig({
        camera: { pin: { vendorId: '046d', productId: '085b', serial: 'ABC123' }, fps: 25 },
      }).camera,
      mode: 'production',
      devices,
      logger: quiet,
      discover: () =>
        listV4l2Cameras({ sysRoot: fake.sysRoot, devRoot: fake.devRoot, ffmpegPath: false }),
      listFormats: async () => [
        { kind: 'raw', ffmpegName: 'yuyv422', description: 'YUYV 4:2:2', sizes: ['1280x720'] },
        {
          kind: 'compressed',
          ffmpegName: 'mjpeg',
          description: 'Motion-JPEG',
          sizes: ['1920x1080', '640x480'],
        },
      ],
      pollMs: 0,
      hotplug: false,
      ffmpegAvailable: async () => true,
      createFfmpegStream: (o) => {
        asked.push(o);
        return new FakeCapture({ path: '/dev/video0', name: 'x', formats: [], virtual: false });
      },
    });
    await camera.started;
    for await (const _ of camera.openFrames(new AbortController().signal)) break;
    expect(asked).toEqual([
      {
        input: {
          kind: 'v4l2',
          device: `${fake.devRoot}/video0`,
          inputFormat: 'mjpeg',
          videoSize: '640x480',
        },
        width: 640,
        height: 480,
        fps: 25,
      },
    ]);
  });
});
