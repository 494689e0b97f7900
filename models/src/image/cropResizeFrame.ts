import sharp from 'sharp';
import type { RgbFrame } from '../face/Face.js';
import type { Rect } from '../tensor/sampleToTensor.js';
import { assertRgbFrame } from './decodeImage.js';

/**
 * Crop a region of a frame and resize it (sharp, default kernel; aspect not kept). For
 * preparing frames — e.g. downscaling a camera frame or cutting a face out for display — not
 * for model inputs, which {@link sampleToTensor} builds directly.
 */
export async function cropResizeFrame(
  frame: RgbFrame,
  rect: Rect,
  width: number,
  height: number,
): Promise<RgbFrame> {
  assertRgbFrame(frame);
  if (!(
    rect.x >= 0 &&
    rect.y >= 0 &&
    rect.width > 0 &&
    rect.height > 0 &&
    rect.x + rect.width <= frame.width &&
    rect.y + rect.height <= frame.height
  )) {
    throw new RangeError(
      `cropResizeFrame: rect ${JSON.stringify(rect)} is not inside the ${frame.width}×${frame.height} frame`,
    );
  }
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0)
    throw new RangeError(`cropResizeFrame: bad output size ${width}×${height}`);
  const { data, info } = await sharp(frame.data, {
    raw: { width: frame.width, height: frame.height, channels: 3 },
  })
    .extract({
      left: Math.round(rect.x),
      top: Math.round(rect.y),
      width: Math.round(rect.width),
      height: Math.round(rect.height),
    })
    .resize(width, height, { fit: 'fill' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  return {
    data: new Uint8Array(data.buffer, data.byteOffset, data.length),
    width: info.width,
    height: info.height,
  };
}
