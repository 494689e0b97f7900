/** A liveness challenge: turn the head to the customer's own left or right, blink, or nod. */
export type LivenessChallenge = 'turnLeft' | 'turnRight' | 'blink' | 'nod';

/**
 * Thresholds of the liveness check. Defaults come from shared/MODELS.md (measured on the
 * shipped models, about 6° pose error per axis) and from public SDKs' parameters.
 */
export interface LivenessParams {
  /** How many challenges one check asks for. Default 3. */
  readonly challengeCount: number;
  /** Challenges to draw from. Default turnLeft, turnRight, blink (nod is optional: add it here). */
  readonly challengePool: readonly LivenessChallenge[];
  /** Frontal gate: |yaw| at most this many degrees. Default 10. */
  readonly frontalMaxYawDeg: number;
  /** Frontal gate: |pitch| at most this many degrees. Default 10. */
  readonly frontalMaxPitchDeg: number;
  /**
   * |roll| (head tilted towards a shoulder) at most this counts as frontal, in degrees. A tilted
   * head is not a usable frontal baseline or best frame: it would skew the turn and nod baselines
   * and the match. Default 15.
   */
  readonly frontalMaxRollDeg: number;
  /** Consecutive frontal frames that start the check and that end a return to frontal. Default 3. */
  readonly frontalFrames: number;
  /** A turn needs |yaw| at least this. Default 20 (a tilted print reads ≤ 5°). */
  readonly turnMinYawDeg: number;
  /** A turn also needs this far from the frontal baseline yaw. Default 15. */
  readonly turnMinDeltaDeg: number;
  /** Consecutive qualifying frames that complete a turn or nod. Default 3. */
  readonly turnFrames: number;
  /** Frames with |yaw| beyond this never count (pose estimates break down). Default 45. */
  readonly maxYawDeg: number;
  /** A nod needs |pitch − baseline pitch| at least this. Default 15. */
  readonly nodMinDeltaDeg: number;
  /** An eye is closed when its p_closed is at least this. Default 0.5 (closed eyes read ≈ 0.94). */
  readonly eyeClosedMin: number;
  /** An eye is open when its p_closed is at most this. Default 0.3 (open eyes read ≤ 0.11). */
  readonly eyeOpenMax: number;
  /** Shortest blink: last open frame → first reopened frame, in ms. Default 80. */
  readonly blinkMinMs: number;
  /** Longest blink, same measure. Default 500. */
  readonly blinkMaxMs: number;
  /** Time to complete one challenge, in ms of frame time (and wall-clock backstop). Default 5000. */
  readonly challengeDeadlineMs: number;
  /** Time to reach the first frontal pose, in ms. Default 10000. */
  readonly positioningDeadlineMs: number;
  /** Time to return to frontal between challenges, in ms. Default 3000. */
  readonly returnDeadlineMs: number;
  /** The face may leave the view this long (ms) before the check restarts. Default 1000. */
  readonly faceLostMs: number;
  /** Restarts after a lost face before failing with `liveness_face_lost`. Default 1. */
  readonly maxRestarts: number;
  /**
   * A turned frame whose homography residual (RMS ÷ inter-ocular distance) is below this moved
   * like a flat picture and does not count. Default 0.045 (flat ≤ 0.030 at 25°, real ≥ 0.085).
   */
  readonly minPlanarResidual: number;
  /** Frames whose cosine to the reference face falls below this fail `liveness_identity_changed`. Default 0.35. */
  readonly sameFaceMinCosine: number;
  /**
   * Mean passive p_live over the usable frontal frames (one face, quality ok, within the frontal
   * gate) must reach this. Default 0.7: the 50 live runs of the corpus (`pnpm bench liveness
   * --corpus`, 5 identities, seeds 10000–10049) read 0.85–0.99 on their frontal frames (their
   * turned frames read 0.43–0.91, which is why only frontal frames count), simulated prints and
   * screens ≈ 0.00; 0.7 keeps a margin of 0.15 below the lowest live mean. Synthetic both ways:
   * recalibrate on real faces (shared/MODELS.md).
   */
  readonly antiSpoofMinMean: number;
  /** Usable frontal frames (one face, quality ok) needed to judge passive anti-spoofing. Default 5. */
  readonly antiSpoofMinFrames: number;
}

/** Defaults of {@link LivenessParams}; see each field for its source. */
export const DEFAULT_LIVENESS_PARAMS: LivenessParams = Object.freeze({
  challengeCount: 3,
  challengePool: Object.freeze(['turnLeft', 'turnRight', 'blink'] as const),
  frontalMaxYawDeg: 10,
  frontalMaxPitchDeg: 10,
  frontalMaxRollDeg: 15,
  frontalFrames: 3,
  turnMinYawDeg: 20,
  turnMinDeltaDeg: 15,
  turnFrames: 3,
  maxYawDeg: 45,
  nodMinDeltaDeg: 15,
  eyeClosedMin: 0.5,
  eyeOpenMax: 0.3,
  blinkMinMs: 80,
  blinkMaxMs: 500,
  challengeDeadlineMs: 5_000,
  positioningDeadlineMs: 10_000,
  returnDeadlineMs: 3_000,
  faceLostMs: 1_000,
  maxRestarts: 1,
  minPlanarResidual: 0.045,
  sameFaceMinCosine: 0.35,
  antiSpoofMinMean: 0.7,
  antiSpoofMinFrames: 5,
});

const CHALLENGES: readonly LivenessChallenge[] = ['turnLeft', 'turnRight', 'blink', 'nod'];

/**
 * Merges `overrides` over {@link DEFAULT_LIVENESS_PARAMS} and validates the result once.
 *
 * @throws RangeError when a value is out of its range (counts ≥ 1, angles in 0..90,
 *   probabilities in 0..1, durations ≥ 0, `eyeOpenMax` < `eyeClosedMin`, `blinkMinMs` ≤
 *   `blinkMaxMs`, `turnMinYawDeg` < `maxYawDeg`) or the pool is empty or unknown.
 */
export function resolveLivenessParams(overrides: Partial<LivenessParams> = {}): LivenessParams {
  const p: LivenessParams = { ...DEFAULT_LIVENESS_PARAMS, ...overrides };
  const check = (ok: boolean, key: keyof LivenessParams, range: string): void => {
    if (!ok)
      throw new RangeError(`LivenessParams.${key} must be ${range}, got ${JSON.stringify(p[key])}`);
  };
  const int = (key: keyof LivenessParams, min: number, max: number): void => {
    const v = p[key];
    check(
      typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max,
      key,
      `an integer in ${min}..${max}`,
    );
  };
  const num = (key: keyof LivenessParams, min: number, max: number): void => {
    const v = p[key];
    check(
      typeof v === 'number' && Number.isFinite(v) && v >= min && v <= max,
      key,
      `a number in ${min}..${max}`,
    );
  };
  int('challengeCount', 1, 10);
  check(
    Array.isArray(p.challengePool) &&
      p.challengePool.length > 0 &&
      p.challengePool.every((c) => CHALLENGES.includes(c)),
    'challengePool',
    `a non-empty list of ${CHALLENGES.join(', ')}`,
  );
  for (const key of [
    'frontalMaxYawDeg',
    'frontalMaxPitchDeg',
    'frontalMaxRollDeg',
    'turnMinYawDeg',
    'turnMinDeltaDeg',
    'maxYawDeg',
    'nodMinDeltaDeg',
  ] as const) {
    num(key, 0, 90);
  }
  int('frontalFrames', 1, 100);
  int('turnFrames', 1, 100);
  for (const key of [
    'eyeClosedMin',
    'eyeOpenMax',
    'minPlanarResidual',
    'antiSpoofMinMean',
  ] as const)
    num(key, 0, 1);
  num('sameFaceMinCosine', -1, 1);
  for (const key of [
    'blinkMinMs',
    'blinkMaxMs',
    'challengeDeadlineMs',
    'positioningDeadlineMs',
    'returnDeadlineMs',
    'faceLostMs',
  ] as const) {
    int(key, 0, 2_147_483_647);
  }
  int('maxRestarts', 0, 10);
  int('antiSpoofMinFrames', 0, 100_000);
  check(p.eyeOpenMax < p.eyeClosedMin, 'eyeOpenMax', `below eyeClosedMin (${p.eyeClosedMin})`);
  check(p.blinkMinMs <= p.blinkMaxMs, 'blinkMinMs', `at most blinkMaxMs (${p.blinkMaxMs})`);
  check(p.turnMinYawDeg < p.maxYawDeg, 'turnMinYawDeg', `below maxYawDeg (${p.maxYawDeg})`);
  return Object.freeze({ ...p, challengePool: Object.freeze([...p.challengePool]) });
}
