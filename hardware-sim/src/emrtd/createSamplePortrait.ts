import sharp from 'sharp';
import { loadSampleFacePhoto } from '../camera/loadSampleFacePhoto.js';
import type { EmrtdPhoto } from './EmrtdHolder.js';
import { jpegPhoto } from './photo.js';

/** Options of {@link createSamplePortrait}. */
export interface SamplePortraitOptions {
  /** JPEG quality 1–100 (default 90). */
  readonly quality?: number;
}

/**
 * An ICAO-style passport portrait (360×480, eyes at 42 % height, 90 px between the eyes) of one
 * of the simulated camera's sample faces (a `SAMPLE_FACE_PHOTOS` id), as JPEG.
 * Put it in DG2 and present the same id to the simulated camera, and the live face matches the
 * chip photo — as for a real holder.
 */
export async function createSamplePortrait(
  facePhotoId: string,
  options: SamplePortraitOptions = {},
): Promise<EmrtdPhoto> {
  const scene = await loadSampleFacePhoto(facePhotoId, {
    width: 360,
    height: 480,
    eyesAt: [180, 200],
    interocular: 90,
  });
  const jpeg = await sharp(
    Buffer.from(scene.data.buffer, scene.data.byteOffset, scene.data.length),
    {
      raw: { width: scene.width, height: scene.height, channels: 3 },
    },
  )
    .jpeg({ quality: options.quality ?? 90 })
    .toBuffer();
  return jpegPhoto(new Uint8Array(jpeg));
}
