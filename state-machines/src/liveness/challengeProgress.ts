import type { FaceObservation } from './FaceObservation.js';
import type { LivenessChallenge, LivenessParams } from './LivenessParams.js';

/** The customer's head pose when the check started (mean over the frontal frames). */
export interface PoseBaseline {
  readonly yaw: number;
  readonly pitch: number;
}

/** How far the current challenge has come. Immutable: {@link advanceChallenge} returns a new one. */
export interface ChallengeProgress {
  /** Consecutive qualifying frames of a turn or nod. */
  readonly run: number;
  /** Turned frames that moved like a flat picture (planar residual too small). */
  readonly planarFrames: number;
  /** Blink tracking: waiting for open eyes, eyes open, eyes closed. */
  readonly blinkPhase: 'needOpen' | 'open' | 'closed';
  /** Time of the last open-eyes frame (blink start bracket). */
  readonly lastOpenAtMs: number | undefined;
  /** Usable frames seen during this challenge. */
  readonly frames: number;
  /** True once the challenge is met. */
  readonly satisfied: boolean;
}

/** A fresh {@link ChallengeProgress}. */
export const INITIAL_CHALLENGE_PROGRESS: ChallengeProgress = Object.freeze({
  run: 0,
  planarFrames: 0,
  blinkPhase: 'needOpen',
  lastOpenAtMs: undefined,
  frames: 0,
  satisfied: false,
});

/** True when the single face is frontal: |yaw|, |pitch| and |roll| within the frontal gate (a tilted head is not frontal). */
export function isFrontal(o: FaceObservation, params: LivenessParams): boolean {
  return (
    o.faceCount === 1 &&
    Math.abs(o.yaw) <= params.frontalMaxYawDeg &&
    Math.abs(o.pitch) <= params.frontalMaxPitchDeg &&
    Math.abs(o.roll) <= params.frontalMaxRollDeg
  );
}

function turnedTowards(
  challenge: 'turnLeft' | 'turnRight',
  o: FaceObservation,
  base: PoseBaseline,
  p: LivenessParams,
): boolean {
  if (Math.abs(o.yaw) > p.maxYawDeg) return false;
  // negative yaw = the customer's own left (raw, unmirrored frame)
  return challenge === 'turnLeft'
    ? o.yaw <= -p.turnMinYawDeg && base.yaw - o.yaw >= p.turnMinDeltaDeg
    : o.yaw >= p.turnMinYawDeg && o.yaw - base.yaw >= p.turnMinDeltaDeg;
}

function advanceBlink(
  progress: ChallengeProgress,
  o: FaceObservation,
  p: LivenessParams,
): ChallengeProgress {
  const open = o.leftEyeClosed <= p.eyeOpenMax && o.rightEyeClosed <= p.eyeOpenMax;
  const closed = o.leftEyeClosed >= p.eyeClosedMin && o.rightEyeClosed >= p.eyeClosedMin;
  switch (progress.blinkPhase) {
    case 'needOpen':
      return open ? { ...progress, blinkPhase: 'open', lastOpenAtMs: o.timestampMs } : progress;
    case 'open':
      if (open) return { ...progress, lastOpenAtMs: o.timestampMs };
      return closed ? { ...progress, blinkPhase: 'closed' } : progress;
    case 'closed': {
      const since = o.timestampMs - (progress.lastOpenAtMs ?? o.timestampMs);
      if (open) {
        const blinked = since >= p.blinkMinMs && since <= p.blinkMaxMs;
        return blinked
          ? { ...progress, satisfied: true }
          : { ...progress, blinkPhase: 'open', lastOpenAtMs: o.timestampMs };
      }
      // eyes shut for longer than a blink: start over (need open eyes first)
      return since > p.blinkMaxMs
        ? { ...progress, blinkPhase: 'needOpen', lastOpenAtMs: undefined }
        : progress;
    }
  }
}

/**
 * Advances `challenge` by one usable single-face frame. Frames failing the quality gate do not
 * count (and do not break a run); a turn frame whose planar residual is below
 * `minPlanarResidual` counts as planar and breaks the run. The blink is open → closed → open
 * with the closure bracketed by the last open frame and the first reopened one, within
 * `blinkMinMs`..`blinkMaxMs`.
 */
export function advanceChallenge(
  challenge: LivenessChallenge,
  progress: ChallengeProgress,
  o: FaceObservation,
  baseline: PoseBaseline,
  p: LivenessParams,
): ChallengeProgress {
  if (progress.satisfied || o.faceCount !== 1 || !o.quality.ok) return progress;
  const counted = { ...progress, frames: progress.frames + 1 };
  switch (challenge) {
    case 'turnLeft':
    case 'turnRight': {
      if (!turnedTowards(challenge, o, baseline, p)) return { ...counted, run: 0 };
      if (o.planarResidual !== undefined && o.planarResidual < p.minPlanarResidual) {
        return { ...counted, run: 0, planarFrames: counted.planarFrames + 1 };
      }
      const run = counted.run + 1;
      return { ...counted, run, satisfied: run >= p.turnFrames };
    }
    case 'nod': {
      const nodded =
        Math.abs(o.pitch - baseline.pitch) >= p.nodMinDeltaDeg &&
        Math.abs(o.yaw) <= p.frontalMaxYawDeg * 2;
      if (!nodded) return { ...counted, run: 0 };
      const run = counted.run + 1;
      return { ...counted, run, satisfied: run >= p.turnFrames };
    }
    case 'blink':
      return advanceBlink(counted, o, p);
  }
}

/**
 * Draws `count` challenges from `pool` with `random` (values in [0, 1)): without repetition
 * while the pool lasts, then never the same challenge twice in a row.
 *
 * @throws RangeError when `random` returns something outside [0, 1).
 */
export function drawChallenges(
  random: () => number,
  pool: readonly LivenessChallenge[],
  count: number,
): LivenessChallenge[] {
  const pick = (n: number): number => {
    const r = random();
    if (typeof r !== 'number' || !(r >= 0 && r < 1))
      throw new RangeError(`random() must return a number in [0, 1), got ${String(r)}`);
    return Math.floor(r * n);
  };
  const remaining = [...pool];
  const drawn: LivenessChallenge[] = [];
  while (drawn.length < count && remaining.length > 0) {
    const [c] = remaining.splice(pick(remaining.length), 1);
    if (c !== undefined) drawn.push(c);
  }
  while (drawn.length < count) {
    const previous = drawn[drawn.length - 1];
    const options = pool.length > 1 ? pool.filter((c) => c !== previous) : pool;
    const c = options[pick(options.length)];
    if (c !== undefined) drawn.push(c);
  }
  return drawn;
}
