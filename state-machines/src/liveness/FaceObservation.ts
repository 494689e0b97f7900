/**
 * What the face pipeline saw in one camera frame. Angles in degrees on the raw, unmirrored
 * frame: negative yaw = the customer turned to their own left.
 */
export interface FaceObservation {
  /** Frame time in ms (strictly increasing; a frame not newer than the previous one is ignored). */
  readonly timestampMs: number;
  /** Faces detected in the frame. */
  readonly faceCount: number;
  /** Tracker id of the (single) face, when the pipeline tracks faces. */
  readonly trackId?: number;
  readonly yaw: number;
  readonly pitch: number;
  readonly roll: number;
  /** p_closed of the customer's left eye, 0..1. */
  readonly leftEyeClosed: number;
  /** p_closed of the customer's right eye, 0..1. */
  readonly rightEyeClosed: number;
  /** Passive anti-spoof p_live, 0..1. */
  readonly spoofScore: number;
  /** Image-quality gate (blur, exposure, face size) and its failure codes. */
  readonly quality: { readonly ok: boolean; readonly codes: readonly string[] };
  /** Homography residual of the landmarks against the frontal ones (RMS ÷ inter-ocular distance). */
  readonly planarResidual?: number;
  /** Cosine similarity of this face's embedding to the reference face of the check. */
  readonly sameAsReference?: number;
}

const inRange = (v: unknown, min: number, max: number): boolean =>
  typeof v === 'number' && Number.isFinite(v) && v >= min && v <= max;

/**
 * True when `observation` is well-formed enough to act on: a finite timestamp strictly after
 * `lastTimestampMs` (a repeated frame time is a duplicate frame, never fresh evidence), an integer face count, and — when a face is present — finite angles in
 * −180..180, probabilities in 0..1, a boolean quality flag, and optional fields in range.
 * NaN, out-of-range or malformed observations never advance a challenge.
 */
export function isUsableObservation(
  observation: unknown,
  lastTimestampMs: number | undefined,
): observation is FaceObservation {
  if (typeof observation !== 'object' || observation === null) return false;
  const o = observation as Partial<Record<keyof FaceObservation, unknown>>;
  if (!inRange(o.timestampMs, 0, Number.MAX_SAFE_INTEGER)) return false;
  if (lastTimestampMs !== undefined && (o.timestampMs as number) <= lastTimestampMs) return false;
  if (
    typeof o.faceCount !== 'number' ||
    !Number.isInteger(o.faceCount) ||
    o.faceCount < 0 ||
    o.faceCount > 1000
  )
    return false;
  if (o.faceCount === 0) return true;
  if (!inRange(o.yaw, -180, 180) || !inRange(o.pitch, -180, 180) || !inRange(o.roll, -180, 180))
    return false;
  if (
    !inRange(o.leftEyeClosed, 0, 1) ||
    !inRange(o.rightEyeClosed, 0, 1) ||
    !inRange(o.spoofScore, 0, 1)
  )
    return false;
  const quality = o.quality as { ok?: unknown; codes?: unknown } | undefined;
  if (
    typeof quality !== 'object' ||
    quality === null ||
    typeof quality.ok !== 'boolean' ||
    !Array.isArray(quality.codes)
  ) {
    return false;
  }
  if (
    o.trackId !== undefined &&
    (typeof o.trackId !== 'number' || !Number.isSafeInteger(o.trackId))
  )
    return false;
  if (o.planarResidual !== undefined && !inRange(o.planarResidual, 0, 1000)) return false;
  if (o.sameAsReference !== undefined && !inRange(o.sameAsReference, -1, 1)) return false;
  return true;
}
