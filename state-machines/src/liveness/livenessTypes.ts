import type { FailureReason } from '../errors/failureReasonOf.js';
import type { ChallengeProgress, PoseBaseline } from './challengeProgress.js';
import type { FaceObservation } from './FaceObservation.js';
import type { LivenessChallenge, LivenessParams } from './LivenessParams.js';

/** Input of {@link livenessMachine}. */
export interface LivenessInput {
  /** Random source in [0, 1) for the challenge order (inject a seeded one in tests). */
  readonly random: () => number;
  /** Overrides of {@link DEFAULT_LIVENESS_PARAMS}; validated when the check starts. */
  readonly params?: Partial<LivenessParams>;
}

/** Events the liveness machine accepts; anything else is ignored. */
export type LivenessEvent =
  | { readonly type: 'FRAME.OBSERVED'; readonly observation: FaceObservation }
  | { readonly type: 'CANCEL'; readonly reason?: string };

/** One challenge's entry in the verdict's timeline. Times are frame times (ms). */
export interface ChallengeRecord {
  readonly challenge: LivenessChallenge;
  /** 0-based position in the sequence. */
  readonly index: number;
  readonly startedAtMs: number | undefined;
  readonly endedAtMs: number | undefined;
  readonly outcome: 'passed' | 'failed' | 'restarted' | 'pending';
  /** Usable frames seen during the challenge. */
  readonly frames: number;
}

/** Aggregate of the passive anti-spoof score (p_live) over the usable frames. */
export interface AntiSpoofSummary {
  readonly mean: number;
  readonly min: number;
  readonly frames: number;
}

/** The machine's output: the verdict of one liveness check. */
export interface LivenessVerdict {
  readonly passed: boolean;
  /** Registered `liveness_*` codes; empty when passed. */
  readonly reasons: readonly string[];
  readonly challenges: readonly ChallengeRecord[];
  readonly antiSpoof: AntiSpoofSummary;
  /** Times the check restarted after the face was lost. */
  readonly restarts: number;
  /** Observations ignored as malformed (NaN, out of range, out of order). */
  readonly ignoredFrames: number;
}

/** Events the liveness machine emits (listen with `actor.on(type, …)`). */
export type LivenessEmitted =
  | {
      readonly type: 'liveness.challenge';
      readonly challenge: LivenessChallenge;
      readonly index: number;
      readonly total: number;
      /** Time the customer has for it, in ms. */
      readonly deadlineMs: number;
    }
  | {
      readonly type: 'liveness.challengePassed';
      readonly challenge: LivenessChallenge;
      readonly index: number;
      readonly total: number;
    };

/** The liveness machine's context. */
export interface LivenessContext {
  readonly params: LivenessParams;
  readonly random: () => number;
  readonly challenges: readonly LivenessChallenge[];
  /** 0-based index of the current challenge. */
  readonly index: number;
  readonly restarts: number;
  readonly lastTimestampMs: number | undefined;
  /** Frame time of the last frame with a face. */
  readonly lastFaceAtMs: number | undefined;
  /** When the current phase (positioning, challenge, return) started, frame time. */
  readonly phaseStartedAtMs: number | undefined;
  /** Consecutive frontal frames, and the sums of their yaw and pitch (for the baseline). */
  readonly frontalRun: number;
  readonly frontalYawSum: number;
  readonly frontalPitchSum: number;
  readonly baseline: PoseBaseline | undefined;
  /** Track id locked when the check started. */
  readonly trackId: number | undefined;
  readonly progress: ChallengeProgress;
  readonly antiSpoofSum: number;
  readonly antiSpoofMin: number;
  readonly antiSpoofFrames: number;
  readonly timeline: readonly ChallengeRecord[];
  readonly ignoredFrames: number;
  readonly failure: FailureReason | undefined;
}
