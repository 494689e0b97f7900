/**
 * Faces the simulated camera can present, cut from the demo photos that ship in the MIT-licensed
 * npm package `@vladmandic/face-api@1.7.15` (`demo/sample1.jpg` … `sample6.jpg`, group photos
 * taken at 1920 px; already a dependency, nothing is downloaded). Every face of the six photos
 * was measured once with fr_detect + fr_landmark + fr_pose (eye-centre midpoint, inter-ocular
 * distance in pixels, eye-line angle in degrees clockwise), so that loading a face needs no
 * inference, and kept only when its simulated live render passes what a live person must:
 * - near-frontal in the photo (|yaw|, |pitch| ≤ 20°) with open eyes, at least 30 px between them
 *   (dropped: sample1-0, sample2-*, sample4-0, sample4-2, sample5-1, sample5-4, sample6-1);
 * - fr_liveness reads the live render as live (mean p_live over 12 frames ≥ 0.9; dropped:
 *   sample3-0 0.71, sample3-1 0.04, sample3-2 0.27, sample5-2 0.04, sample5-3 0.02; kept faces
 *   0.91–0.99), since a simulated live person must look live to the passive model;
 * - fr_eye reads its frontal open eyes as open and its rendered closed eyes as closed (open →
 *   closed → open blink rule; dropped: sample1-1, its eyes read closed on the photo, and
 *   sample4-3; sample4-1's open eyes read p_closed up to 0.97 when turned, which no rule looks
 *   at, and 0.05 frontal, where the blink is asked);
 * - fr_pose reads its synthesised turns of 23–28° as 20–45° both ways (dropped: sample6-2, whose
 *   right turns read 75°, beyond the 45° limit, so a live customer timed out);
 * - a different person from every other kept face (embedding cosine of every pair at most 0.32,
 *   under the 0.45 verification threshold, so `swap` and `secondFace` always bring a stranger).
 * Five identities remain; the first is the simulator's default person.
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
  {
    id: 'sample5-0',
    file: 'sample5.jpg',
    eyesMid: [471, 987],
    interocular: 98.9,
    eyeLineDeg: -7.6,
  },
  {
    id: 'sample6-0',
    file: 'sample6.jpg',
    eyesMid: [375, 602],
    interocular: 102.6,
    eyeLineDeg: -7.2,
  },
  { id: 'sample6-3', file: 'sample6.jpg', eyesMid: [1581, 383], interocular: 96.4, eyeLineDeg: 13 },
  { id: 'sample1-2', file: 'sample1.jpg', eyesMid: [1584, 310], interocular: 80, eyeLineDeg: 44.1 },
  {
    id: 'sample4-1',
    file: 'sample4.jpg',
    eyesMid: [742, 168],
    interocular: 76.9,
    eyeLineDeg: 27.8,
  },
];
