import { createRequire } from 'node:module';
import sharp from 'sharp';
import { EmrtdError } from '../EmrtdError.js';
import type { FaceImage } from './Dg2File.js';

/** Decoded RGB pixels (interleaved, 3 bytes per pixel). */
export interface RgbPixels {
  readonly data: Uint8Array;
  readonly width: number;
  readonly height: number;
}

interface J2KDecoder {
  getEncodedBuffer(length: number): Uint8Array;
  getDecodedBuffer(): Uint8Array;
  decode(): void;
  getFrameInfo(): {
    width: number;
    height: number;
    bitsPerSample: number;
    componentCount: number;
    isSigned: boolean;
  };
  delete?(): void;
}
interface OpenJpegModule {
  J2KDecoder: new () => J2KDecoder;
}

let openJpeg: Promise<OpenJpegModule> | undefined;

function loadOpenJpeg(): Promise<OpenJpegModule> {
  openJpeg ??= (async () => {
    const require = createRequire(import.meta.url);
    const factory = require('@cornerstonejs/codec-openjpeg/wasmjs') as (module: {
      print: () => void;
      printErr: () => void;
    }) => Promise<OpenJpegModule>;
    // OpenJPEG logs [INFO] lines through Emscripten's print: keep stdout clean (CLI JSON)
    return factory({ print: () => undefined, printErr: () => undefined });
  })();
  return openJpeg;
}

/** The JPEG 2000 codestream: the `jp2c` box of a JP2 file, or the bytes themselves when they are a raw codestream. */
export function jpeg2000Codestream(bytes: Uint8Array): Uint8Array {
  if (bytes[0] === 0xff && bytes[1] === 0x4f) return bytes;
  let o = 0;
  while (o + 8 <= bytes.length) {
    const view = new DataView(bytes.buffer, bytes.byteOffset + o);
    let length = view.getUint32(0);
    const type = String.fromCharCode(
      bytes[o + 4] as number,
      bytes[o + 5] as number,
      bytes[o + 6] as number,
      bytes[o + 7] as number,
    );
    let header = 8;
    if (length === 1) {
      if (o + 16 > bytes.length) break;
      length = Number(view.getBigUint64(8));
      header = 16;
    } else if (length === 0) length = bytes.length - o;
    if (length < header || o + length > bytes.length) break;
    if (type === 'jp2c') return bytes.subarray(o + header, o + length);
    o += length;
  }
  throw new EmrtdError('document_photo_undecodable', 'JPEG 2000 file has no codestream (jp2c) box');
}

async function decodeJpeg2000(encoded: Uint8Array): Promise<RgbPixels> {
  const codestream = jpeg2000Codestream(encoded);
  const m = await loadOpenJpeg();
  const decoder = new m.J2KDecoder();
  try {
    decoder.getEncodedBuffer(codestream.length).set(codestream);
    decoder.decode();
    const info = decoder.getFrameInfo();
    const decoded = decoder.getDecodedBuffer();
    const { width, height, componentCount, bitsPerSample } = info;
    const pixels = width * height;
    const rgb = new Uint8Array(pixels * 3);
    const bytesPerSample = bitsPerSample > 8 ? 2 : 1;
    const shift = Math.max(0, bitsPerSample - 8);
    const sample = (i: number): number =>
      bytesPerSample === 2
        ? ((decoded[2 * i] as number) | ((decoded[2 * i + 1] as number) << 8)) >> shift
        : (decoded[i] as number);
    for (let p = 0; p < pixels; p++) {
      if (componentCount >= 3) {
        rgb[3 * p] = sample(p * componentCount);
        rgb[3 * p + 1] = sample(p * componentCount + 1);
        rgb[3 * p + 2] = sample(p * componentCount + 2);
      } else {
        const g = sample(p * componentCount);
        rgb[3 * p] = g;
        rgb[3 * p + 1] = g;
        rgb[3 * p + 2] = g;
      }
    }
    return { data: rgb, width, height };
  } catch (err) {
    if (err instanceof EmrtdError) throw err;
    throw new EmrtdError(
      'document_photo_undecodable',
      `JPEG 2000 decoding failed: ${err instanceof Error ? err.message : String(err)}`,
    );
  } finally {
    decoder.delete?.();
  }
}

/**
 * Decode a DG2 face image to RGB: JPEG with sharp, JPEG 2000 (JP2 or raw codestream) with the
 * OpenJPEG WASM build. Failures are `document_photo_undecodable`.
 */
export async function decodeFaceImage(
  image: Pick<FaceImage, 'format' | 'encoded'>,
): Promise<RgbPixels> {
  if (image.format === 'jpeg2000') return decodeJpeg2000(image.encoded);
  try {
    const { data, info } = await sharp(image.encoded, { failOn: 'error' })
      .removeAlpha()
      .toColourspace('srgb')
      .raw()
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== 3) {
      const rgb = await sharp(image.encoded)
        .toColourspace('srgb')
        .ensureAlpha()
        .removeAlpha()
        .raw()
        .toBuffer({ resolveWithObject: true });
      return { data: new Uint8Array(rgb.data), width: rgb.info.width, height: rgb.info.height };
    }
    return {
      data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
      width: info.width,
      height: info.height,
    };
  } catch (err) {
    throw new EmrtdError(
      'document_photo_undecodable',
      `JPEG decoding failed: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
}
