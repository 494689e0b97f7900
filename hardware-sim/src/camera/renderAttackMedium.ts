import type { SimRandom } from './createRandom.js';
import { FRONTAL_POSE, renderHead } from './renderHead.js';
import { cloneRgbImage, createRgbImage, sampleBilinear, type RgbImage } from './RgbImage.js';
import type { SimFace } from './SimFace.js';

/** A flat presentation-attack instrument: a print or a phone screen showing the victim's photo. */
export interface AttackMedium {
  readonly kind: 'print' | 'screen';
  /** The medium as seen head-on, including paper margin or screen bezel. */
  readonly image: RgbImage;
  /** Where the medium's centre sits in the frame when held frontally (frame pixels). */
  readonly centre: readonly [number, number];
}

/**
 * The victim as the attacker's photo shows them: looking straight at the lens. The sample photo
 * itself may be taken slightly from above or aside (the live render corrects that with
 * `frontalOffset`); an attacker would print a frontal picture, so the medium shows the head
 * rendered at the pose the models read as frontal.
 */
function frontalPicture(face: SimFace): RgbImage {
  const out = cloneRgbImage(face.scene);
  renderHead(
    face.mesh,
    face.eyes.open,
    { ...FRONTAL_POSE, yawDeg: face.frontalOffset.yawDeg, pitchDeg: face.frontalOffset.pitchDeg },
    out,
  );
  return out;
}

/**
 * Make the medium for `face`: a frontal picture of the head (see {@link frontalPicture}) cropped
 * around it, printed (lower contrast, warm paper, halftone dots, grain, white margin) or shown
 * on a phone (black bezel, blue cast, raised black level, moiré from the pixel grid).
 */
export function createAttackMedium(
  face: SimFace,
  kind: 'print' | 'screen',
  random: SimRandom,
): AttackMedium {
  const picture = frontalPicture(face);
  const e = face.mesh.ellipse;
  const cropW = Math.round(e.a * 2.6);
  const cropH = Math.round(kind === 'screen' ? cropW * 1.6 : e.b * 2.5);
  const margin = Math.round(cropW * (kind === 'screen' ? 0.07 : 0.06));
  const W = cropW + 2 * margin;
  const H = cropH + 2 * margin;
  const image = createRgbImage(W, H);
  const ox = e.cx - cropW / 2;
  const oy = e.cy - cropH / 2 + e.b * 0.1;
  const phase = random.between(0, 10);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const o = (y * W + x) * 3;
      const u = x - margin;
      const v = y - margin;
      const inContent = u >= 0 && v >= 0 && u < cropW && v < cropH;
      if (!inContent) {
        const fill = kind === 'print' ? [238, 236, 230] : [18, 18, 20];
        for (let c = 0; c < 3; c++)
          image.data[o + c] = fill[c]! + random.gaussian(kind === 'print' ? 2 : 1);
        continue;
      }
      const rgb = [0, 1, 2].map((c) => sampleBilinear(picture, ox + u, oy + v, c));
      const grey = (rgb[0]! + rgb[1]! + rgb[2]!) / 3;
      for (let c = 0; c < 3; c++) {
        let value: number;
        if (kind === 'print') {
          const sat = grey + (rgb[c]! - grey) * 0.8;
          const halftone = 7 * Math.cos((x + y) * 1.4) * Math.cos((x - y) * 1.4);
          value =
            sat * 0.82 + 22 + (c === 0 ? 6 : c === 2 ? -5 : 0) + halftone + random.gaussian(3);
        } else {
          const moire =
            9 *
            Math.sin(2 * Math.PI * (0.21 * x + 0.037 * y) + phase) *
            Math.sin(2 * Math.PI * (0.19 * x - 0.05 * y));
          value = rgb[c]! * 0.88 + 14 + (c === 0 ? -6 : c === 2 ? 9 : 0) + moire;
        }
        image.data[o + c] = value < 0 ? 0 : value > 255 ? 255 : value;
      }
    }
  }
  return { kind, image, centre: [e.cx, oy + cropH / 2] };
}

/** The pose of a held medium: angles (fr_pose convention) and a 2-D offset. */
export interface MediumPose {
  readonly yawDeg: number;
  readonly pitchDeg: number;
  readonly rollDeg: number;
  readonly dx: number;
  readonly dy: number;
}

/**
 * Render `medium` held in `pose` into `target` with a pinhole camera (focal length 700 px):
 * a plane rotated in 3-D, so every point moves by one homography. A screen also gets a glare
 * spot that moves with it.
 */
export function renderAttackMedium(medium: AttackMedium, pose: MediumPose, target: RgbImage): void {
  const f = 700;
  const { width: W, height: H } = target;
  const img = medium.image;
  const th = (-pose.yawDeg * Math.PI) / 180;
  const ph = (pose.pitchDeg * Math.PI) / 180;
  const ps = (pose.rollDeg * Math.PI) / 180;
  // R = Rroll · Rpitch · Ryaw, applied to plane-local (U, V, 0).
  const cy = Math.cos(th),
    sy = Math.sin(th),
    cp = Math.cos(ph),
    sp = Math.sin(ph),
    cr = Math.cos(ps),
    sr = Math.sin(ps);
  const ry = [cy, 0, sy, 0, 1, 0, -sy, 0, cy];
  const rp = [1, 0, 0, 0, cp, -sp, 0, sp, cp];
  const rr = [cr, -sr, 0, sr, cr, 0, 0, 0, 1];
  const R = mul(rr, mul(rp, ry));
  const ccx = W / 2;
  const ccy = H / 2;
  const T = [((medium.centre[0] + pose.dx - ccx) * f) / f, medium.centre[1] + pose.dy - ccy, f];
  const n = [R[2]!, R[5]!, R[8]!];
  const nT = n[0]! * T[0]! + n[1]! * T[1]! + n[2]! * T[2]!;
  const mw = img.width;
  const mh = img.height;
  const glare = medium.kind === 'screen';
  // Only the bounding box of the projected medium can change.
  let minX = W;
  let minY = H;
  let maxX = -1;
  let maxY = -1;
  for (const [u, v] of [
    [-mw / 2, -mh / 2],
    [mw / 2, -mh / 2],
    [-mw / 2, mh / 2],
    [mw / 2, mh / 2],
  ] as const) {
    const X = R[0]! * u + R[1]! * v + T[0]!;
    const Y = R[3]! * u + R[4]! * v + T[1]!;
    const Z = R[6]! * u + R[7]! * v + T[2]!;
    if (Z <= 1) {
      minX = 0;
      minY = 0;
      maxX = W - 1;
      maxY = H - 1;
      break;
    }
    const x = (f * X) / Z + ccx;
    const y = (f * Y) / Z + ccy;
    minX = Math.min(minX, Math.max(0, Math.floor(x) - 1));
    maxX = Math.max(maxX, Math.min(W - 1, Math.ceil(x) + 1));
    minY = Math.min(minY, Math.max(0, Math.floor(y) - 1));
    maxY = Math.max(maxY, Math.min(H - 1, Math.ceil(y) + 1));
  }
  for (let y = minY; y <= maxY; y++) {
    for (let x = minX; x <= maxX; x++) {
      const dx = (x - ccx) / f;
      const dy = (y - ccy) / f;
      const nd = n[0]! * dx + n[1]! * dy + n[2]!;
      if (Math.abs(nd) < 1e-9) continue;
      const t = nT / nd;
      if (t <= 0) continue;
      const px = t * dx - T[0]!;
      const py = t * dy - T[1]!;
      const pz = t - T[2]!;
      // local = Rᵀ (P − T)
      const U = R[0]! * px + R[3]! * py + R[6]! * pz;
      const V = R[1]! * px + R[4]! * py + R[7]! * pz;
      const u = U + mw / 2;
      const v = V + mh / 2;
      if (u < 0 || v < 0 || u > mw - 1 || v > mh - 1) continue;
      const o = (y * W + x) * 3;
      let boost = 0;
      if (glare) {
        const g = ((u - mw * 0.7) / (mw * 0.28)) ** 2 + ((v - mh * 0.25) / (mh * 0.16)) ** 2;
        boost = g < 1 ? 70 * (1 - g) : 0;
      }
      for (let c = 0; c < 3; c++) {
        const value = sampleBilinear(img, u, v, c) + boost;
        target.data[o + c] = value > 255 ? 255 : value;
      }
    }
  }
}

function mul(a: readonly number[], b: readonly number[]): number[] {
  const out = new Array<number>(9).fill(0);
  for (let i = 0; i < 3; i++)
    for (let j = 0; j < 3; j++)
      for (let k = 0; k < 3; k++) out[i * 3 + j]! += a[i * 3 + k]! * b[k * 3 + j]!;
  return out;
}
