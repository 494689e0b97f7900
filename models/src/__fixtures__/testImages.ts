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
  return join(
    dirname(require.resolve('@vladmandic/face-api/package.json')),
    'demo',
    `sample${n}.jpg`,
  );
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
export async function cropFrame(
  frame: RgbFrame,
  rect: { x: number; y: number; width: number; height: number },
  resizeTo?: { width: number; height: number },
): Promise<RgbFrame> {
  let img = sharp(frame.data, {
    raw: { width: frame.width, height: frame.height, channels: 3 },
  }).extract({ left: rect.x, top: rect.y, width: rect.width, height: rect.height });
  if (resizeTo !== undefined) img = img.resize(resizeTo.width, resizeTo.height, { fit: 'fill' });
  const { data, info } = await img.raw().toBuffer({ resolveWithObject: true });
  return { data: new Uint8Array(data), width: info.width, height: info.height };
}

/**
 * A generated frame of `cols` × `rows` copies of the highest-scored face of `photo` (each 120 px
 * square on a 128 px grid, gray background): more faces than the detector keeps by default.
 */
export async function tiledFaces(photo: RgbFrame, cols: number, rows: number): Promise<RgbFrame> {
  const { Detector } = await import('../tasks/Detector.js');
  const { DEFAULT_MANIFEST } = await import('../manifest/DEFAULT_MANIFEST.js');
  const entry = DEFAULT_MANIFEST.models.find((m) => m.task === 'detection');
  if (entry === undefined) throw new Error('no detection model');
  const detector = await Detector.load(entry, { modelsDir: await ensureModels() });
  const [face] = await detector.run(photo);
  await detector.release();
  if (face === undefined) throw new Error('tiledFaces: no face in the photo');
  const { x1, y1, x2, y2 } = face.box;
  const w = x2 - x1;
  const h = y2 - y1;
  const left = Math.max(0, Math.round(x1 - w * 0.3));
  const top = Math.max(0, Math.round(y1 - h * 0.3));
  const cell = await cropFrame(
    photo,
    {
      x: left,
      y: top,
      width: Math.min(photo.width - left, Math.round(w * 1.6)),
      height: Math.min(photo.height - top, Math.round(h * 1.6)),
    },
    { width: 120, height: 120 },
  );
  const cellPng = await sharp(cell.data, { raw: { width: 120, height: 120, channels: 3 } })
    .png()
    .toBuffer();
  const { data, info } = await sharp({
    create: {
      width: cols * 128,
      height: rows * 128,
      channels: 3,
      background: { r: 128, g: 128, b: 128 },
    },
  })
    .composite(
      Array.from({ length: cols * rows }, (_, i) => ({
        input: cellPng,
        left: (i % cols) * 128 + 4,
        top: Math.floor(i / cols) * 128 + 4,
      })),
    )
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data: new Uint8Array(data), width: info.width, height: info.height };
}
