/** A liveness challenge. Directions are the customer's own (see FaceCue in @kycd/hardware-sim). */
export type LivenessChallenge = 'turnLeft' | 'turnRight' | 'blink';

/** Rules and deadlines of one liveness attempt; defaults in {@link LIVENESS_DEFAULTS}. */
export interface LivenessParams {
  /** Challenges per attempt, drawn without repetition from `challengePool` in random order. */
  readonly challengeCount: number;
  readonly challengePool: readonly LivenessChallenge[];
  /** Time to reach a steady frontal pose before the first challenge. */
  readonly positioningTimeoutMs: number;
  /** Consecutive good frontal frames that start the challenges. */
  readonly frontalFrames: number;
  /** Frontal gate (fr_pose error is ≈ 6° per axis). */
  readonly frontalMaxYawDeg: number;
  readonly frontalMaxPitchDeg: number;
  /** Deadline of each challenge, from the moment it is asked. */
  readonly challengeTimeoutMs: number;
  /** Deadline to come back to frontal after a turn. */
  readonly returnTimeoutMs: number;
  /** A turn: |yaw| ≥ this, and ≥ `turnMinDeltaDeg` from the frontal baseline, for `turnFrames` frames. */
  readonly turnMinYawDeg: number;
  readonly turnMinDeltaDeg: number;
  readonly turnFrames: number;
  /** Frames beyond this |yaw| are ignored (the pose model is unreliable there). */
  readonly turnMaxYawDeg: number;
  /** Back to frontal after a turn: |yaw| ≤ this. */
  readonly returnMaxYawDeg: number;
  /** An eye counts as closed at p_closed ≥ this (both eyes must close). */
  readonly blinkClosedProbability: number;
  /** Closed phase duration window of a blink. */
  readonly blinkMinMs: number;
  readonly blinkMaxMs: number;
  /** The face may be missing at most this long during the challenges. */
  readonly faceLostMs: number;
  /** Consecutive frames with two or more faces that fail the attempt. */
  readonly multipleFaceFrames: number;
  /** Planar-attack check: a turn whose homography residual ÷ IOD stays below this is a flat picture. */
  readonly planarResidualThreshold: number;
  /** Identity continuity: cosine to the reference frontal frame's embedding must stay ≥ this. */
  readonly identityThreshold: number;
  /** Embed every n-th analysed frame during the challenges. */
  readonly identityEveryNthFrame: number;
  /** Passive anti-spoof: mean p_live over the attempt must reach this. */
  readonly antiSpoofThreshold: number;
  /** Fewer anti-spoof scores than this → `liveness_insufficient_frames`. */
  readonly minAntiSpoofFrames: number;
  /** No frame from the camera for this long (wall clock) → the camera is considered stalled. */
  readonly frameTimeoutMs: number;
}

/**
 * Defaults, from MODELS.md's survey of public SDKs and its measurements: frontal ≤ 10°, a turn
 * ≥ 20° and ≥ 15° from the baseline for 2 frames, blink open → closed → open within 60–600 ms,
 * 5 s per challenge, homography residual threshold 0.045 (synthetic data: real heads and real
 * video jitter must set the final value).
 */
export const LIVENESS_DEFAULTS: LivenessParams = {
  challengeCount: 3,
  challengePool: ['turnLeft', 'turnRight', 'blink'],
  positioningTimeoutMs: 8000,
  frontalFrames: 3,
  frontalMaxYawDeg: 10,
  frontalMaxPitchDeg: 15,
  challengeTimeoutMs: 5000,
  returnTimeoutMs: 3000,
  turnMinYawDeg: 20,
  turnMinDeltaDeg: 15,
  turnFrames: 2,
  turnMaxYawDeg: 45,
  returnMaxYawDeg: 12,
  blinkClosedProbability: 0.5,
  blinkMinMs: 60,
  blinkMaxMs: 600,
  faceLostMs: 1000,
  multipleFaceFrames: 2,
  planarResidualThreshold: 0.045,
  identityThreshold: 0.3,
  identityEveryNthFrame: 4,
  antiSpoofThreshold: 0.5,
  minAntiSpoofFrames: 5,
  frameTimeoutMs: 3000,
};

/** Merge and validate partial params (throws RangeError on nonsense). */
export function resolveLivenessParams(params: Partial<LivenessParams> = {}): LivenessParams {
  const p: LivenessParams = { ...LIVENESS_DEFAULTS, ...params };
  if (!Number.isInteger(p.challengeCount) || p.challengeCount < 1 || p.challengeCount > p.challengePool.length) {
    throw new RangeError(`challengeCount must be 1..${p.challengePool.length}, got ${p.challengeCount}`);
  }
  for (const [k, v] of Object.entries(p)) {
    if (typeof v === 'number' && !(Number.isFinite(v) && v >= 0)) throw new RangeError(`liveness param ${k} must be a finite number ≥ 0, got ${v}`);
  }
  return p;
}
