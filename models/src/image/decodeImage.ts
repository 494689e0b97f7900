import sharp from 'sharp';
import { ModelError } from '../errors/ModelError.js';
import type { RgbFrame } from '../face/Face.js';

/** Limits of {@link decodeImage}. */
export interface DecodeImageOptions {
  /** Largest accepted encoded size in bytes (default 32 MiB). */
  readonly maxBytes?: number;
  /** Largest accepted width × height (default 40 megapixels). */
  readonly maxPixels?: number;
}

/** Defaults of {@link DecodeImageOptions}. */
export const DECODE_IMAGE_DEFAULTS = { maxBytes: 32 * 1024 * 1024, maxPixels: 40_000_000 } as const;

function classify(err: unknown): ModelError {
  const message = err instanceof Error ? err.message : String(err);
  if (/pixel limit/i.test(message))
    return new ModelError('image_too_large', `image: ${message}`, { cause: err });
  if (
    /premature end|truncat|unexpected end|end of (file|data|stream)|read error|not enough data|incomplete/i.test(
      message,
    )
  ) {
    return new ModelError('image_truncated', `image: truncated or corrupt data (${message})`, {
      cause: err,
    });
  }
  if (/corrupt|invalid|bad |error/i.test(message))
    return new ModelError('image_corrupt', `image: corrupt data (${message})`, { cause: err });
  if (/unsupported image format/i.test(message))
    return new ModelError(
      'image_unsupported',
      'image: not a supported image (JPEG, PNG, WebP, …)',
      { cause: err },
    );
  return new ModelError('image_unsupported', `image: cannot decode (${message})`, { cause: err });
}

/**
 * Decode an encoded image (JPEG, PNG, WebP, … — whatever sharp/libvips reads) into an
 * {@link RgbFrame}: EXIF orientation applied, alpha dropped, sRGB. Hostile input gives a typed
 * {@link ModelError}: `image_empty` (zero bytes), `image_too_large` (bytes or pixels over the
 * limit, checked from the header before decoding), `image_truncated` (cut-off data),
 * `image_unsupported` (not an image).
 */
export async function decodeImage(
  input: Uint8Array,
  options: DecodeImageOptions = {},
): Promise<RgbFrame> {
  const maxBytes = options.maxBytes ?? DECODE_IMAGE_DEFAULTS.maxBytes;
  const maxPixels = options.maxPixels ?? DECODE_IMAGE_DEFAULTS.maxPixels;
  if (!(input instanceof Uint8Array))
    throw new TypeError('decodeImage: input must be a Uint8Array');
  if (input.length === 0) throw new ModelError('image_empty', 'image: zero bytes');
  if (input.length > maxBytes)
    throw new ModelError(
      'image_too_large',
      `image: ${input.length} bytes exceeds the limit of ${maxBytes}`,
      { data: { bytes: input.length, maxBytes } },
    );
  let meta: sharp.Metadata;
  try {
    meta = await sharp(input, { limitInputPixels: false }).metadata();
  } catch (err) {
    throw classify(err);
  }
  const width = meta.autoOrient?.width ?? meta.width;
  const height = meta.autoOrient?.height ?? meta.height;
  if (width === undefined || height === undefined || width <= 0 || height <= 0)
    throw new ModelError('image_unsupported', 'image: no dimensions in the header');
  if (width * height > maxPixels) {
    throw new ModelError(
      'image_too_large',
      `image: ${width}×${height} exceeds the limit of ${maxPixels} pixels`,
      { data: { width, height, maxPixels } },
    );
  }
  try {
    const { data, info } = await sharp(input, { limitInputPixels: maxPixels, failOn: 'truncated' })
      .rotate()
      .toColourspace('srgb')
      .removeAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== 3)
      throw new ModelError(
        'image_unsupported',
        `image: decoded to ${info.channels} channels, expected 3`,
      );
    return {
      data: new Uint8Array(data.buffer, data.byteOffset, data.length),
      width: info.width,
      height: info.height,
    };
  } catch (err) {
    if (err instanceof ModelError) throw err;
    throw classify(err);
  }
}

/**
 * Check an in-memory frame: positive integer size and data length = width × height × 3.
 * Throws `image_invalid_frame`.
 */
export function assertRgbFrame(frame: RgbFrame): void {
  const { width, height, data } = frame;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) {
    throw new ModelError(
      'image_invalid_frame',
      `frame: invalid size ${String(width)}×${String(height)}`,
    );
  }
  if (!(data instanceof Uint8Array) || data.length !== width * height * 3) {
    throw new ModelError(
      'image_invalid_frame',
      `frame: ${data instanceof Uint8Array ? data.length : 'non-Uint8Array'} bytes for ${width}×${height} RGB (expected ${width * height * 3})`,
    );
  }
}
