import type { FaceObservation } from './FaceObservation.js';
import type { LivenessChallenge, LivenessParams } from './LivenessParams.js';

/** Reason codes of a failed attempt (registered in plugin-sdk's liveness error codes). */
export type LivenessReason =
  | 'liveness_positioning_timeout'
  | 'liveness_challenge_timeout'
  | 'liveness_return_timeout'
  | 'liveness_multiple_faces'
  | 'liveness_face_lost'
  | 'liveness_track_changed'
  | 'liveness_identity_changed'
  | 'liveness_planar_motion'
  | 'liveness_spoof_suspected'
  | 'liveness_insufficient_frames'
  | 'liveness_wrong_direction';

/** The verdict of one attempt. */
export interface LivenessVerdict {
  readonly passed: boolean;
  readonly reasons: readonly LivenessReason[];
}

/** What happened on one frame, for the engine to act on. */
export type LivenessStep =
  | { readonly type: 'positioned'; readonly atMs: number; readonly baselineYaw: number }
  | { readonly type: 'challenge.started'; readonly challenge: LivenessChallenge; readonly index: number; readonly deadlineMs: number }
  | { readonly type: 'challenge.performed'; readonly challenge: LivenessChallenge; readonly index: number; readonly atMs: number; readonly peakYaw?: number; readonly planarResidual?: number }
  | { readonly type: 'challenge.completed'; readonly challenge: LivenessChallenge; readonly index: number; readonly atMs: number }
  | { readonly type: 'verdict'; readonly verdict: LivenessVerdict };

type Phase =
  | { readonly kind: 'positioning' }
  | { readonly kind: 'act'; readonly index: number; readonly since: number }
  | { readonly kind: 'return'; readonly index: number; readonly since: number }
  | { readonly kind: 'done' };

/**
 * The liveness rules as a pure step function over {@link FaceObservation}s (frame timestamps are
 * the only clock): positioning → each challenge (act, then return to frontal) → passive
 * anti-spoof verdict. Any hard rule (several faces, face lost, identity or track changed, wrong
 * direction, planar turn, a deadline) ends the attempt at once.
 */
export class LivenessRules {
  readonly challenges: readonly LivenessChallenge[];
  private readonly p: LivenessParams;
  private phase: Phase = { kind: 'positioning' };
  private startMs: number | undefined;
  private frontalRun = 0;
  private multiRun = 0;
  private lastSeenMs: number | undefined;
  private trackId: number | undefined;
  private identityFails = 0;
  private baselineYaw = 0;
  private turnRun = 0;
  private wrongRun = 0;
  private peakYaw = 0;
  private maxResidual: number | undefined;
  private eyesWereOpen = false;
  private closedSince: number | undefined;
  private readonly spoofScores: number[] = [];
  private verdictValue: LivenessVerdict | undefined;

  constructor(params: LivenessParams, challenges: readonly LivenessChallenge[]) {
    if (challenges.length === 0) throw new RangeError('at least one challenge is required');
    this.p = params;
    this.challenges = challenges;
  }

  /** The verdict once decided. */
  get verdict(): LivenessVerdict | undefined {
    return this.verdictValue;
  }

  /** Feed one observation; returns what happened (possibly several steps, ending with a verdict). */
  observe(o: FaceObservation): LivenessStep[] {
    if (this.verdictValue !== undefined) return [];
    const p = this.p;
    const steps: LivenessStep[] = [];
    const t = o.timestampMs;
    this.startMs ??= t;
    const fail = (reason: LivenessReason): LivenessStep[] => {
      this.verdictValue = { passed: false, reasons: [reason] };
      this.phase = { kind: 'done' };
      steps.push({ type: 'verdict', verdict: this.verdictValue });
      return steps;
    };
    const hasFace = o.faceCount >= 1;
    if (hasFace) this.lastSeenMs = t;
    this.multiRun = o.faceCount >= 2 ? this.multiRun + 1 : 0;
    if (this.multiRun >= p.multipleFaceFrames) return fail('liveness_multiple_faces');
    if (hasFace && o.faceCount === 1) this.spoofScores.push(o.spoofScore);

    const phase = this.phase;
    if (phase.kind === 'positioning') {
      const frontal =
        o.faceCount === 1 &&
        o.quality.ok &&
        Math.abs(o.yaw) <= p.frontalMaxYawDeg &&
        Math.abs(o.pitch) <= p.frontalMaxPitchDeg &&
        o.leftEyeClosed < p.blinkClosedProbability &&
        o.rightEyeClosed < p.blinkClosedProbability;
      this.frontalRun = frontal ? this.frontalRun + 1 : 0;
      if (this.frontalRun >= p.frontalFrames) {
        this.baselineYaw = o.yaw;
        this.trackId = o.trackId;
        steps.push({ type: 'positioned', atMs: t, baselineYaw: o.yaw });
        this.startChallenge(0, t, o, steps);
        return steps;
      }
      if (t - this.startMs >= p.positioningTimeoutMs) return fail('liveness_positioning_timeout');
      return steps;
    }
    if (phase.kind === 'done') return steps;

    // Hard rules during the challenges.
    if (!hasFace) {
      if (this.lastSeenMs !== undefined && t - this.lastSeenMs > p.faceLostMs) return fail('liveness_face_lost');
    } else {
      if (o.trackId !== undefined && this.trackId !== undefined && o.trackId !== this.trackId) return fail('liveness_track_changed');
      if (o.sameAsReference === false) {
        this.identityFails++;
        if (this.identityFails >= 2) return fail('liveness_identity_changed');
      } else if (o.sameAsReference === true) this.identityFails = 0;
    }

    const challenge = this.challenges[phase.index]!;
    if (phase.kind === 'act') {
      if (t - phase.since > p.challengeTimeoutMs) return fail('liveness_challenge_timeout');
      if (!hasFace || o.faceCount > 1) return steps;
      if (challenge === 'blink') {
        const closed = o.leftEyeClosed >= p.blinkClosedProbability && o.rightEyeClosed >= p.blinkClosedProbability;
        const open = o.leftEyeClosed < p.blinkClosedProbability && o.rightEyeClosed < p.blinkClosedProbability;
        if (open && this.closedSince === undefined) this.eyesWereOpen = true;
        else if (closed && this.eyesWereOpen && this.closedSince === undefined) this.closedSince = t;
        else if (open && this.closedSince !== undefined) {
          const duration = t - this.closedSince;
          this.closedSince = undefined;
          if (duration >= p.blinkMinMs && duration <= p.blinkMaxMs) {
            steps.push({ type: 'challenge.performed', challenge, index: phase.index, atMs: t });
            this.complete(phase.index, t, o, steps);
          }
        }
        return steps;
      }
      const sign = challenge === 'turnLeft' ? -1 : 1;
      const yaw = o.yaw;
      if (Math.abs(yaw) > p.turnMaxYawDeg) return steps;
      const delta = yaw - this.baselineYaw;
      const towards = Math.sign(yaw) === sign && Math.abs(yaw) >= p.turnMinYawDeg && delta * sign >= p.turnMinDeltaDeg;
      const away = Math.sign(yaw) === -sign && Math.abs(yaw) >= p.turnMinYawDeg && -delta * sign >= p.turnMinDeltaDeg;
      this.turnRun = towards ? this.turnRun + 1 : 0;
      this.wrongRun = away ? this.wrongRun + 1 : 0;
      if (towards) {
        if (Math.abs(yaw) > Math.abs(this.peakYaw)) this.peakYaw = yaw;
        if (o.planarResidual !== undefined) this.maxResidual = Math.max(this.maxResidual ?? 0, o.planarResidual);
      }
      if (this.wrongRun >= p.turnFrames) return fail('liveness_wrong_direction');
      if (this.turnRun >= p.turnFrames) {
        if (this.maxResidual !== undefined && this.maxResidual < p.planarResidualThreshold) return fail('liveness_planar_motion');
        steps.push({
          type: 'challenge.performed',
          challenge,
          index: phase.index,
          atMs: t,
          peakYaw: this.peakYaw,
          ...(this.maxResidual === undefined ? {} : { planarResidual: this.maxResidual }),
        });
        this.phase = { kind: 'return', index: phase.index, since: t };
      }
      return steps;
    }
    // return to frontal
    if (t - phase.since > p.returnTimeoutMs) return fail('liveness_return_timeout');
    if (o.faceCount === 1 && Math.abs(o.yaw) <= p.returnMaxYawDeg) this.complete(phase.index, t, o, steps);
    return steps;
  }

  private startChallenge(index: number, t: number, _o: FaceObservation, steps: LivenessStep[]): void {
    this.turnRun = 0;
    this.wrongRun = 0;
    this.peakYaw = 0;
    this.maxResidual = undefined;
    this.eyesWereOpen = false;
    this.closedSince = undefined;
    this.phase = { kind: 'act', index, since: t };
    steps.push({ type: 'challenge.started', challenge: this.challenges[index]!, index, deadlineMs: t + this.p.challengeTimeoutMs });
  }

  private complete(index: number, t: number, o: FaceObservation, steps: LivenessStep[]): void {
    steps.push({ type: 'challenge.completed', challenge: this.challenges[index]!, index, atMs: t });
    if (index + 1 < this.challenges.length) {
      this.startChallenge(index + 1, t, o, steps);
      return;
    }
    this.phase = { kind: 'done' };
    const scores = this.spoofScores;
    let verdict: LivenessVerdict;
    if (scores.length < this.p.minAntiSpoofFrames) verdict = { passed: false, reasons: ['liveness_insufficient_frames'] };
    else {
      const mean = scores.reduce((a, b) => a + b, 0) / scores.length;
      verdict = mean >= this.p.antiSpoofThreshold ? { passed: true, reasons: [] } : { passed: false, reasons: ['liveness_spoof_suspected'] };
    }
    this.verdictValue = verdict;
    steps.push({ type: 'verdict', verdict });
  }
}
