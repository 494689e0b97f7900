import type { HeadMesh } from './HeadMesh.js';
import type { RgbImage } from './RgbImage.js';

/**
 * Where the simulated head is: angles in fr_pose's convention on the raw (unmirrored) frame —
 * positive yaw moves the nose to image left (the person turned to their own right), positive
 * pitch lifts the nose, positive roll turns the face clockwise in the image — plus a 2-D offset
 * and scale of the whole head.
 */
export interface HeadPose {
  readonly yawDeg: number;
  readonly pitchDeg: number;
  readonly rollDeg: number;
  readonly dx: number;
  readonly dy: number;
  readonly scale: number;
}

/** The frontal pose: no rotation, no offset. */
export const FRONTAL_POSE: HeadPose = {
  yawDeg: 0,
  pitchDeg: 0,
  rollDeg: 0,
  dx: 0,
  dy: 0,
  scale: 1,
};

/**
 * Project the mesh's vertices for `pose`: returns x,y pairs in frame pixels and the rotated
 * depth of each vertex (for painter's order).
 */
export function projectHead(
  mesh: HeadMesh,
  pose: HeadPose,
): { points: Float64Array; depth: Float64Array } {
  const th = (-pose.yawDeg * Math.PI) / 180;
  const ph = (pose.pitchDeg * Math.PI) / 180;
  const ps = (pose.rollDeg * Math.PI) / 180;
  const [cy0, sy0, cp, sp, cr, sr] = [
    Math.cos(th),
    Math.sin(th),
    Math.cos(ph),
    Math.sin(ph),
    Math.cos(ps),
    Math.sin(ps),
  ];
  const n = mesh.vertexCount;
  const points = new Float64Array(n * 2);
  const depth = new Float64Array(n);
  const [cx, cy] = mesh.centre;
  for (let i = 0; i < n; i++) {
    if (mesh.fixed[i] === 1) {
      points[i * 2] = mesh.source[i * 2]!;
      points[i * 2 + 1] = mesh.source[i * 2 + 1]!;
      depth[i] = -Infinity;
      continue;
    }
    const x = mesh.model[i * 3]!;
    const y = mesh.model[i * 3 + 1]!;
    const z = mesh.model[i * 3 + 2]!;
    const x1 = x * cy0 + z * sy0;
    const z1 = -x * sy0 + z * cy0;
    const y2 = y * cp - z1 * sp;
    const z2 = y * sp + z1 * cp;
    const x3 = x1 * cr - y2 * sr;
    const y3 = x1 * sr + y2 * cr;
    points[i * 2] = cx + pose.dx + pose.scale * x3;
    points[i * 2 + 1] = cy + pose.dy + pose.scale * y3;
    depth[i] = z2;
  }
  return { points, depth };
}

/**
 * Render the head of `mesh` in `pose` into `target` (which already holds the background, i.e.
 * normally a copy of the frontal scene): triangles far-to-near, each warped affinely from
 * `texture` (the frontal scene, possibly with closed eyes). Back-facing triangles are skipped.
 */
export function renderHead(
  mesh: HeadMesh,
  texture: RgbImage,
  pose: HeadPose,
  target: RgbImage,
): void {
  const { points, depth } = projectHead(mesh, pose);
  const tris = mesh.triangles;
  const count = tris.length / 3;
  const order: { index: number; key: number }[] = [];
  for (let t = 0; t < count; t++) {
    const a = tris[t * 3]!;
    const b = tris[t * 3 + 1]!;
    const c = tris[t * 3 + 2]!;
    const ringTri = mesh.fixed[a] === 1 || mesh.fixed[b] === 1 || mesh.fixed[c] === 1;
    const meanDepth = ringTri ? -1e9 : (depth[a]! + depth[b]! + depth[c]!) / 3;
    order.push({ index: t, key: meanDepth });
  }
  order.sort((p, q) => p.key - q.key);
  for (const { index } of order) {
    const a = tris[index * 3]!;
    const b = tris[index * 3 + 1]!;
    const c = tris[index * 3 + 2]!;
    const srcArea = signedArea(mesh.source, a, b, c);
    const dstArea = signedArea(points, a, b, c);
    if (srcArea === 0 || Math.sign(srcArea) !== Math.sign(dstArea) || Math.abs(dstArea) < 1e-6)
      continue;
    warpTriangle(texture, mesh.source, points, a, b, c, target);
  }
}

function signedArea(p: Float64Array, a: number, b: number, c: number): number {
  return (
    (p[b * 2]! - p[a * 2]!) * (p[c * 2 + 1]! - p[a * 2 + 1]!) -
    (p[c * 2]! - p[a * 2]!) * (p[b * 2 + 1]! - p[a * 2 + 1]!)
  );
}

/** Fill destination triangle (a, b, c) of `dst` coordinates with the matching source triangle. */
function warpTriangle(
  texture: RgbImage,
  src: Float64Array,
  dst: Float64Array,
  a: number,
  b: number,
  c: number,
  target: RgbImage,
): void {
  const d0x = dst[a * 2]!;
  const d0y = dst[a * 2 + 1]!;
  const e1x = dst[b * 2]! - d0x;
  const e1y = dst[b * 2 + 1]! - d0y;
  const e2x = dst[c * 2]! - d0x;
  const e2y = dst[c * 2 + 1]! - d0y;
  const det = e1x * e2y - e2x * e1y;
  const s0x = src[a * 2]!;
  const s0y = src[a * 2 + 1]!;
  const f1x = src[b * 2]! - s0x;
  const f1y = src[b * 2 + 1]! - s0y;
  const f2x = src[c * 2]! - s0x;
  const f2y = src[c * 2 + 1]! - s0y;
  const W = target.width;
  const H = target.height;
  const minX = Math.max(0, Math.floor(Math.min(d0x, d0x + e1x, d0x + e2x)));
  const maxX = Math.min(W - 1, Math.ceil(Math.max(d0x, d0x + e1x, d0x + e2x)));
  const minY = Math.max(0, Math.floor(Math.min(d0y, d0y + e1y, d0y + e2y)));
  const maxY = Math.min(H - 1, Math.ceil(Math.max(d0y, d0y + e1y, d0y + e2y)));
  const eps = -1e-3;
  const tw = texture.width;
  const th = texture.height;
  const tex = texture.data;
  const out = target.data;
  for (let y = minY; y <= maxY; y++) {
    const py = y - d0y;
    for (let x = minX; x <= maxX; x++) {
      const px = x - d0x;
      const l1 = (px * e2y - e2x * py) / det;
      const l2 = (e1x * py - px * e1y) / det;
      if (l1 < eps || l2 < eps || l1 + l2 > 1 - eps) continue;
      let sx = s0x + l1 * f1x + l2 * f2x;
      let sy = s0y + l1 * f1y + l2 * f2y;
      sx = sx < 0 ? 0 : sx > tw - 1 ? tw - 1 : sx;
      sy = sy < 0 ? 0 : sy > th - 1 ? th - 1 : sy;
      const x0 = sx | 0;
      const y0 = sy | 0;
      const x1 = x0 + 1 < tw ? x0 + 1 : x0;
      const y1 = y0 + 1 < th ? y0 + 1 : y0;
      const fx = sx - x0;
      const fy = sy - y0;
      const i00 = (y0 * tw + x0) * 3;
      const i01 = (y0 * tw + x1) * 3;
      const i10 = (y1 * tw + x0) * 3;
      const i11 = (y1 * tw + x1) * 3;
      const o = (y * W + x) * 3;
      for (let ch = 0; ch < 3; ch++) {
        const top = tex[i00 + ch]! + (tex[i01 + ch]! - tex[i00 + ch]!) * fx;
        const bottom = tex[i10 + ch]! + (tex[i11 + ch]! - tex[i10 + ch]!) * fx;
        out[o + ch] = top + (bottom - top) * fy + 0.5;
      }
    }
  }
}
