import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import sharp from 'sharp';
import type { RgbFrame } from '../face/Face.js';
import { decodeImage } from '../image/decodeImage.js';
import { installModels } from '../install/installModels.js';

const require = createRequire(import.meta.url);

/** The group photos shipped in @vladmandic/face-api's demo/ (a dev dependency). */
export function samplePath(n: 1 | 2 | 3 | 4 | 5 | 6): string {
  return join(dirname(require.resolve('@vladmandic/face-api/package.json')), 'demo', `sample${n}.jpg`);
}

/** Faces a person counts in each sample photo. */
export const SAMPLE_FACE_COUNTS = { 1: 3, 2: 3, 3: 3, 4: 4, 5: 5, 6: 4 } as const;

export function sampleBytes(n: 1 | 2 | 3 | 4 | 5 | 6): Buffer {
  return readFileSync(samplePath(n));
}

export async function sampleFrame(n: 1 | 2 | 3 | 4 | 5 | 6): Promise<RgbFrame> {
  return decodeImage(sampleBytes(n));
}

/** Make sure the models are installed (a no-op hash check when they are). */
export async function ensureModels(): Promise<string> {
  return (await installModels()).modelsDir;
}

/** Mirror a frame left–right. */
export function mirror(frame: RgbFrame): RgbFrame {
  const { width, height, data } = frame;
  const out = new Uint8Array(data.length);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const s = (y * width + x) * 3;
      const d = (y * width + (width - 1 - x)) * 3;
      out[d] = data[s] as number;
      out[d + 1] = data[s + 1] as number;
      out[d + 2] = data[s + 2] as number;
    }
  }
  return { width, height, data: out };
}

/** Crop a region of a frame into a new frame (through sharp), optionally resized. */
export async function cropFrame(frame: RgbFrame, rect: { x: number; y: number; width: number; height: number }, resizeTo?: { width: number; height: number }): Promise<RgbFrame> {
  let img = sharp(frame.data, { raw: { width: frame.width, height: frame.height, channels: 3 } }).extract({ left: rect.x, top: rect.y, width: rect.width, height: rect.height });
  if (resizeTo !== undefined) img = img.resize(resizeTo.width, resizeTo.height, { fit: 'fill' });
  const { data, info } = await img.raw().toBuffer({ resolveWithObject: true });
  return { data: new Uint8Array(data), width: info.width, height: info.height };
}
