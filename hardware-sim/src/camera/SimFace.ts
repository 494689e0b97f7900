import { buildHeadMesh, type HeadMesh } from './HeadMesh.js';
import { closeEyes } from './closeEyes.js';
import type { Point2 } from './Point2.js';
import { cloneRgbImage, type RgbImage } from './RgbImage.js';
import { FRONTAL_POSE, renderHead } from './renderHead.js';
import { SimCameraError } from './SimCameraError.js';

/**
 * What the simulator needs to know about a frontal photo: 68 landmarks (iBUG order) and the
 * head pose a pose model reads on it (so the simulator can present the face truly frontal).
 * Supplied by {@link FaceLandmarker}; `@kycd/models`' FaceAnalysis is the real one.
 */
export interface PhotoLandmarks {
  readonly landmarks: readonly Point2[];
  readonly yawDeg: number;
  readonly pitchDeg: number;
}

/** Finds the largest face of an image; `undefined` when there is none. */
export type FaceLandmarker = (image: RgbImage) => Promise<PhotoLandmarks | undefined>;

/**
 * A photo made ready to animate: the scene, its head mesh and its eyelid textures. Build one
 * with {@link prepareSimFace}; it is immutable and can be shared by many simulated sessions.
 */
export interface SimFace {
  /** Identifies the person (e.g. the sample photo id). */
  readonly id: string;
  readonly scene: RgbImage;
  readonly landmarks: readonly Point2[];
  readonly mesh: HeadMesh;
  /** Textures: eyes open, half closed, closed. */
  readonly eyes: { readonly open: RgbImage; readonly half: RgbImage; readonly closed: RgbImage };
  /** Pose the landmarker read on the photo as it is. */
  readonly baseYawDeg: number;
  readonly basePitchDeg: number;
  /**
   * Mesh rotation that the landmarker reads as frontal (yaw and pitch near 0), found by
   * iterating render → read at preparation; added to every rendered pose.
   */
  readonly frontalOffset: { readonly yawDeg: number; readonly pitchDeg: number };
}

/**
 * Prepare a frontal photo scene (see `loadSampleFacePhoto`) for the simulated camera.
 * Rejects with `sim_photo_no_face` when the landmarker finds no face.
 */
export async function prepareSimFace(
  id: string,
  scene: RgbImage,
  landmarker: FaceLandmarker,
): Promise<SimFace> {
  const found = await landmarker(scene);
  if (found === undefined)
    throw new SimCameraError('sim_photo_no_face', `no face found in photo "${id}"`);
  const mesh = buildHeadMesh(found.landmarks);
  const frontalOffset = await calibrateFrontal(scene, mesh, found, landmarker);
  return {
    id,
    scene,
    landmarks: found.landmarks,
    mesh,
    eyes: {
      open: scene,
      half: closeEyes(scene, found.landmarks, 0.5),
      closed: closeEyes(scene, found.landmarks, 1),
    },
    baseYawDeg: found.yawDeg,
    basePitchDeg: found.pitchDeg,
    frontalOffset,
  };
}

async function calibrateFrontal(
  scene: RgbImage,
  mesh: HeadMesh,
  found: PhotoLandmarks,
  landmarker: FaceLandmarker,
): Promise<{ yawDeg: number; pitchDeg: number }> {
  let yaw = -found.yawDeg;
  let pitch = -found.pitchDeg;
  let best = {
    yawDeg: 0,
    pitchDeg: 0,
    miss: Math.abs(found.yawDeg) + 0.5 * Math.abs(found.pitchDeg),
  };
  for (let i = 0; i < 5; i++) {
    const out = cloneRgbImage(scene);
    renderHead(mesh, scene, { ...FRONTAL_POSE, yawDeg: yaw, pitchDeg: pitch }, out);
    const read = await landmarker(out);
    if (read === undefined) break;
    const miss = Math.abs(read.yawDeg) + 0.5 * Math.abs(read.pitchDeg);
    if (miss < best.miss) best = { yawDeg: yaw, pitchDeg: pitch, miss };
    if (Math.abs(read.yawDeg) <= 3 && Math.abs(read.pitchDeg) <= 6) break;
    yaw -= 0.7 * read.yawDeg;
    pitch -= 0.7 * read.pitchDeg;
  }
  return { yawDeg: best.yawDeg, pitchDeg: best.pitchDeg };
}
