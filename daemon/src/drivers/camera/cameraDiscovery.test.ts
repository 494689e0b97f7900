import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CameraDeviceInfo } from './CameraDeviceInfo.js';
import { isVirtualCamera } from './isVirtualCamera.js';
import { listV4l2Cameras } from './listV4l2Cameras.js';
import { parseV4l2Formats } from './parseV4l2Formats.js';
import { selectCamera } from './selectCamera.js';

let sys: string;

/** A fake sysfs: video0 = USB UVC camera 046d:085b serial ABC123, video2 = v4l2loopback. */
beforeAll(async () => {
  sys = await mkdtemp(join(tmpdir(), 'kycd-sysfs-'));
  const usbDev = join(sys, 'devices/pci0000:00/usb1/1-2');
  const iface = join(usbDev, '1-2:1.0');
  await mkdir(join(iface, 'video4linux/video0'), { recursive: true });
  await writeFile(join(usbDev, 'idVendor'), '046d\n');
  await writeFile(join(usbDev, 'idProduct'), '085B\n');
  await writeFile(join(usbDev, 'serial'), 'ABC123\n');
  await mkdir(join(sys, 'bus/usb/drivers/uvcvideo'), { recursive: true });
  await symlink(join(sys, 'bus/usb/drivers/uvcvideo'), join(iface, 'driver'));
  const loop = join(sys, 'devices/virtual/video4linux/video2');
  await mkdir(loop, { recursive: true });
  await mkdir(join(sys, 'devices/virtual/loopdev'), { recursive: true });
  await mkdir(join(sys, 'bus/platform/drivers/v4l2loopback'), { recursive: true });
  await symlink(
    join(sys, 'bus/platform/drivers/v4l2loopback'),
    join(sys, 'devices/virtual/loopdev/driver'),
  );
  const cls = join(sys, 'class/video4linux');
  await mkdir(join(cls, 'video0'), { recursive: true });
  await writeFile(join(cls, 'video0/name'), 'Logitech BRIO\n');
  await symlink(iface, join(cls, 'video0/device'));
  await mkdir(join(cls, 'video2'), { recursive: true });
  await writeFile(join(cls, 'video2/name'), 'Dummy video device (0x0000)\n');
  await symlink(join(sys, 'devices/virtual/loopdev'), join(cls, 'video2/device'));
});
afterAll(async () => {
  await rm(sys, { recursive: true, force: true });
});

const FFMPEG_LIST = `[video4linux2,v4l2 @ 0x55d5c0a2b2c0] Raw       :     yuyv422 :           YUYV 4:2:2 : 640x480 160x120 1280x720
[video4linux2,v4l2 @ 0x55d5c0a2b2c0] Compressed:       mjpeg :          Motion-JPEG : 640x480 1920x1080 bogus
/dev/video0: Immediate exit requested`;

describe('camera discovery', () => {
  it('parses ffmpeg -list_formats output', () => {
    expect(parseV4l2Formats(FFMPEG_LIST)).toEqual([
      {
        kind: 'raw',
        ffmpegName: 'yuyv422',
        description: 'YUYV 4:2:2',
        sizes: ['640x480', '160x120', '1280x720'],
      },
      {
        kind: 'compressed',
        ffmpegName: 'mjpeg',
        description: 'Motion-JPEG',
        sizes: ['640x480', '1920x1080'],
      },
    ]);
    fc.assert(
      fc.property(fc.string({ maxLength: 5000 }), (s) => Array.isArray(parseV4l2Formats(s))),
    );
  });

  it('lists V4L2 devices from sysfs with driver, USB identity and the virtual flag', async () => {
    const cameras = await listV4l2Cameras({ sysRoot: sys, devRoot: '/dev', ffmpegPath: false });
    expect(cameras).toEqual([
      {
        path: '/dev/video0',
        name: 'Logitech BRIO',
        driver: 'uvcvideo',
        usb: { vendorId: '046d', productId: '085b', serial: 'ABC123' },
        formats: [],
        virtual: false,
      },
      {
        path: '/dev/video2',
        name: 'Dummy video device (0x0000)',
        driver: 'v4l2loopback',
        formats: [],
        virtual: true,
      },
    ]);
    expect(await listV4l2Cameras({ sysRoot: join(sys, 'nowhere'), ffmpegPath: false })).toEqual([]);
  });

  it('flags virtual cameras by driver and by name', () => {
    expect(isVirtualCamera({ name: 'HD Webcam', driver: 'v4l2loopback' })).toBe(true);
    expect(isVirtualCamera({ name: 'OBS Virtual Camera' })).toBe(true);
    expect(isVirtualCamera({ name: 'Logitech BRIO', driver: 'uvcvideo' })).toBe(false);
  });
});

describe('selectCamera', () => {
  const brio: CameraDeviceInfo = {
    path: '/dev/video0',
    name: 'Logitech BRIO',
    driver: 'uvcvideo',
    usb: { vendorId: '046d', productId: '085b', serial: 'ABC123' },
    formats: [],
    virtual: false,
  };
  const loop: CameraDeviceInfo = {
    path: '/dev/video2',
    name: 'OBS Virtual Camera',
    driver: 'v4l2loopback',
    formats: [],
    virtual: true,
  };

  it('uses the pinned camera in production mode', () => {
    expect(
      selectCamera(
        [loop, brio],
        {
          device: 'auto',
          pin: { vendorId: '046D', productId: '085b', serial: 'ABC123' },
          allowVirtual: false,
        },
        'production',
      ),
    ).toBe(brio);
  });

  it('refuses production mode without a pin, a wrong serial, and virtual cameras', () => {
    expect(() =>
      selectCamera([brio], { device: 'auto', allowVirtual: false }, 'production'),
    ).toThrow(expect.objectContaining({ code: 'camera_not_found' }));
    expect(() =>
      selectCamera(
        [brio],
        {
          device: 'auto',
          pin: { vendorId: '046d', productId: '085b', serial: 'XYZ' },
          allowVirtual: false,
        },
        'production',
      ),
    ).toThrow(expect.objectContaining({ code: 'camera_not_found' }));
    expect(() =>
      selectCamera([loop], { device: '/dev/video2', allowVirtual: true }, 'simulator'),
    ).not.toThrow();
    expect(() =>
      selectCamera([loop], { device: '/dev/video2', allowVirtual: false }, 'simulator'),
    ).toThrow(expect.objectContaining({ code: 'camera_virtual_refused' }));
    expect(() =>
      selectCamera(
        [brio],
        { device: 'auto', pin: { vendorId: '046d', productId: '085b' }, allowVirtual: false },
        'production',
      ),
    ).toThrow(
      expect.objectContaining({
        code: 'camera_not_found',
        message: expect.stringContaining('serial'),
      }),
    );
    expect(
      selectCamera(
        [brio],
        { device: 'auto', pin: { vendorId: '046d', productId: '085b' }, allowVirtual: false },
        'simulator',
      ),
    ).toBe(brio);
    const spoofedPin = { ...loop, usb: { vendorId: '046d', productId: '085b', serial: 'ABC123' } };
    expect(() =>
      selectCamera(
        [spoofedPin],
        {
          device: 'auto',
          pin: { vendorId: '046d', productId: '085b', serial: 'ABC123' },
          allowVirtual: true,
        },
        'production',
      ),
    ).toThrow(expect.objectContaining({ code: 'camera_virtual_refused' }));
  });
});
