import { createRgbImage, sampleBilinear, type RgbImage } from './RgbImage.js';

/** Where a face sits in a photo: eye-centre midpoint, eye distance and eye-line angle. */
export interface FacePlacement {
  readonly eyesMid: readonly [number, number];
  readonly interocular: number;
  /** Angle of the line from the right eye (image left) to the left eye, degrees clockwise. */
  readonly eyeLineDeg: number;
}

/** Layout of a composed scene. */
export interface SceneLayout {
  readonly width: number;
  readonly height: number;
  /** Where the eye midpoint lands in the scene. */
  readonly eyesAt: readonly [number, number];
  /** Eye distance in the scene, pixels (88 gives a face box of about 190 px). */
  readonly interocular: number;
  /** Wall colour of the synthetic background (RGB). */
  readonly wall: readonly [number, number, number];
}

/** Default {@link SceneLayout}: 640×480, face in the middle. */
export const DEFAULT_SCENE_LAYOUT: SceneLayout = {
  width: 640,
  height: 480,
  eyesAt: [320, 205],
  interocular: 88,
  wall: [168, 176, 182],
};

/**
 * Render a webcam-like scene from a photo: the face levelled and scaled into place, the head
 * (an ellipse around it) and the shoulders kept with a feathered edge, the rest a synthetic wall
 * with a soft vertical light gradient.
 */
export function composeScene(
  photo: RgbImage,
  face: FacePlacement,
  layout: Partial<SceneLayout> = {},
): RgbImage {
  const L: SceneLayout = { ...DEFAULT_SCENE_LAYOUT, ...layout };
  if (!(face.interocular > 4)) throw new RangeError('face interocular distance must be > 4 px');
  const scene = createRgbImage(L.width, L.height);
  const s = face.interocular / L.interocular; // scene px → photo px
  const t = (face.eyeLineDeg * Math.PI) / 180;
  const cos = Math.cos(t) * s;
  const sin = Math.sin(t) * s;
  const iod = L.interocular;
  const hx = L.eyesAt[0];
  const hy = L.eyesAt[1] + 0.3 * iod;
  const ha = 1.3 * iod;
  const hb = 1.8 * iod;
  const feather = 0.14 * iod;
  for (let y = 0; y < L.height; y++) {
    const light = 1.08 - 0.22 * (y / L.height);
    for (let x = 0; x < L.width; x++) {
      // Head ellipse (feathered) or shoulders below the chin.
      const r = Math.sqrt(((x - hx) / ha) ** 2 + ((y - hy) / hb) ** 2);
      let alpha = r < 1 ? 1 : r < 1 + feather / ha ? 1 - (r - 1) / (feather / ha) : 0;
      const below = y - (L.eyesAt[1] + 1.6 * iod);
      if (below > 0) {
        const half = 0.75 * iod + below * 1.6;
        const d = Math.abs(x - hx) - half;
        alpha = Math.max(alpha, d < 0 ? 1 : d < feather ? 1 - d / feather : 0);
      }
      const o = (y * L.width + x) * 3;
      const dx = x - L.eyesAt[0];
      const dy = y - L.eyesAt[1];
      const px = face.eyesMid[0] + dx * cos - dy * sin;
      const py = face.eyesMid[1] + dx * sin + dy * cos;
      const inside = px >= 0 && py >= 0 && px <= photo.width - 1 && py <= photo.height - 1;
      if (!inside) alpha = 0;
      for (let c = 0; c < 3; c++) {
        const wall = L.wall[c]! * light;
        const v = alpha > 0 ? sampleBilinear(photo, px, py, c) : 0;
        scene.data[o + c] = wall * (1 - alpha) + v * alpha + 0.5;
      }
    }
  }
  return scene;
}

/** The empty synthetic wall of a {@link SceneLayout} (what the camera sees with nobody there). */
export function createWall(layout: Partial<SceneLayout> = {}): RgbImage {
  const L: SceneLayout = { ...DEFAULT_SCENE_LAYOUT, ...layout };
  const wall = createRgbImage(L.width, L.height);
  for (let y = 0; y < L.height; y++) {
    const light = 1.08 - 0.22 * (y / L.height);
    for (let x = 0; x < L.width; x++) {
      const o = (y * L.width + x) * 3;
      for (let c = 0; c < 3; c++) wall.data[o + c] = L.wall[c]! * light + 0.5;
    }
  }
  return wall;
}
