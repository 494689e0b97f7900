import type { Box, Point } from './Face.js';
import type { Rect } from '../tensor/sampleToTensor.js';

/**
 * The reference code's "align" crop (faceplugin `alignLandmarkImage` / `alignLivenessImage`):
 * the box scaled by `scale` around its centre (scale reduced so the crop fits the frame),
 * shifted to stay inside the frame, truncated to integers.
 */
export function scaledBoxCrop(
  box: Box,
  frameWidth: number,
  frameHeight: number,
  scaleValue: number,
): Rect {
  const x = Math.trunc(box.x1);
  const y = Math.trunc(box.y1);
  const boxW = Math.max(1, Math.abs(Math.trunc(box.x2) - x));
  const boxH = Math.max(1, Math.abs(Math.trunc(box.y2) - y));
  const scale = Math.min((frameHeight - 1) / boxH, (frameWidth - 1) / boxW, scaleValue);
  const newW = boxW * scale;
  const newH = boxH * scale;
  const cx = boxW / 2 + x;
  const cy = boxH / 2 + y;
  let lx = cx - newW / 2;
  let ly = cy - newH / 2;
  let rx = cx + newW / 2;
  let ry = cy + newH / 2;
  if (lx < 0) {
    rx -= lx;
    lx = 0;
  }
  if (ly < 0) {
    ry -= ly;
    ly = 0;
  }
  if (rx > frameWidth - 1) {
    lx -= rx - frameWidth + 1;
    rx = frameWidth - 1;
  }
  if (ry > frameHeight - 1) {
    ly -= ry - frameHeight + 1;
    ry = frameHeight - 1;
  }
  const rxI = Math.max(0, Math.trunc(lx));
  const ryI = Math.max(0, Math.trunc(ly));
  return {
    x: rxI,
    y: ryI,
    width: Math.max(1, Math.min(Math.trunc(rx - lx), frameWidth - rxI)),
    height: Math.max(1, Math.min(Math.trunc(ry - ly), frameHeight - ryI)),
  };
}

/** The box squared around its centre: side = its longer edge. */
export function squareBox(box: Box): Box {
  const side = Math.max(box.x2 - box.x1, box.y2 - box.y1);
  const cx = (box.x1 + box.x2) / 2;
  const cy = (box.y1 + box.y2) / 2;
  return { x1: cx - side / 2, y1: cy - side / 2, x2: cx + side / 2, y2: cy + side / 2 };
}

/** The head-pose crop widens the box by this fraction of its width (height) on each side. */
export const POSE_CROP_MARGIN = 0.25;

/** The eye crop's side as a multiple of the eye's corner distance (points 36–39, 42–45). */
export const EYE_CROP_SCALE = 1.6;

/** The head-pose crop: the box widened by a quarter of its size on every side, clipped to the frame. */
export function poseCrop(box: Box, frameWidth: number, frameHeight: number): Rect {
  const w = box.x2 - box.x1;
  const h = box.y2 - box.y1;
  const x1 = Math.min(frameWidth - 1, Math.max(0, Math.trunc(box.x1 - w * POSE_CROP_MARGIN)));
  const y1 = Math.min(frameHeight - 1, Math.max(0, Math.trunc(box.y1 - h * POSE_CROP_MARGIN)));
  const x2 = Math.min(frameWidth, Math.trunc(box.x2 + w * POSE_CROP_MARGIN));
  const y2 = Math.min(frameHeight, Math.trunc(box.y2 + h * POSE_CROP_MARGIN));
  return { x: x1, y: y1, width: Math.max(1, x2 - x1), height: Math.max(1, y2 - y1) };
}

/**
 * The eye crop of the reference code (`getEyeBBox`): a square centred on the mean of the
 * eyelid points, side = 1.6 × the corner distance, kept inside the frame.
 * `eye` 0 = points 36–41 (image left), 1 = points 42–47.
 */
export function eyeCrop(
  landmarks: readonly Point[],
  eye: 0 | 1,
  frameWidth: number,
  frameHeight: number,
): Rect {
  const base = eye === 0 ? 36 : 42;
  const p = (i: number): Point => landmarks[base + i] as Point;
  const cx = Math.trunc((p(1).x + p(2).x + p(4).x + p(5).x) / 4);
  const cy = Math.trunc((p(1).y + p(2).y + p(4).y + p(5).y) / 4);
  let size = Math.max(2, Math.trunc(Math.abs(p(3).x - p(0).x) * EYE_CROP_SCALE));
  const x = Math.max(0, Math.min(Math.trunc(cx - size / 2), frameWidth - 2));
  const y = Math.max(0, Math.min(Math.trunc(cy - size / 2), frameHeight - 2));
  if (x + size >= frameWidth) size = frameWidth - x - 1;
  if (y + size >= frameHeight) size = frameHeight - y - 1;
  return { x, y, width: Math.max(1, size), height: Math.max(1, size) };
}
