import Delaunator from 'delaunator';
import {
  GENERIC_FACE_DEPTH_68,
  GENERIC_INTEROCULAR_MM,
  GENERIC_SILHOUETTE_DEPTH_MM,
} from './GENERIC_FACE_DEPTH_68.js';
import { LEFT_EYE_68, meanPoint, RIGHT_EYE_68, type Point2 } from './Point2.js';

/**
 * A triangulated 3-D head built once from a frontal photo's 68 landmarks: the landmarks with a
 * generic face depth, forehead, hair and cheek points on a head-shaped ellipsoid, and a fixed
 * outer ring of background at {@link OUTER_RING_SCALE}× the ellipsoid that stretches as the
 * head turns. Coordinates are the photo's pixels; `z` grows towards the camera.
 */
export interface HeadMesh {
  /** Vertex positions in the frontal photo (the texture coordinates), x,y pairs. */
  readonly source: Float64Array;
  /** Vertex positions in 3-D relative to {@link HeadMesh.centre}, x,y,z triples. */
  readonly model: Float64Array;
  /** Vertex count. */
  readonly vertexCount: number;
  /** Triangles as vertex index triples. */
  readonly triangles: Uint32Array;
  /** Per vertex: 1 when it belongs to the fixed outer ring (never moves). */
  readonly fixed: Uint8Array;
  /** Rotation centre (x, y in photo pixels, z in the depth scale of {@link HeadMesh.model}). */
  readonly centre: readonly [number, number, number];
  /** Eye-centre distance in the photo, pixels. */
  readonly interocular: number;
  /** The head ellipse in the photo (centre, semi-axes), pixels. */
  readonly ellipse: {
    readonly cx: number;
    readonly cy: number;
    readonly a: number;
    readonly b: number;
  };
}

/** Scale of the fixed background ring relative to the head ellipsoid. */
export const OUTER_RING_SCALE = 1.12;

/** Options of {@link buildHeadMesh}. */
export interface HeadMeshOptions {
  /** Multiplies the generic depth; default 1.1 (fr_pose then reads about 1.0–1.3× the rendered yaw). */
  readonly depthScale?: number;
}

/**
 * Build the {@link HeadMesh} of a frontal face from its 68 landmarks (iBUG order, photo pixels).
 */
export function buildHeadMesh(
  landmarks: readonly Point2[],
  options: HeadMeshOptions = {},
): HeadMesh {
  if (landmarks.length !== 68)
    throw new RangeError(`expected 68 landmarks, got ${landmarks.length}`);
  const depthScale = options.depthScale ?? 1.1;
  const rightEye = meanPoint(landmarks, RIGHT_EYE_68);
  const leftEye = meanPoint(landmarks, LEFT_EYE_68);
  const interocular = Math.hypot(leftEye[0] - rightEye[0], leftEye[1] - rightEye[1]);
  if (!(interocular > 4)) throw new RangeError('landmarks are degenerate (eyes coincide)');
  const mm = (interocular / GENERIC_INTEROCULAR_MM) * depthScale;
  const eyeY = (rightEye[1] + leftEye[1]) / 2;
  const jawL = landmarks[0]!;
  const jawR = landmarks[16]!;
  const chin = landmarks[8]!;
  const cx = (jawL[0] + jawR[0]) / 2;
  const a = (Math.abs(jawR[0] - jawL[0]) / 2) * 1.06;
  const top = eyeY - (chin[1] - eyeY) * 1.1;
  const cy = (top + chin[1]) / 2;
  const b = ((chin[1] - top) / 2) * 1.02;
  const zs = GENERIC_SILHOUETTE_DEPTH_MM * mm;
  const c = a * 0.9;
  const ellipsoidZ = (x: number, y: number): number => {
    const r2 = ((x - cx) / a) ** 2 + ((y - cy) / b) ** 2;
    return zs + c * Math.sqrt(Math.max(0, 1 - r2));
  };

  const src: number[] = [];
  const z: number[] = [];
  const fixed: number[] = [];
  const add = (x: number, y: number, depth: number, isFixed: boolean): void => {
    src.push(x, y);
    z.push(depth);
    fixed.push(isFixed ? 1 : 0);
  };
  landmarks.forEach((p, i) => add(p[0], p[1], GENERIC_FACE_DEPTH_68[i]! * mm, false));
  const nearLandmark = (x: number, y: number, min: number): boolean =>
    landmarks.some((p) => Math.hypot(p[0] - x, p[1] - y) < min);
  // Forehead and hair: two inner rings over the upper half of the ellipsoid.
  for (const r of [0.5, 0.8]) {
    for (let k = 0; k <= 8; k++) {
      const t = Math.PI + (k / 8) * Math.PI;
      const x = cx + r * a * Math.cos(t);
      const y = cy + r * b * Math.sin(t);
      if (y > eyeY - 0.25 * interocular || nearLandmark(x, y, 0.22 * interocular)) continue;
      add(x, y, ellipsoidZ(x, y), false);
    }
  }
  // Cheeks: between the jaw line and the nose / mouth corners.
  for (const [j, k] of [
    [2, 31],
    [4, 48],
    [14, 35],
    [12, 54],
    [1, 36],
    [15, 45],
  ] as const) {
    const x = (landmarks[j]![0] + landmarks[k]![0]) / 2;
    const y = (landmarks[j]![1] + landmarks[k]![1]) / 2;
    add(x, y, Math.min(ellipsoidZ(x, y), -20 * mm), false);
  }
  // Silhouette on the ellipsoid's rim, and the fixed background ring outside it.
  const rim = 28;
  for (let k = 0; k < rim; k++) {
    const t = (k / rim) * 2 * Math.PI;
    const x = cx + a * Math.cos(t);
    const y = cy + b * Math.sin(t);
    if (!nearLandmark(x, y, 0.2 * interocular)) add(x, y, zs, false);
    add(cx + OUTER_RING_SCALE * a * Math.cos(t), cy + OUTER_RING_SCALE * b * Math.sin(t), zs, true);
  }

  const vertexCount = z.length;
  const source = Float64Array.from(src);
  const model = new Float64Array(vertexCount * 3);
  for (let i = 0; i < vertexCount; i++) {
    model[i * 3] = source[i * 2]! - cx;
    model[i * 3 + 1] = source[i * 2 + 1]! - cy;
    model[i * 3 + 2] = z[i]! - zs;
  }
  const triangles = new Delaunator(source).triangles;
  return {
    source,
    model,
    vertexCount,
    triangles: Uint32Array.from(triangles),
    fixed: Uint8Array.from(fixed),
    centre: [cx, cy, zs],
    interocular,
    ellipse: { cx, cy, a, b },
  };
}
