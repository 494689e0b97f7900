import type { CameraFormat } from './CameraDeviceInfo.js';

const LINE = /\]\s*(Raw|Compressed)\s*:\s*(\S+)\s*:\s*(.*)\s:\s(.*)$/;

/**
 * Parse the stderr of `ffmpeg -f v4l2 -list_formats all -i /dev/videoN`, e.g.
 * `[video4linux2,v4l2 @ 0x…] Raw       :     yuyv422 :           YUYV 4:2:2 : 640x480 1280x720`.
 * Lines that do not match are ignored; sizes that are not `WxH` are dropped (hostile input).
 */
export function parseV4l2Formats(stderr: string): CameraFormat[] {
  const formats: CameraFormat[] = [];
  for (const line of stderr.split(/\r?\n/)) {
    if (line.length > 4096) continue;
    const m = LINE.exec(line);
    if (m === null) continue;
    const sizes = m[4]!.split(/\s+/).filter((s) => /^\d{1,5}x\d{1,5}$/.test(s));
    formats.push({
      kind: m[1] === 'Raw' ? 'raw' : 'compressed',
      ffmpegName: m[2]!,
      description: m[3]!.trim(),
      sizes,
    });
  }
  return formats;
}
