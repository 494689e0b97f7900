import type { Face, FaceQuality, QualityCode, RgbFrame } from '../face/Face.js';
import { resizeMapping, sampleToTensor } from '../tensor/sampleToTensor.js';

/** Thresholds of {@link measureQuality}; a measure outside its threshold adds its code. */
export interface QualityThresholds {
  /** `face_too_small` below this box width ÷ frame width. */
  readonly minFaceSize: number;
  /** `face_too_large` above this box width ÷ frame width. */
  readonly maxFaceSize: number;
  /** `face_off_centre` above this centre offset (0 centre … 1 corner). */
  readonly maxCentreOffset: number;
  /** `face_cut_off` above this fraction of the box outside the frame. */
  readonly maxOutsideFraction: number;
  /** `yaw_out_of_range` / `pitch_out_of_range` / `roll_out_of_range` above these |degrees|. */
  readonly maxYaw: number;
  readonly maxPitch: number;
  readonly maxRoll: number;
  /** `face_blurry` below this variance of the Laplacian (112×112 gray face). */
  readonly minSharpness: number;
  /** `face_too_dark` below / `face_too_bright` above this mean gray level. */
  readonly minBrightness: number;
  readonly maxBrightness: number;
}

/** Default thresholds (see models/README.md, “Quality measures”, for how they were set). */
export const QUALITY_DEFAULTS: QualityThresholds = {
  minFaceSize: 0.15,
  maxFaceSize: 0.8,
  maxCentreOffset: 0.35,
  maxOutsideFraction: 0.05,
  maxYaw: 15,
  maxPitch: 15,
  maxRoll: 15,
  minSharpness: 40,
  minBrightness: 60,
  maxBrightness: 210,
};

const SHARPNESS_SIZE = 112;

/** Variance of the 4-neighbour Laplacian over the interior of a gray image. */
export function laplacianVariance(gray: Float32Array, width: number, height: number): number {
  let sum = 0;
  let sumSq = 0;
  let n = 0;
  for (let y = 1; y < height - 1; y++) {
    for (let x = 1; x < width - 1; x++) {
      const i = y * width + x;
      const l =
        (gray[i - 1] as number) +
        (gray[i + 1] as number) +
        (gray[i - width] as number) +
        (gray[i + width] as number) -
        4 * (gray[i] as number);
      sum += l;
      sumSq += l * l;
      n++;
    }
  }
  if (n === 0) return 0;
  const m = sum / n;
  return sumSq / n - m * m;
}

/**
 * Quality measures of a face for guidance: size, centring, how much is cut off, pose (when the
 * face has one), sharpness (variance of the Laplacian of the face, gray, 112×112) and exposure
 * (mean gray of the box's central 60 %). Pure arithmetic on the frame; no model.
 */
export function measureQuality(
  frame: RgbFrame,
  face: Face,
  thresholds: QualityThresholds = QUALITY_DEFAULTS,
): FaceQuality {
  const { box } = face;
  const bw = Math.max(1, box.x2 - box.x1);
  const bh = Math.max(1, box.y2 - box.y1);
  const faceSize = bw / frame.width;
  const cx = (box.x1 + box.x2) / 2 - frame.width / 2;
  const cy = (box.y1 + box.y2) / 2 - frame.height / 2;
  const centreOffset = Math.hypot(cx, cy) / (Math.hypot(frame.width, frame.height) / 2);
  const iw = Math.max(0, Math.min(box.x2, frame.width) - Math.max(box.x1, 0));
  const ih = Math.max(0, Math.min(box.y2, frame.height) - Math.max(box.y1, 0));
  const outsideFraction = 1 - (iw * ih) / (bw * bh);

  const x = Math.max(0, Math.trunc(box.x1));
  const y = Math.max(0, Math.trunc(box.y1));
  const rect = {
    x: Math.min(x, frame.width - 1),
    y: Math.min(y, frame.height - 1),
    width: Math.max(1, Math.min(Math.ceil(box.x2), frame.width) - Math.min(x, frame.width - 1)),
    height: Math.max(1, Math.min(Math.ceil(box.y2), frame.height) - Math.min(y, frame.height - 1)),
  };
  const gray = sampleToTensor(
    frame,
    resizeMapping(rect, SHARPNESS_SIZE, SHARPNESS_SIZE),
    SHARPNESS_SIZE,
    SHARPNESS_SIZE,
    'gray',
    { scale: 1, mean: [0], std: [1] },
    { kind: 'clamp', rect },
  );
  const sharpness = laplacianVariance(gray, SHARPNESS_SIZE, SHARPNESS_SIZE);
  let total = 0;
  let count = 0;
  const lo = Math.round(SHARPNESS_SIZE * 0.2);
  const hi = Math.round(SHARPNESS_SIZE * 0.8);
  for (let yy = lo; yy < hi; yy++) {
    for (let xx = lo; xx < hi; xx++) {
      total += gray[yy * SHARPNESS_SIZE + xx] as number;
      count++;
    }
  }
  const brightness = total / count;

  const t = thresholds;
  const codes: QualityCode[] = [];
  if (faceSize < t.minFaceSize) codes.push('face_too_small');
  if (faceSize > t.maxFaceSize) codes.push('face_too_large');
  if (centreOffset > t.maxCentreOffset) codes.push('face_off_centre');
  if (outsideFraction > t.maxOutsideFraction) codes.push('face_cut_off');
  if (face.pose !== undefined) {
    if (Math.abs(face.pose.yaw) > t.maxYaw) codes.push('yaw_out_of_range');
    if (Math.abs(face.pose.pitch) > t.maxPitch) codes.push('pitch_out_of_range');
    if (Math.abs(face.pose.roll) > t.maxRoll) codes.push('roll_out_of_range');
  }
  if (sharpness < t.minSharpness) codes.push('face_blurry');
  if (brightness < t.minBrightness) codes.push('face_too_dark');
  if (brightness > t.maxBrightness) codes.push('face_too_bright');
  return { faceSize, centreOffset, outsideFraction, sharpness, brightness, codes };
}
