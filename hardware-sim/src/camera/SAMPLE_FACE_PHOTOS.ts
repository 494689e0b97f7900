/**
 * Faces the simulated camera can present, cut from the demo photos that ship in the MIT-licensed
 * npm package `@vladmandic/face-api@1.7.15` (`demo/sample1.jpg` … `sample6.jpg`, group photos
 * taken at 1920 px). Only near-frontal faces with open eyes are listed; their eye-centre midpoint,
 * inter-ocular distance (pixels) and eye-line angle (degrees, clockwise) were measured once with
 * fr_detect + fr_landmark, so that loading a face needs no inference.
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
  { id: 'sample3-0', file: 'sample3.jpg', eyesMid: [676, 435], interocular: 94.0, eyeLineDeg: 0.6 },
  { id: 'sample3-1', file: 'sample3.jpg', eyesMid: [1164, 331], interocular: 94.9, eyeLineDeg: 11.6 },
  { id: 'sample3-2', file: 'sample3.jpg', eyesMid: [1605, 409], interocular: 94.9, eyeLineDeg: -4.8 },
  { id: 'sample4-1', file: 'sample4.jpg', eyesMid: [742, 168], interocular: 76.9, eyeLineDeg: 27.6 },
  { id: 'sample4-3', file: 'sample4.jpg', eyesMid: [1346, 249], interocular: 68.8, eyeLineDeg: 27.9 },
  { id: 'sample5-0', file: 'sample5.jpg', eyesMid: [471, 987], interocular: 98.9, eyeLineDeg: -7.6 },
  { id: 'sample5-2', file: 'sample5.jpg', eyesMid: [883, 201], interocular: 72.6, eyeLineDeg: 9.0 },
  { id: 'sample6-0', file: 'sample6.jpg', eyesMid: [375, 602], interocular: 102.6, eyeLineDeg: -7.2 },
];
