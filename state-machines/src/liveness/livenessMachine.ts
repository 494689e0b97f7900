import { and, assign, emit, not, setup } from 'xstate';
import type { FailureReason } from '../errors/failureReasonOf.js';
import {
  advanceChallenge,
  drawChallenges,
  INITIAL_CHALLENGE_PROGRESS,
  isFrontal,
} from './challengeProgress.js';
import { isUsableObservation, type FaceObservation } from './FaceObservation.js';
import { resolveLivenessParams } from './LivenessParams.js';
import type {
  ChallengeRecord,
  LivenessContext,
  LivenessEmitted,
  LivenessEvent,
  LivenessInput,
  LivenessVerdict,
} from './livenessTypes.js';

/** The observation of a `FRAME.OBSERVED` event (guards and actions see the event union). */
function observationOf(event: LivenessEvent): FaceObservation | undefined {
  return event.type === 'FRAME.OBSERVED' ? event.observation : undefined;
}

/** The observation of a frame the `observationUnusable` guard already let through. */
function usable(event: LivenessEvent): FaceObservation {
  const o = observationOf(event);
  if (o === undefined) throw new TypeError('liveness: expected a FRAME.OBSERVED event');
  return o;
}

/**
 * A usable frontal frame: one face, frontal (see `isFrontal`), quality ok. These make the
 * positioning run, and only their passive anti-spoof scores count: the passive model judges
 * frontal faces; on turned ones it is out of its domain (simulated live heads turned 25° read a
 * mean p_live of 0.48–0.91 where their frontal frames read 0.88–0.99), so averaging turned
 * frames in rejected live customers (liveness_spoof_suspected at 0.698).
 */
function usableFrontal(o: FaceObservation, params: LivenessContext['params']): boolean {
  return isFrontal(o, params) && o.quality.ok;
}

function withTimelineEntry(
  timeline: readonly ChallengeRecord[],
  index: number,
  update: (entry: ChallengeRecord) => ChallengeRecord,
): ChallengeRecord[] {
  return timeline.map((entry, i) =>
    i === timeline.length - 1 && entry.index === index ? update(entry) : entry,
  );
}

const phaseDeadlineMs = (
  context: LivenessContext,
  phase: 'positioning' | 'challenge' | 'return',
): number =>
  phase === 'positioning'
    ? context.params.positioningDeadlineMs
    : phase === 'challenge'
      ? context.params.challengeDeadlineMs
      : context.params.returnDeadlineMs;

/**
 * The checks every frame of a challenge and of the return to frontal goes through first, in
 * order: unusable frames are ignored; several faces, a face lost too long (after the allowed
 * restarts), another track or another identity end the check.
 */
const FACE_INTEGRITY_CHECKS = [
  { guard: 'observationUnusable', actions: 'countIgnored' },
  {
    guard: 'multipleFaces',
    target: 'failed',
    actions: {
      type: 'fail',
      params: { code: 'liveness_multiple_faces', message: 'more than one face in view' },
    },
  },
  { guard: and(['faceLostTooLong', 'canRestart']), target: 'positioning', actions: 'restart' },
  {
    guard: 'faceLostTooLong',
    target: 'failed',
    actions: {
      type: 'fail',
      params: { code: 'liveness_face_lost', message: 'the face left the view' },
    },
  },
  { guard: 'noFace', actions: 'noteNoFace' },
  {
    guard: 'trackChanged',
    target: 'failed',
    actions: {
      type: 'fail',
      params: { code: 'liveness_track_changed', message: 'a different face is being tracked' },
    },
  },
  {
    guard: 'identityChanged',
    target: 'failed',
    actions: {
      type: 'fail',
      params: {
        code: 'liveness_identity_changed',
        message: 'the face no longer matches the one that started',
      },
    },
  },
] as const;

/**
 * The active liveness check, one `FRAME.OBSERVED` per camera frame: hold a frontal pose
 * (baseline and track id are locked), then a randomised sequence of challenges (turnLeft and
 * turnRight — the customer's own left/right —, blink, optionally nod) each within its deadline
 * each followed by a return to frontal (the last one too, before the verdict), one face and the same person throughout (track id,
 * optional embedding cosine), passive anti-spoof scores averaged over the usable frames. A lost
 * face restarts the check (up to `maxRestarts`). Deadlines run on frame time, with wall-clock
 * `after` backstops for a camera that stops sending frames. Malformed observations are counted
 * and ignored. Output: a {@link LivenessVerdict}.
 *
 * @example
 * ```ts
 * const actor = createActor(livenessMachine, { input: { random: Math.random } });
 * actor.on('liveness.challenge', (e) => showPrompt(e.challenge));
 * actor.start();
 * for await (const observation of frames) actor.send({ type: 'FRAME.OBSERVED', observation });
 * ```
 */
export const livenessMachine = setup({
  types: {
    context: {} as LivenessContext,
    events: {} as LivenessEvent,
    input: {} as LivenessInput,
    output: {} as LivenessVerdict,
    emitted: {} as LivenessEmitted,
  },
  guards: {
    observationUnusable: ({ context, event }) =>
      !isUsableObservation(observationOf(event), context.lastTimestampMs),
    multipleFaces: ({ event }) => (observationOf(event)?.faceCount ?? 0) > 1,
    noFace: ({ event }) => observationOf(event)?.faceCount === 0,
    faceLostTooLong: ({ context, event }) => {
      const o = observationOf(event);
      return (
        o !== undefined &&
        o.faceCount === 0 &&
        context.lastFaceAtMs !== undefined &&
        o.timestampMs - context.lastFaceAtMs > context.params.faceLostMs
      );
    },
    canRestart: ({ context }) => context.restarts < context.params.maxRestarts,
    trackChanged: ({ context, event }) => {
      const track = observationOf(event)?.trackId;
      return context.trackId !== undefined && track !== undefined && track !== context.trackId;
    },
    identityChanged: ({ context, event }) => {
      const cosine = observationOf(event)?.sameAsReference;
      return cosine !== undefined && cosine < context.params.sameFaceMinCosine;
    },
    phaseDeadlinePassed: (
      { context, event },
      params: { phase: 'positioning' | 'challenge' | 'return' },
    ) => {
      const o = observationOf(event);
      return (
        o !== undefined &&
        context.phaseStartedAtMs !== undefined &&
        o.timestampMs - context.phaseStartedAtMs > phaseDeadlineMs(context, params.phase)
      );
    },
    frontalHeld: ({ context }) => context.frontalRun >= context.params.frontalFrames,
    planarMotion: ({ context }) => context.progress.planarFrames >= context.params.turnFrames,
    challengeSatisfied: ({ context }) => context.progress.satisfied,
    hasMoreChallenges: ({ context }) => context.index + 1 < context.challenges.length,
    allChallengesDone: ({ context }) => context.index >= context.challenges.length,
    antiSpoofTooFewFrames: ({ context }) =>
      context.antiSpoofFrames < context.params.antiSpoofMinFrames,
    antiSpoofBelowThreshold: ({ context }) =>
      context.antiSpoofFrames > 0 &&
      context.antiSpoofSum / context.antiSpoofFrames < context.params.antiSpoofMinMean,
  },
  actions: {
    countIgnored: assign({ ignoredFrames: ({ context }) => context.ignoredFrames + 1 }),
    notePositioningFrame: assign(({ context, event }) => {
      const o = usable(event);
      const sameTrack =
        o.trackId === undefined || context.trackId === undefined || o.trackId === context.trackId;
      const frontal = usableFrontal(o, context.params);
      const keep = frontal && sameTrack;
      return {
        antiSpoofSum: frontal ? context.antiSpoofSum + o.spoofScore : context.antiSpoofSum,
        antiSpoofMin: frontal ? Math.min(context.antiSpoofMin, o.spoofScore) : context.antiSpoofMin,
        antiSpoofFrames: frontal ? context.antiSpoofFrames + 1 : context.antiSpoofFrames,
        lastTimestampMs: o.timestampMs,
        phaseStartedAtMs: context.phaseStartedAtMs ?? o.timestampMs,
        lastFaceAtMs: o.faceCount > 0 ? o.timestampMs : context.lastFaceAtMs,
        trackId: o.faceCount === 1 ? o.trackId : undefined,
        frontalRun: keep ? context.frontalRun + 1 : 0,
        frontalYawSum: keep ? context.frontalYawSum + o.yaw : 0,
        frontalPitchSum: keep ? context.frontalPitchSum + o.pitch : 0,
      };
    }),
    lockBaseline: assign({
      baseline: ({ context }) => ({
        yaw: context.frontalYawSum / Math.max(1, context.frontalRun),
        pitch: context.frontalPitchSum / Math.max(1, context.frontalRun),
      }),
    }),
    startChallenge: assign({
      phaseStartedAtMs: ({ context }) => context.lastTimestampMs,
      progress: INITIAL_CHALLENGE_PROGRESS,
      timeline: ({ context }) => {
        const challenge = context.challenges[context.index];
        if (challenge === undefined) return context.timeline;
        const entry: ChallengeRecord = {
          challenge,
          index: context.index,
          startedAtMs: context.lastTimestampMs,
          endedAtMs: undefined,
          outcome: 'pending',
          frames: 0,
        };
        return [...context.timeline, entry];
      },
    }),
    emitChallenge: emit(({ context }): LivenessEmitted => ({
      type: 'liveness.challenge',
      challenge: context.challenges[context.index] ?? 'blink',
      index: context.index,
      total: context.challenges.length,
      deadlineMs: context.params.challengeDeadlineMs,
    })),
    noteChallengeFrame: assign(({ context, event }) => {
      const o = usable(event);
      const challenge = context.challenges[context.index];
      const counts = usableFrontal(o, context.params);
      return {
        lastTimestampMs: o.timestampMs,
        lastFaceAtMs: o.faceCount > 0 ? o.timestampMs : context.lastFaceAtMs,
        progress:
          challenge === undefined || context.baseline === undefined
            ? context.progress
            : advanceChallenge(challenge, context.progress, o, context.baseline, context.params),
        antiSpoofSum: counts ? context.antiSpoofSum + o.spoofScore : context.antiSpoofSum,
        antiSpoofMin: counts ? Math.min(context.antiSpoofMin, o.spoofScore) : context.antiSpoofMin,
        antiSpoofFrames: counts ? context.antiSpoofFrames + 1 : context.antiSpoofFrames,
      };
    }),
    noteNoFace: assign({ lastTimestampMs: ({ event }) => usable(event).timestampMs }),
    completeChallenge: assign({
      timeline: ({ context }) =>
        withTimelineEntry(context.timeline, context.index, (entry) => ({
          ...entry,
          outcome: 'passed',
          endedAtMs: context.lastTimestampMs,
          frames: context.progress.frames,
        })),
    }),
    emitChallengePassed: emit(({ context }): LivenessEmitted => ({
      type: 'liveness.challengePassed',
      challenge: context.challenges[context.index] ?? 'blink',
      index: context.index,
      total: context.challenges.length,
    })),
    nextChallenge: assign({ index: ({ context }) => context.index + 1 }),
    startReturn: assign({
      phaseStartedAtMs: ({ context }) => context.lastTimestampMs,
      frontalRun: 0,
    }),
    noteReturnFrame: assign(({ context, event }) => {
      const o = usable(event);
      const counts = usableFrontal(o, context.params);
      return {
        lastTimestampMs: o.timestampMs,
        lastFaceAtMs: o.faceCount > 0 ? o.timestampMs : context.lastFaceAtMs,
        frontalRun: usableFrontal(o, context.params) ? context.frontalRun + 1 : 0,
        antiSpoofSum: counts ? context.antiSpoofSum + o.spoofScore : context.antiSpoofSum,
        antiSpoofMin: counts ? Math.min(context.antiSpoofMin, o.spoofScore) : context.antiSpoofMin,
        antiSpoofFrames: counts ? context.antiSpoofFrames + 1 : context.antiSpoofFrames,
      };
    }),
    restart: assign(({ context }) => ({
      challenges: drawChallenges(
        context.random,
        context.params.challengePool,
        context.params.challengeCount,
      ),
      index: 0,
      restarts: context.restarts + 1,
      phaseStartedAtMs: undefined,
      lastFaceAtMs: undefined,
      frontalRun: 0,
      frontalYawSum: 0,
      frontalPitchSum: 0,
      baseline: undefined,
      trackId: undefined,
      progress: INITIAL_CHALLENGE_PROGRESS,
      timeline: withTimelineEntry(context.timeline, context.index, (entry) =>
        entry.outcome === 'pending'
          ? { ...entry, outcome: 'restarted', endedAtMs: context.lastTimestampMs }
          : entry,
      ),
    })),
    fail: assign(({ context }, params: FailureReason) => ({
      failure: params,
      timeline: withTimelineEntry(context.timeline, context.index, (entry) =>
        entry.outcome === 'pending'
          ? {
              ...entry,
              outcome: 'failed',
              endedAtMs: context.lastTimestampMs,
              frames: context.progress.frames,
            }
          : entry,
      ),
    })),
  },
  delays: {
    positioningDeadline: ({ context }) => context.params.positioningDeadlineMs,
    challengeDeadline: ({ context }) => context.params.challengeDeadlineMs,
    returnDeadline: ({ context }) => context.params.returnDeadlineMs,
  },
}).createMachine({
  id: 'liveness',
  context: ({ input }) => {
    const params = resolveLivenessParams(input.params);
    return {
      params,
      random: input.random,
      challenges: drawChallenges(input.random, params.challengePool, params.challengeCount),
      index: 0,
      restarts: 0,
      lastTimestampMs: undefined,
      lastFaceAtMs: undefined,
      phaseStartedAtMs: undefined,
      frontalRun: 0,
      frontalYawSum: 0,
      frontalPitchSum: 0,
      baseline: undefined,
      trackId: undefined,
      progress: INITIAL_CHALLENGE_PROGRESS,
      antiSpoofSum: 0,
      antiSpoofMin: 1,
      antiSpoofFrames: 0,
      timeline: [],
      ignoredFrames: 0,
      failure: undefined,
    };
  },
  initial: 'positioning',
  on: {
    CANCEL: {
      target: '.failed',
      actions: {
        type: 'fail',
        params: ({ event }) => ({
          code: 'liveness_cancelled',
          message: typeof event.reason === 'string' ? event.reason.slice(0, 200) : 'cancelled',
        }),
      },
    },
  },
  output: ({ context }) => ({
    passed: context.failure === undefined,
    reasons: context.failure === undefined ? [] : [context.failure.code],
    challenges: context.timeline,
    antiSpoof: {
      mean: context.antiSpoofFrames === 0 ? 0 : context.antiSpoofSum / context.antiSpoofFrames,
      min: context.antiSpoofFrames === 0 ? 0 : context.antiSpoofMin,
      frames: context.antiSpoofFrames,
    },
    restarts: context.restarts,
    ignoredFrames: context.ignoredFrames,
  }),
  states: {
    positioning: {
      on: {
        'FRAME.OBSERVED': [
          { guard: 'observationUnusable', actions: 'countIgnored' },
          {
            guard: { type: 'phaseDeadlinePassed', params: { phase: 'positioning' } },
            target: 'failed',
            actions: {
              type: 'fail',
              params: {
                code: 'liveness_positioning_timeout',
                message: 'no frontal pose was held in time',
              },
            },
          },
          { actions: 'notePositioningFrame' },
        ],
      },
      always: { guard: 'frontalHeld', target: 'challenge', actions: 'lockBaseline' },
      after: {
        positioningDeadline: {
          target: 'failed',
          actions: {
            type: 'fail',
            params: {
              code: 'liveness_positioning_timeout',
              message: 'no frontal pose was held in time',
            },
          },
        },
      },
    },
    challenge: {
      entry: ['startChallenge', 'emitChallenge'],
      on: {
        'FRAME.OBSERVED': [
          ...FACE_INTEGRITY_CHECKS,
          {
            guard: { type: 'phaseDeadlinePassed', params: { phase: 'challenge' } },
            target: 'failed',
            actions: {
              type: 'fail',
              params: {
                code: 'liveness_challenge_timeout',
                message: 'the challenge was not completed in time',
              },
            },
          },
          { actions: 'noteChallengeFrame' },
        ],
      },
      always: [
        {
          guard: 'planarMotion',
          target: 'failed',
          actions: {
            type: 'fail',
            params: {
              code: 'liveness_planar_motion',
              message: 'the head turn moved like a flat picture',
            },
          },
        },
        {
          guard: and(['challengeSatisfied', 'hasMoreChallenges']),
          target: 'returnToFrontal',
          actions: ['completeChallenge', 'emitChallengePassed', 'nextChallenge'],
        },
        {
          // The last one too ends with a return to frontal: a turn is "beyond the threshold in
          // the asked direction and back", and the verdict waits for the face to come back.
          guard: and(['challengeSatisfied', not('hasMoreChallenges')]),
          target: 'returnToFrontal',
          actions: ['completeChallenge', 'emitChallengePassed', 'nextChallenge'],
        },
      ],
      after: {
        challengeDeadline: {
          target: 'failed',
          actions: {
            type: 'fail',
            params: {
              code: 'liveness_challenge_timeout',
              message: 'the challenge was not completed in time',
            },
          },
        },
      },
    },
    returnToFrontal: {
      entry: 'startReturn',
      on: {
        'FRAME.OBSERVED': [
          ...FACE_INTEGRITY_CHECKS,
          {
            guard: { type: 'phaseDeadlinePassed', params: { phase: 'return' } },
            target: 'failed',
            actions: {
              type: 'fail',
              params: {
                code: 'liveness_return_timeout',
                message: 'the customer did not face the camera again in time',
              },
            },
          },
          { actions: 'noteReturnFrame' },
        ],
      },
      always: [
        { guard: and(['frontalHeld', 'allChallengesDone']), target: 'evaluating' },
        { guard: 'frontalHeld', target: 'challenge' },
      ],
      after: {
        returnDeadline: {
          target: 'failed',
          actions: {
            type: 'fail',
            params: {
              code: 'liveness_return_timeout',
              message: 'the customer did not face the camera again in time',
            },
          },
        },
      },
    },
    evaluating: {
      always: [
        {
          guard: 'antiSpoofTooFewFrames',
          target: 'failed',
          actions: {
            type: 'fail',
            params: {
              code: 'liveness_insufficient_frames',
              message: 'too few usable frames to judge anti-spoofing',
            },
          },
        },
        {
          guard: 'antiSpoofBelowThreshold',
          target: 'failed',
          actions: {
            type: 'fail',
            params: {
              code: 'liveness_spoof_suspected',
              message: 'the passive anti-spoof score is too low',
            },
          },
        },
        { target: 'passed' },
      ],
    },
    passed: { type: 'final' },
    failed: { type: 'final' },
  },
});
