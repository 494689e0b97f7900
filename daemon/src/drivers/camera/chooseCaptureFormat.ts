import type { CameraFormat } from './CameraDeviceInfo.js';

/** What ffmpeg is asked to read from the camera. */
export interface CaptureFormat {
  /** ffmpeg `-input_format` (e.g. `mjpeg`), or undefined to let the driver choose. */
  readonly inputFormat?: string;
  /** ffmpeg `-video_size` of the capture, e.g. `640x480` (frames are scaled to the configured size after). */
  readonly videoSize: string;
}

/** Pixel formats in order of preference: compressed MJPEG keeps USB bandwidth low at 15–30 fps, YUYV needs no decoding. */
export const PREFERRED_INPUT_FORMATS: readonly string[] = ['mjpeg', 'yuyv422'];

const parseSize = (s: string): { w: number; h: number } | undefined => {
  // The sizes FfmpegCameraStream accepts as a capture size; hostile listings are skipped.
  const m = /^(\d{2,4})x(\d{2,4})$/.exec(s);
  return m === null ? undefined : { w: Number(m[1]), h: Number(m[2]) };
};

/**
 * Choose the capture format from the formats the camera lists (`ffmpeg -list_formats`): the
 * wanted size (640×480 by default) in MJPEG, else YUYV, else any other format that has it;
 * failing the exact size, the smallest listed size that covers it (then the largest), in the
 * same order of formats. ffmpeg's listing carries no frame rates: the configured 15–30 fps is
 * asked for with `-framerate`. With nothing listed, ffmpeg's defaults are left alone.
 */
export function chooseCaptureFormat(
  formats: readonly CameraFormat[],
  wanted: { readonly width: number; readonly height: number },
): CaptureFormat {
  const exact = `${wanted.width}x${wanted.height}`;
  const rank = (f: CameraFormat): number => {
    const i = PREFERRED_INPUT_FORMATS.indexOf(f.ffmpegName);
    return i === -1 ? PREFERRED_INPUT_FORMATS.length + (f.kind === 'raw' ? 0 : 1) : i;
  };
  const usable = formats.filter(
    (f) => /^\w{1,32}$/.test(f.ffmpegName) && f.sizes.some((s) => parseSize(s) !== undefined),
  );
  const ordered = [...usable].sort((a, b) => rank(a) - rank(b));
  const withExact = ordered.find((f) => f.sizes.includes(exact));
  if (withExact !== undefined) return { inputFormat: withExact.ffmpegName, videoSize: exact };
  let best:
    { format: CameraFormat; size: string; area: number; covers: boolean; rank: number } | undefined;
  for (const f of ordered) {
    for (const s of f.sizes) {
      const size = parseSize(s);
      if (size === undefined) continue;
      const covers = size.w >= wanted.width && size.h >= wanted.height;
      const area = size.w * size.h;
      const better =
        best === undefined ||
        (covers && !best.covers) ||
        (covers === best.covers && (covers ? area < best.area : area > best.area)) ||
        (covers === best.covers && area === best.area && rank(f) < best.rank);
      if (better) best = { format: f, size: s, area, covers, rank: rank(f) };
    }
  }
  return best === undefined
    ? { videoSize: exact }
    : { inputFormat: best.format.ffmpegName, videoSize: best.size };
}
