/**
 * Faces the simulated camera can present, cut from the demo photos that ship in the MIT-licensed
 * npm package `@vladmandic/face-api@1.7.15` (`demo/sample1.jpg` … `sample6.jpg`, group photos
 * taken at 1920 px). Only near-frontal faces with open eyes are listed; their eye-centre midpoint,
 * inter-ocular distance (pixels) and eye-line angle (degrees, clockwise) were measured once with
 * fr_detect + fr_landmark, so that loading a face needs no inference. Also dropped: faces whose
 * simulated live render fr_liveness reads as a spoof (mean p_live over 12 frames: sample3-0 0.66,
 * sample3-1 0.11, sample3-2 0.47, sample5-2 0.12, sample1-0 0.65; the kept ones read 0.95–0.99),
 * since a simulated live person must look live to the passive model; and faces whose open eyes
 * fr_eye often reads as closed (sample4-1, sample4-3: one eye p_closed 0.5–0.97 on open frames),
 * which would break the open → closed → open blink rule. Two identities remain; a third face
 * for `secondFace`/`swap` tests can be any prepared {@link SimFace}.
 */
export interface SampleFacePhoto {
  /** Stable id, `<file>-<n>` (faces numbered left to right). */
  readonly id: string;
  /** File under the package's `demo/` folder. */
  readonly file: string;
  readonly eyesMid: readonly [number, number];
  readonly interocular: number;
  readonly eyeLineDeg: number;
}

/** The catalogue, see {@link SampleFacePhoto}. */
export const SAMPLE_FACE_PHOTOS: readonly SampleFacePhoto[] = [
  { id: 'sample5-0', file: 'sample5.jpg', eyesMid: [471, 987], interocular: 98.9, eyeLineDeg: -7.6 },
  { id: 'sample6-0', file: 'sample6.jpg', eyesMid: [375, 602], interocular: 102.6, eyeLineDeg: -7.2 },
];
