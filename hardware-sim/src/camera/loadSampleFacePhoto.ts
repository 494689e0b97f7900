import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import sharp from 'sharp';
import { composeScene, type SceneLayout } from './composeScene.js';
import type { RgbImage } from './RgbImage.js';
import { SAMPLE_FACE_PHOTOS, type SampleFacePhoto } from './SAMPLE_FACE_PHOTOS.js';
import { SimCameraError } from './SimCameraError.js';

const decoded = new Map<string, Promise<RgbImage>>();

/** Decode a JPEG/PNG file to RGB (cached per path). */
export function decodeImageFile(path: string): Promise<RgbImage> {
  let image = decoded.get(path);
  if (image === undefined) {
    image = sharp(path)
      .removeAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true })
      .then(({ data, info }) => ({
        data: new Uint8Array(data.buffer, data.byteOffset, data.length),
        width: info.width,
        height: info.height,
      }));
    decoded.set(path, image);
  }
  return image;
}

/** Folder of the sample photos inside the installed `@vladmandic/face-api` package. */
export function samplePhotoDir(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('@vladmandic/face-api/package.json')), 'demo');
}

/**
 * Load one face of {@link SAMPLE_FACE_PHOTOS} as a 640×480 webcam-like scene: the head levelled
 * and scaled to a ≈ 190 px face box in the middle of the frame, everything but the head and
 * shoulders replaced by a plain synthetic wall (so no other face of the group photo shows).
 */
export async function loadSampleFacePhoto(
  id: string,
  layout: Partial<SceneLayout> = {},
): Promise<RgbImage> {
  const entry: SampleFacePhoto | undefined = SAMPLE_FACE_PHOTOS.find((p) => p.id === id);
  if (entry === undefined) {
    throw new SimCameraError(
      'sim_photo_unknown',
      `no sample face photo "${id}" (known: ${SAMPLE_FACE_PHOTOS.map((p) => p.id).join(', ')})`,
    );
  }
  const photo = await decodeImageFile(join(samplePhotoDir(), entry.file));
  return composeScene(
    photo,
    { eyesMid: entry.eyesMid, interocular: entry.interocular, eyeLineDeg: entry.eyeLineDeg },
    layout,
  );
}
