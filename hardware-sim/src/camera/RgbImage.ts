/**
 * A packed 8-bit RGB image (3 bytes per pixel, row-major, no padding). The simulated camera's
 * frames, its photos and every intermediate render use this one layout.
 */
export interface RgbImage {
  readonly data: Uint8Array;
  readonly width: number;
  readonly height: number;
}

/** One frame from a camera: an {@link RgbImage} stamped with the camera's clock. */
export interface RgbFrame extends RgbImage {
  /** Capture time in milliseconds on the camera's timeline (monotonic within one stream). */
  readonly timestampMs: number;
}

/** A new black image of the given size. */
export function createRgbImage(width: number, height: number): RgbImage {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) {
    throw new RangeError(`image size must be positive integers, got ${width}×${height}`);
  }
  return { data: new Uint8Array(width * height * 3), width, height };
}

/** A deep copy of `image`. */
export function cloneRgbImage(image: RgbImage): RgbImage {
  return { data: new Uint8Array(image.data), width: image.width, height: image.height };
}

/**
 * Bilinear sample of channel `c` at (x, y) in pixel-centre coordinates, clamped to the edges.
 */
export function sampleBilinear(image: RgbImage, x: number, y: number, c: number): number {
  const { data, width, height } = image;
  const cx = x < 0 ? 0 : x > width - 1 ? width - 1 : x;
  const cy = y < 0 ? 0 : y > height - 1 ? height - 1 : y;
  const x0 = Math.floor(cx);
  const y0 = Math.floor(cy);
  const x1 = x0 + 1 < width ? x0 + 1 : x0;
  const y1 = y0 + 1 < height ? y0 + 1 : y0;
  const fx = cx - x0;
  const fy = cy - y0;
  const a = data[(y0 * width + x0) * 3 + c]!;
  const b = data[(y0 * width + x1) * 3 + c]!;
  const d = data[(y1 * width + x0) * 3 + c]!;
  const e = data[(y1 * width + x1) * 3 + c]!;
  return (a * (1 - fx) + b * fx) * (1 - fy) + (d * (1 - fx) + e * fx) * fy;
}
