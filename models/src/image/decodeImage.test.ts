import fc from 'fast-check';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { ModelError } from '../errors/ModelError.js';
import type { RgbFrame } from '../face/Face.js';
import { sampleBytes } from '../__fixtures__/testImages.js';
import { assertRgbFrame, decodeImage } from './decodeImage.js';

const jpg = sampleBytes(1);

/** The sample JPEG with its SOF0 frame header claiming `width` × `height`. */
function withSof0Size(src: Uint8Array, width: number, height: number): Uint8Array {
  const b = new Uint8Array(src);
  for (let i = 2; i + 9 < b.length; i++) {
    if (b[i] === 0xff && (b[i + 1] === 0xc0 || b[i + 1] === 0xc2)) {
      b[i + 5] = height >> 8;
      b[i + 6] = height & 0xff;
      b[i + 7] = width >> 8;
      b[i + 8] = width & 0xff;
      return b;
    }
  }
  throw new Error('no SOF marker');
}

describe('decodeImage', () => {
  it('decodes a JPEG to interleaved RGB', async () => {
    const frame = await decodeImage(jpg);
    expect(frame).toMatchObject({ width: 1920, height: 1280 });
    expect(frame.data.length).toBe(1920 * 1280 * 3);
    expect(() => assertRgbFrame(frame)).not.toThrow();
  });

  it('decodes a PNG with alpha and a gray PNG to 3 channels', async () => {
    const rgba = await sharp({
      create: { width: 8, height: 4, channels: 4, background: { r: 10, g: 20, b: 30, alpha: 0.5 } },
    })
      .png()
      .toBuffer();
    expect(await decodeImage(rgba)).toMatchObject({ width: 8, height: 4 });
    const gray = await sharp({
      create: { width: 5, height: 5, channels: 3, background: '#808080' },
    })
      .toColourspace('b-w')
      .png()
      .toBuffer();
    const g = await decodeImage(gray);
    expect(g.data.length).toBe(5 * 5 * 3);
  });

  it.each([
    ['zero-size', new Uint8Array(0), 'image_empty'],
    [
      'non-image',
      new TextEncoder().encode('%PDF-1.7 definitely not a picture'),
      'image_unsupported',
    ],
    ['truncated JPEG', jpg.subarray(0, jpg.length >> 1), 'image_truncated'],
    ['JPEG header only', jpg.subarray(0, 200), 'image_truncated'],
    ['huge JPEG (65000×65000 in its header)', withSof0Size(jpg, 65000, 65000), 'image_too_large'],
  ] as const)('%s → %s', async (_name, input, code) => {
    const err = await decodeImage(input).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ModelError);
    expect((err as ModelError).code).toBe(code);
  });

  it('reports a corrupt JPEG as image_corrupt', async () => {
    const b = new Uint8Array(jpg);
    for (let i = 2000; i < 20000; i++) b[i] = (i * 7) & 0xff;
    await expect(decodeImage(b)).rejects.toMatchObject({ code: 'image_corrupt' });
  });

  it('enforces the byte and pixel limits', async () => {
    await expect(decodeImage(jpg, { maxBytes: 1000 })).rejects.toMatchObject({
      code: 'image_too_large',
    });
    await expect(decodeImage(jpg, { maxPixels: 1000 })).rejects.toMatchObject({
      code: 'image_too_large',
    });
  });

  it('rejects a non-Uint8Array synchronously-typed input with TypeError', async () => {
    await expect(decodeImage('nope' as unknown as Uint8Array)).rejects.toBeInstanceOf(TypeError);
  });

  it('never fails with anything but a ModelError on hostile bytes (fuzz)', async () => {
    const head = jpg.subarray(0, 4096);
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ minLength: 0, maxLength: 600 }),
        fc.boolean(),
        async (bytes, prefixJpeg) => {
          const input = prefixJpeg ? new Uint8Array([...head.subarray(0, 300), ...bytes]) : bytes;
          const result = await decodeImage(input).then(
            (f) => f,
            (e: unknown) => e,
          );
          if (result instanceof Error) expect(result).toBeInstanceOf(ModelError);
          else assertRgbFrame(result as RgbFrame);
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('assertRgbFrame', () => {
  it('rejects wrong lengths and sizes with image_invalid_frame', () => {
    expect(() => assertRgbFrame({ width: 2, height: 2, data: new Uint8Array(11) })).toThrow(
      expect.objectContaining({ code: 'image_invalid_frame' }) as Error,
    );
    expect(() => assertRgbFrame({ width: 0, height: 2, data: new Uint8Array(0) })).toThrow(
      ModelError,
    );
    expect(() => assertRgbFrame({ width: 1.5, height: 2, data: new Uint8Array(9) })).toThrow(
      ModelError,
    );
  });
});
