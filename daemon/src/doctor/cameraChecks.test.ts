import { describe, expect, it } from 'vitest';
import { parseConfig } from '../config/loadConfig.js';
import type { CameraDeviceInfo } from '../drivers/camera/CameraDeviceInfo.js';
import { cameraChecks } from './cameraChecks.js';

const BRIO: CameraDeviceInfo = {
  path: '/dev/video0',
  name: 'Logitech BRIO',
  driver: 'uvcvideo',
  usb: { vendorId: '046d', productId: '085b', serial: 'ABC123' },
  formats: [
    {
      kind: 'raw',
      ffmpegName: 'yuyv422',
      description: 'YUYV 4:2:2',
      sizes: ['640x480', '1280x720'],
    },
    {
      kind: 'compressed',
      ffmpegName: 'mjpeg',
      description: 'Motion-JPEG',
      sizes: ['640x480', '1920x1080'],
    },
  ],
  virtual: false,
};
const LOOP: CameraDeviceInfo = {
  path: '/dev/video2',
  name: 'OBS Virtual Camera',
  driver: 'v4l2loopback',
  formats: [],
  virtual: true,
};
const PIN = { vendorId: '046d', productId: '085b', serial: 'ABC123' };

const run = (
  cameras: CameraDeviceInfo[],
  camera: Record<string, unknown> = { pin: PIN },
  ffmpeg = true,
): ReturnType<typeof cameraChecks> =>
  cameraChecks({
    config: parseConfig({ camera }),
    discover: async () => cameras,
    ffmpegAvailable: async () => ffmpeg,
  });

describe('cameraChecks (kycd doctor)', () => {
  it('lists each camera with its identity, formats, pin match and virtual flag, then the camera in use and its capture format', async () => {
    const checks = await run([BRIO, LOOP]);
    expect(checks).toEqual([
      {
        name: 'camera /dev/video0',
        status: 'ok',
        detail:
          'Logitech BRIO — USB 046d:085b serial ABC123 — driver uvcvideo — formats yuyv422 640x480 1280x720; mjpeg 640x480 1920x1080 — matches camera.pin',
      },
      {
        name: 'camera /dev/video2',
        status: 'warn',
        detail:
          'OBS Virtual Camera — no USB identity — driver v4l2loopback — formats unknown — not the pinned camera — VIRTUAL camera driver: refused in production',
      },
      {
        name: 'camera',
        status: 'ok',
        detail:
          'uses Logitech BRIO (/dev/video0); ffmpeg captures mjpeg 640x480 at 30 fps, scaled to 640x480',
      },
    ]);
  });

  it('is honest about the still-capture fallback without ffmpeg', async () => {
    const verdict = (await run([BRIO], { pin: PIN }, false)).at(-1);
    expect(verdict).toMatchObject({
      status: 'warn',
      detail: expect.stringContaining('node-webcam still capture at about 2 frames/s'),
      fix: expect.stringContaining('ffmpeg'),
    });
  });

  it('fails with the code the daemon would report, and says how to fix it', async () => {
    const noPin = (await run([BRIO, LOOP], {})).at(-1);
    expect(noPin).toMatchObject({
      status: 'fail',
      detail: expect.stringMatching(/^camera_not_found: /),
      fix: expect.stringContaining('serial: "ABC123"'),
    });
    const noSerial = (await run([BRIO], { pin: { vendorId: '046d', productId: '085b' } })).at(-1);
    expect(noSerial).toMatchObject({
      status: 'fail',
      fix: expect.stringMatching(/^add camera\.pin\.serial/),
    });
    const virtualAtNode = (await run([LOOP], { pin: PIN, device: '/dev/video2' })).at(-1);
    expect(virtualAtNode).toMatchObject({
      status: 'fail',
      detail: expect.stringMatching(/^camera_virtual_refused: /),
      fix: expect.stringContaining('v4l2loopback'),
    });
    const unplugged = (await run([], { pin: PIN })).at(-1);
    expect(unplugged).toMatchObject({
      status: 'fail',
      detail: expect.stringMatching(/^camera_not_found: /),
      fix: expect.stringContaining('video'),
    });
    const otherSerial = await run([{ ...BRIO, usb: { ...PIN, serial: 'OTHER' } }], { pin: PIN });
    expect(otherSerial[0]!.detail).toContain('not the pinned camera');
    expect(otherSerial.at(-1)).toMatchObject({
      status: 'fail',
      fix: expect.stringContaining('serial ABC123'),
    });
  });
});
