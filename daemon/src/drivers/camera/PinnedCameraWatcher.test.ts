import { existsSync } from 'node:fs';
import { KycdError } from '@kycd/plugin-sdk';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CameraDeviceInfo } from './CameraDeviceInfo.js';
import { FakeSysfs } from './__fixtures__/FakeSysfs.js';
import { listV4l2Cameras } from './listV4l2Cameras.js';
import { PinnedCameraWatcher, type CameraAvailability } from './PinnedCameraWatcher.js';
import type { UsbHotplugEvent, UsbHotplugSource } from './usbHotplug.js';

const BRIO = { name: 'Logitech BRIO', vendorId: '046d', productId: '085b', serial: 'ABC123' };
const PIN = { vendorId: '046d', productId: '085b', serial: 'ABC123' };

let fake: FakeSysfs;
beforeEach(async () => {
  fake = await FakeSysfs.create();
});
afterEach(async () => {
  await fake.dispose();
});

function watcher(
  options: {
    device?: string;
    allowVirtual?: boolean;
    mode?: 'production' | 'simulator';
    discover?: () => Promise<readonly CameraDeviceInfo[]>;
    exists?: (path: string) => boolean;
  } = {},
): { w: PinnedCameraWatcher; seen: CameraAvailability[] } {
  const w = new PinnedCameraWatcher({
    selection: {
      device: options.device ?? 'auto',
      pin: PIN,
      allowVirtual: options.allowVirtual ?? false,
    },
    mode: options.mode ?? 'production',
    discover:
      options.discover ??
      (() => listV4l2Cameras({ sysRoot: fake.sysRoot, devRoot: fake.devRoot, ffmpegPath: false })),
    listFormats: async () => [
      { kind: 'compressed', ffmpegName: 'mjpeg', description: 'Motion-JPEG', sizes: ['640x480'] },
    ],
    pollMs: 0,
    ...(options.exists === undefined ? {} : { exists: options.exists }),
  });
  const seen: CameraAvailability[] = [];
  w.on('change', (a) => seen.push(a));
  return { w, seen };
}

const summary = (a: CameraAvailability): string =>
  a.status === 'ready' ? `ready ${a.camera.path}` : a.error.code;

describe('PinnedCameraWatcher', () => {
  it('accepts the pinned camera with its formats', async () => {
    await fake.plugUsb('video0', BRIO);
    const { w } = watcher();
    const a = await w.start();
    expect(a).toMatchObject({
      status: 'ready',
      camera: {
        path: `${fake.devRoot}/video0`,
        usb: PIN,
        virtual: false,
        formats: [{ ffmpegName: 'mjpeg' }],
      },
    });
    w.close();
  });

  it("refuses a v4l2loopback device that reappears under the camera's node after an unplug", async () => {
    await fake.plugUsb('video0', BRIO);
    const { w, seen } = watcher({ device: `${fake.devRoot}/video0` });
    await w.start();
    await fake.unplug('video0');
    await w.rescan();
    await fake.plugLoopback('video0', 'Logitech BRIO');
    const after = await w.rescan();
    expect(after).toMatchObject({
      status: 'unavailable',
      error: { code: 'camera_virtual_refused' },
    });
    expect(seen.map(summary)).toEqual([
      `ready ${fake.devRoot}/video0`,
      'camera_unplugged',
      'camera_virtual_refused',
    ]);
    w.close();
  });

  it('with device "auto", never uses a loopback node that took the camera\'s place; names it in the error', async () => {
    await fake.plugUsb('video0', BRIO);
    const { w, seen } = watcher();
    await w.start();
    await fake.unplug('video0');
    await fake.plugLoopback('video0', 'Dummy video device (0x0000)');
    const after = await w.rescan();
    expect(after.status).toBe('unavailable');
    expect(after.status === 'unavailable' && after.error.message).toContain(
      'virtual cameras ignored: "Dummy video device (0x0000)"',
    );
    expect(seen.every((a) => a.status !== 'ready' || !a.camera.virtual)).toBe(true);
    w.close();
  });

  it('refuses a virtual camera that claims the pinned USB identity', async () => {
    const spoof: CameraDeviceInfo = {
      path: '/dev/video0',
      name: 'OBS Virtual Camera',
      driver: 'v4l2loopback',
      usb: PIN,
      formats: [],
      virtual: true,
    };
    const { w } = watcher({
      discover: async () => [spoof],
      allowVirtual: true,
      exists: () => true,
    });
    expect(await w.start()).toMatchObject({
      status: 'unavailable',
      error: { code: 'camera_virtual_refused' },
    });
    w.close();
  });

  it('finds the pinned camera when it returns under another node, and one plugged in after start', async () => {
    const { w, seen } = watcher();
    expect(await w.start()).toMatchObject({
      status: 'unavailable',
      error: { code: 'camera_not_found' },
    });
    await fake.plugUsb('video0', BRIO);
    expect(await w.rescan()).toMatchObject({
      status: 'ready',
      camera: { path: `${fake.devRoot}/video0` },
    });
    await fake.unplug('video0');
    await fake.plugLoopback('video0', 'Dummy video device (0x0000)');
    await w.rescan();
    await fake.plugUsb('video2', { ...BRIO, port: '1-3' });
    expect(await w.rescan()).toMatchObject({
      status: 'ready',
      camera: { path: `${fake.devRoot}/video2`, usb: PIN },
    });
    expect(seen.map(summary)).toEqual([
      'camera_not_found',
      `ready ${fake.devRoot}/video0`,
      'camera_unplugged',
      `ready ${fake.devRoot}/video2`,
    ]);
    w.close();
  });

  it('ignores a camera whose sysfs entry outlives its device node', async () => {
    await fake.plugUsb('video0', BRIO);
    const { w } = watcher();
    await w.start();
    const { rm } = await import('node:fs/promises');
    await rm(`${fake.devRoot}/video0`);
    expect(existsSync(`${fake.devRoot}/video0`)).toBe(false);
    expect(await w.rescan()).toMatchObject({
      status: 'unavailable',
      error: { code: 'camera_unplugged' },
    });
    w.close();
  });

  it('a camera with the pinned ids but another serial is not the pinned camera', async () => {
    await fake.plugUsb('video0', { ...BRIO, serial: 'OTHER1' });
    const { w } = watcher();
    expect(await w.start()).toMatchObject({
      status: 'unavailable',
      error: { code: 'camera_not_found' },
    });
    w.close();
  });

  it('markLost reports the loss synchronously, and a scan already under way cannot undo it', async () => {
    await fake.plugUsb('video0', BRIO);
    let release: (() => void) | undefined;
    let slow = false;
    const { w, seen } = watcher({
      discover: async () => {
        const wait = slow;
        slow = false; // only the first scan after the flag waits
        const cameras = await listV4l2Cameras({
          sysRoot: fake.sysRoot,
          devRoot: fake.devRoot,
          ffmpegPath: false,
        });
        if (wait) await new Promise<void>((r) => (release = r));
        return cameras;
      },
    });
    await w.start();
    slow = true;
    const stale = w.rescan(); // lists the camera as present, then waits
    while (release === undefined) await new Promise((r) => setTimeout(r, 2));
    await fake.unplug('video0');
    w.markLost(new KycdError('camera_unplugged', 'ffmpeg: device gone'));
    expect(w.availability).toMatchObject({
      status: 'unavailable',
      error: { code: 'camera_unplugged' },
    });
    release!();
    await stale;
    await w.rescan();
    expect(seen.map(summary)).toEqual([`ready ${fake.devRoot}/video0`, 'camera_unplugged']);
    w.close();
  });

  it('coalesces rescans requested while one is waiting, never running two at once', async () => {
    await fake.plugUsb('video0', BRIO);
    let running = 0;
    let most = 0;
    let calls = 0;
    const { w } = watcher({
      discover: async () => {
        calls++;
        running++;
        most = Math.max(most, running);
        await new Promise((r) => setTimeout(r, 5));
        running--;
        return listV4l2Cameras({ sysRoot: fake.sysRoot, devRoot: fake.devRoot, ffmpegPath: false });
      },
    });
    const first = w.rescan();
    expect(w.rescan()).toBe(first); // not started yet: shared
    await new Promise((r) => setTimeout(r, 1)); // the first scan is running now
    const more = [w.rescan(), w.rescan(), w.rescan()];
    expect(more[1]).toBe(more[0]);
    await Promise.all([first, ...more]);
    expect(most).toBe(1);
    expect(calls).toBe(2);
    w.close();
  });

  it('polls for changes without being asked', async () => {
    const w = new PinnedCameraWatcher({
      selection: { device: 'auto', pin: PIN, allowVirtual: false },
      mode: 'production',
      discover: () =>
        listV4l2Cameras({ sysRoot: fake.sysRoot, devRoot: fake.devRoot, ffmpegPath: false }),
      pollMs: 20,
    });
    await w.start();
    const ready = new Promise<CameraAvailability>((resolve) => w.on('change', resolve));
    await fake.plugUsb('video4', BRIO);
    expect(await ready).toMatchObject({
      status: 'ready',
      camera: { path: `${fake.devRoot}/video4` },
    });
    w.close();
  });
});

describe('PinnedCameraWatcher with USB hot-plug', () => {
  /** A hot-plug source the test fires by hand (what the usb package reports). */
  function fakeHotplug(): {
    source: UsbHotplugSource;
    fire: (e: UsbHotplugEvent) => void;
    subscribed: () => boolean;
  } {
    let listener: ((e: UsbHotplugEvent) => void) | undefined;
    return {
      source: async (onEvent) => {
        listener = onEvent;
        return async () => {
          listener = undefined;
        };
      },
      fire: (e) => listener?.(e),
      subscribed: () => listener !== undefined,
    };
  }

  it('rediscovers at once on attach and detach, without a poll', async () => {
    const hotplug = fakeHotplug();
    const { w, seen } = watcher();
    await w.start();
    await w.useHotplug(hotplug.source);
    await fake.plugUsb('video0', BRIO);
    const ready = new Promise<CameraAvailability>((resolve) => w.once('change', resolve));
    hotplug.fire({ type: 'attach', vendorId: '046d', productId: '085b' });
    expect(await ready).toMatchObject({ status: 'ready' });
    await fake.unplug('video0');
    const gone = new Promise<CameraAvailability>((resolve) => w.once('change', resolve));
    hotplug.fire({ type: 'detach' });
    expect(await gone).toMatchObject({
      status: 'unavailable',
      error: { code: 'camera_unplugged' },
    });
    expect(seen.map(summary)).toEqual([
      'camera_not_found',
      `ready ${fake.devRoot}/video0`,
      'camera_unplugged',
    ]);
    w.close();
    expect(hotplug.subscribed()).toBe(false);
  });

  it('scans again after settleMs: the video node shows up after the USB device', async () => {
    const hotplug = fakeHotplug();
    const w = new PinnedCameraWatcher({
      selection: { device: 'auto', pin: PIN, allowVirtual: false },
      mode: 'production',
      discover: () =>
        listV4l2Cameras({ sysRoot: fake.sysRoot, devRoot: fake.devRoot, ffmpegPath: false }),
      pollMs: 0,
      settleMs: 500,
    });
    await w.start();
    await w.useHotplug(hotplug.source);
    const ready = new Promise<CameraAvailability>((resolve) => w.on('change', resolve));
    hotplug.fire({ type: 'attach', vendorId: '046d', productId: '085b' });
    await w.rescan(); // the immediate scan sees no node yet
    expect(w.availability.status).toBe('unavailable');
    await fake.plugUsb('video0', BRIO);
    expect(await ready).toMatchObject({
      status: 'ready',
      camera: { path: `${fake.devRoot}/video0` },
    });
    w.close();
  });

  it('rejects when the hot-plug source cannot subscribe (polling remains)', async () => {
    const { w } = watcher();
    await expect(
      w.useHotplug(async () => Promise.reject(new Error('libusb has no hotplug'))),
    ).rejects.toThrow('libusb');
    w.close();
  });
});
