import { SamError } from './SamError.js';

/** Decoded pixels, RGB interleaved. */
export interface RgbImage {
  readonly data: Uint8Array;
  readonly width: number;
  readonly height: number;
}

const MAX_PIXELS = 4096 * 4096;

/**
 * Decodes an uncompressed 24-bit Windows BMP — the format vendor WLT decoders produce
 * (102×126, 38,862 bytes) — to RGB. Bottom-up and top-down rows, 4-byte row padding. Every header
 * field is bounds-checked; anything else rejects with `document_photo_decoder_failed`.
 */
export function decodeBmp(bytes: Uint8Array): RgbImage {
  const fail = (why: string): SamError =>
    new SamError(
      'document_photo_decoder_failed',
      `WLT decoder output is not a usable BMP: ${why}`,
      { step: 'decodePhoto' },
    );
  if (bytes.length < 54 || bytes[0] !== 0x42 || bytes[1] !== 0x4d) throw fail('no BM header');
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const pixelOffset = v.getUint32(10, true);
  const headerSize = v.getUint32(14, true);
  if (headerSize < 40) throw fail('unsupported DIB header');
  const width = v.getInt32(18, true);
  const rawHeight = v.getInt32(22, true);
  const bitCount = v.getUint16(28, true);
  const compression = v.getUint32(30, true);
  if (bitCount !== 24 || compression !== 0)
    throw fail(
      `only 24-bit uncompressed BMP is supported (got ${bitCount}-bit, compression ${compression})`,
    );
  const height = Math.abs(rawHeight);
  if (width <= 0 || height <= 0 || width * height > MAX_PIXELS) throw fail('bad dimensions');
  const rowBytes = Math.ceil((width * 3) / 4) * 4;
  if (pixelOffset < 54 || pixelOffset + rowBytes * height > bytes.length)
    throw fail('pixel data exceeds the file');
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    const srcRow = pixelOffset + (rawHeight > 0 ? height - 1 - y : y) * rowBytes;
    for (let x = 0; x < width; x++) {
      const s = srcRow + x * 3;
      const d = (y * width + x) * 3;
      data[d] = bytes[s + 2]!;
      data[d + 1] = bytes[s + 1]!;
      data[d + 2] = bytes[s]!;
    }
  }
  return { data, width, height };
}
