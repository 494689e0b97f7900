import type { FaceAnalysis } from '@kycd/models';
import { loadSampleFacePhoto } from '@kycd/hardware-sim';
import sharp from 'sharp';

/**
 * A passport-style portrait (JPEG, 3:4) of a built-in sample person, cropped from the same
 * photo the virtual camera animates: the simulator's chip photo and live face are one person.
 */
export async function samplePortraitJpeg(photoId: string, analysis: FaceAnalysis): Promise<{ jpeg: Uint8Array; width: number; height: number }> {
  const scene = await loadSampleFacePhoto(photoId);
  const faces = await analysis.detect({ data: scene.data, width: scene.width, height: scene.height });
  const face = [...faces].sort((a, b) => b.score - a.score)[0];
  if (face === undefined) throw new RangeError(`sample photo ${photoId} shows no face`);
  const { x1, y1, x2, y2 } = face.box;
  const cx = (x1 + x2) / 2;
  const cy = (y1 + y2) / 2;
  const w = Math.min(scene.width, (x2 - x1) * 1.8);
  const h = Math.min(scene.height, w * (4 / 3));
  const left = Math.max(0, Math.min(scene.width - w, cx - w / 2));
  const top = Math.max(0, Math.min(scene.height - h, cy - h * 0.45));
  const width = 240;
  const height = 320;
  const jpeg = await sharp(Buffer.from(scene.data.buffer, scene.data.byteOffset, scene.data.byteLength), {
    raw: { width: scene.width, height: scene.height, channels: 3 },
  })
    .extract({ left: Math.round(left), top: Math.round(top), width: Math.round(w), height: Math.round(h) })
    .resize(width, height)
    .jpeg({ quality: 90 })
    .toBuffer();
  return { jpeg: new Uint8Array(jpeg), width, height };
}
