import sharp from 'sharp';
import type { TimedRgbFrame } from './runLiveness.js';

/** Settings of the POS preview (config `camera.preview`). */
export interface FramePreviewOptions {
  readonly fps: number;
  readonly maxWidth: number;
  readonly quality: number;
}

/** One preview frame as `face.preview` carries it. */
export interface PreviewFrame {
  readonly jpeg: string;
  readonly width: number;
  readonly height: number;
}

/**
 * Pass camera frames through unchanged and, at most `fps` times a second (camera time), send a
 * downscaled JPEG of one to `onPreview`. Encoding runs beside the analysis and never holds it
 * up: while one frame is being encoded, later ones are skipped.
 */
export async function* withPreview(
  frames: AsyncIterable<TimedRgbFrame>,
  options: FramePreviewOptions,
  onPreview: (frame: PreviewFrame) => void,
): AsyncGenerator<TimedRgbFrame, void, undefined> {
  const intervalMs = 1000 / options.fps;
  let nextAt = Number.NEGATIVE_INFINITY;
  let encoding = false;
  for await (const frame of frames) {
    if (!encoding && frame.timestampMs >= nextAt) {
      nextAt = frame.timestampMs + intervalMs;
      encoding = true;
      encodePreview(frame, options).then(
        (preview) => {
          encoding = false;
          onPreview(preview);
        },
        () => {
          encoding = false;
        },
      );
    }
    yield frame;
  }
}

/** Downscale and JPEG-encode one frame. */
export async function encodePreview(
  frame: TimedRgbFrame,
  options: Pick<FramePreviewOptions, 'maxWidth' | 'quality'>,
): Promise<PreviewFrame> {
  const width = Math.min(options.maxWidth, frame.width);
  const height = Math.max(1, Math.round((frame.height * width) / frame.width));
  const jpeg = await sharp(
    Buffer.from(frame.data.buffer, frame.data.byteOffset, frame.data.byteLength),
    {
      raw: { width: frame.width, height: frame.height, channels: 3 },
    },
  )
    .resize(width, height)
    .jpeg({ quality: options.quality })
    .toBuffer();
  return { jpeg: jpeg.toString('base64'), width, height };
}
