import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CameraFormat } from './CameraDeviceInfo.js';
import { chooseCaptureFormat } from './chooseCaptureFormat.js';
import { FfmpegCameraStream } from './FfmpegCameraStream.js';
import { parseV4l2Formats } from './parseV4l2Formats.js';

const f = (
  ffmpegName: string,
  sizes: string[],
  kind: 'raw' | 'compressed' = ffmpegName === 'mjpeg' ? 'compressed' : 'raw',
): CameraFormat => ({ kind, ffmpegName, description: ffmpegName, sizes });
const VGA = { width: 640, height: 480 };

describe('chooseCaptureFormat', () => {
  it('prefers MJPEG, then YUYV, at the wanted size', () => {
    expect(
      chooseCaptureFormat([f('yuyv422', ['640x480']), f('mjpeg', ['1280x720', '640x480'])], VGA),
    ).toEqual({ inputFormat: 'mjpeg', videoSize: '640x480' });
    expect(
      chooseCaptureFormat(
        [
          f('h264', ['640x480'], 'compressed'),
          f('yuyv422', ['640x480', '1280x720']),
          f('mjpeg', ['1920x1080']),
        ],
        VGA,
      ),
    ).toEqual({ inputFormat: 'yuyv422', videoSize: '640x480' });
    expect(
      chooseCaptureFormat([f('nv12', ['640x480']), f('h264', ['640x480'], 'compressed')], VGA),
    ).toEqual({ inputFormat: 'nv12', videoSize: '640x480' });
  });

  it('without the wanted size: the smallest size that covers it, else the largest', () => {
    expect(chooseCaptureFormat([f('mjpeg', ['1920x1080', '1280x720', '320x240'])], VGA)).toEqual({
      inputFormat: 'mjpeg',
      videoSize: '1280x720',
    });
    expect(chooseCaptureFormat([f('yuyv422', ['160x120', '320x240'])], VGA)).toEqual({
      inputFormat: 'yuyv422',
      videoSize: '320x240',
    });
    expect(chooseCaptureFormat([f('yuyv422', ['800x600']), f('mjpeg', ['800x600'])], VGA)).toEqual({
      inputFormat: 'mjpeg',
      videoSize: '800x600',
    });
  });

  it('leaves ffmpeg its defaults when nothing usable is listed', () => {
    expect(chooseCaptureFormat([], VGA)).toEqual({ videoSize: '640x480' });
    expect(chooseCaptureFormat([f('mjpeg', [])], VGA)).toEqual({ videoSize: '640x480' });
  });

  it('from a real ffmpeg listing to ffmpeg arguments', () => {
    const listing = `[video4linux2,v4l2 @ 0x55] Raw       :     yuyv422 :           YUYV 4:2:2 : 640x480 160x120 1280x720
[video4linux2,v4l2 @ 0x55] Compressed:       mjpeg :          Motion-JPEG : 1280x720 1920x1080`;
    const format = chooseCaptureFormat(parseV4l2Formats(listing), VGA);
    expect(format).toEqual({ inputFormat: 'yuyv422', videoSize: '640x480' });
    const args = new FfmpegCameraStream({
      input: { kind: 'v4l2', device: '/dev/video0', ...format },
      fps: 15,
    }).ffmpegArgs.join(' ');
    expect(args).toContain(
      '-f v4l2 -input_format yuyv422 -framerate 15 -video_size 640x480 -i /dev/video0',
    );
  });

  it('always answers something ffmpeg accepts, whatever the camera lists', () => {
    const name = fc.oneof(
      fc.constantFrom('mjpeg', 'yuyv422', 'nv12', 'h264'),
      fc.string({ maxLength: 40 }),
    );
    const size = fc.oneof(
      fc
        .tuple(fc.integer({ min: 16, max: 4096 }), fc.integer({ min: 16, max: 4096 }))
        .map(([w, h]) => `${w}x${h}`),
      fc.string({ maxLength: 12 }),
      fc.constantFrom('99999x99999', '1x1', '0640x0480'),
    );
    const format = fc.record({
      kind: fc.constantFrom('raw' as const, 'compressed' as const),
      ffmpegName: name,
      description: fc.string(),
      sizes: fc.array(size, { maxLength: 8 }),
    });
    fc.assert(
      fc.property(fc.array(format, { maxLength: 6 }), (formats) => {
        const chosen = chooseCaptureFormat(formats, VGA);
        expect(
          () =>
            new FfmpegCameraStream({ input: { kind: 'v4l2', device: '/dev/video0', ...chosen } }),
        ).not.toThrow();
      }),
    );
  });
});
