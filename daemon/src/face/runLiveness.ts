import { createHash } from 'node:crypto';
import type { Face, FaceAnalysis, QualityCode, RgbFrame } from '@kycd/models';
import { cosineSimilarity } from '@kycd/models';
import { KycdError } from '@kycd/plugin-sdk';
import { livenessMachine, resolveLivenessParams } from '@kycd/state-machines';
import type {
  FaceObservation,
  LivenessChallenge,
  LivenessParams,
  LivenessVerdict,
} from '@kycd/state-machines';
import { createActor } from 'xstate';
import { faceGuidance, guidanceFor, type FaceGuidance, type GuidanceCode } from './FaceGuidance.js';
import type { Point2 } from './fitHomography.js';
import { FrameClock } from './FrameClock.js';
import { planarResidual } from './planarResidual.js';

/** A camera frame with the camera's timestamp (what the drivers and the simulator deliver). */
export interface TimedRgbFrame extends RgbFrame {
  readonly timestampMs: number;
}

/** A challenge prompt or its completion, for the POS (and the simulated customer). */
export interface LivenessChallengeEvent {
  readonly type: 'challenge.started' | 'challenge.completed';
  readonly challenge: LivenessChallenge;
  /** 0-based position in the sequence, and the sequence length. */
  readonly index: number;
  readonly count: number;
  /** Time the customer has for a started challenge, ms. */
  readonly deadlineMs?: number;
}

/** Engine settings beyond the machine's {@link LivenessParams}; defaults in {@link LIVENESS_ENGINE_DEFAULTS}. */
export interface LivenessEngineOptions {
  /** No frame from the camera for this long (wall clock) → `camera_stalled`. */
  readonly frameTimeoutMs: number;
  /** Embed every n-th analysed frame for the identity check (near-frontal frames only). */
  readonly identityEveryNthFrame: number;
  /** Identity checks run on frames within this many degrees of the frontal reference yaw. */
  readonly identityMaxYawDeltaDeg: number;
  /** Planar residuals are computed for frames at least this far (yaw) from the reference. */
  readonly planarMinYawDeltaDeg: number;
  /** A second face counts when its box area is at least this fraction of the largest one. */
  readonly secondFaceMinAreaRatio: number;
}

/** Defaults of {@link LivenessEngineOptions}. */
export const LIVENESS_ENGINE_DEFAULTS: LivenessEngineOptions = {
  frameTimeoutMs: 3000,
  identityEveryNthFrame: 2,
  identityMaxYawDeltaDeg: 20,
  planarMinYawDeltaDeg: 12,
  secondFaceMinAreaRatio: 0.16,
};

/** Options of {@link runLiveness}. */
export interface RunLivenessOptions {
  /** The camera stream (ffmpeg driver or simulated camera); consumed until the verdict. */
  readonly frames: AsyncIterable<TimedRgbFrame>;
  readonly analysis: FaceAnalysis;
  /** Source of randomness in [0, 1) for the challenge order (default `Math.random`). */
  readonly random?: () => number;
  /** Overrides of the liveness machine's params (`DEFAULT_LIVENESS_PARAMS`). */
  readonly params?: Partial<LivenessParams>;
  readonly engine?: Partial<LivenessEngineOptions>;
  readonly signal?: AbortSignal;
  /** Called when the guidance code changes (`face.guidance`). */
  readonly onGuidance?: (guidance: FaceGuidance) => void;
  /** Called when a challenge is asked or completed. */
  readonly onChallenge?: (event: LivenessChallengeEvent) => void;
}

/** One line of the evidence timeline. */
export interface LivenessTimelineEntry {
  readonly tMs: number;
  readonly event: string;
  readonly data?: Readonly<Record<string, number | string | boolean>>;
}

/** The evidence record of an attempt: timeline, scores and frame hashes — never pixels. */
export interface LivenessEvidenceRecord {
  readonly passed: boolean;
  readonly reasons: readonly string[];
  readonly challenges: readonly LivenessChallenge[];
  /** The machine's per-challenge records (frame times). */
  readonly challengeRecords: LivenessVerdict['challenges'];
  readonly completedChallenges: readonly LivenessChallenge[];
  readonly durationMs: number;
  readonly framesAnalysed: number;
  readonly restarts: number;
  readonly ignoredFrames: number;
  readonly timeline: readonly LivenessTimelineEntry[];
  readonly scores: {
    readonly antiSpoofMean: number;
    readonly antiSpoofMin: number;
    readonly antiSpoofFrames: number;
    readonly antiSpoofThreshold: number;
    readonly identityMin?: number;
    readonly identityThreshold: number;
    readonly planarResidualMax?: number;
    readonly planarResidualThreshold: number;
    /** Largest |yaw| seen towards each completed turn. */
    readonly peakYaw: readonly number[];
  };
  /** SHA-256 (hex) of every analysed frame's RGB bytes, in order, with its time since the first frame. */
  readonly frameHashes: readonly { readonly tMs: number; readonly sha256: string }[];
  /** SHA-256 of the reference (best frontal) frame. */
  readonly bestFrameSha256?: string;
  readonly params: LivenessParams;
}

/** What {@link runLiveness} resolves with. */
export interface LivenessResult {
  /** The liveness machine's output. */
  readonly verdict: LivenessVerdict;
  /** The best frontal frame of the same person (for the match); kept in memory only. */
  readonly bestFrame?: TimedRgbFrame;
  /** The face in {@link LivenessResult.bestFrame}. */
  readonly bestFace?: Face;
  /** Its embedding (L2-normalised). */
  readonly bestEmbedding?: Float32Array;
  readonly evidence: LivenessEvidenceRecord;
}

const POSE_CODES: readonly QualityCode[] = [
  'yaw_out_of_range',
  'pitch_out_of_range',
  'roll_out_of_range',
];
const boxArea = (f: Face): number =>
  Math.max(0, f.box.x2 - f.box.x1) * Math.max(0, f.box.y2 - f.box.y1);
const toPoints = (face: Face): Point2[] | undefined =>
  face.landmarks?.map((p) => [p.x, p.y] as const);
const round = (v: number, digits = 1): number => Math.round(v * 10 ** digits) / 10 ** digits;

function iou(a: Face['box'], b: Face['box']): number {
  const ix = Math.max(0, Math.min(a.x2, b.x2) - Math.max(a.x1, b.x1));
  const iy = Math.max(0, Math.min(a.y2, b.y2) - Math.max(a.y1, b.y1));
  const inter = ix * iy;
  const union = (a.x2 - a.x1) * (a.y2 - a.y1) + (b.x2 - b.x1) * (b.y2 - b.y1) - inter;
  return union > 0 ? inter / union : 0;
}

function frameBrightness(frame: RgbFrame): number {
  const d = frame.data;
  let sum = 0;
  let n = 0;
  for (let i = 0; i + 2 < d.length; i += 3 * 16) {
    sum += 0.299 * d[i]! + 0.587 * d[i + 1]! + 0.114 * d[i + 2]!;
    n++;
  }
  return n === 0 ? 0 : sum / n;
}

const guidanceOfChallenge = (c: LivenessChallenge): GuidanceCode =>
  c === 'turnLeft'
    ? 'turn_left'
    : c === 'turnRight'
      ? 'turn_right'
      : c === 'blink'
        ? 'blink'
        : 'look_straight';

interface Reference {
  readonly frame: TimedRgbFrame;
  readonly face: Face;
  readonly points: Point2[];
  readonly yaw: number;
  readonly embedding: Float32Array;
  readonly sha256: string;
}

/**
 * Run one liveness attempt over a camera stream. Every frame is analysed (detection, landmarks,
 * pose, eyes, passive anti-spoof, quality) into a `FaceObservation` — with the homography
 * residual of turned frames against the frontal reference landmarks, and every few near-frontal
 * frames the embedding cosine to the reference — and sent to `@kycd/state-machines`'
 * `livenessMachine`, whose output is the verdict. The machine's timers run on a
 * {@link FrameClock}, so all deadlines are camera time; a simulated camera in virtual pacing
 * runs as fast as inference allows.
 *
 * Resolves with the verdict, the best frontal frame (reference) and an evidence record. Rejects
 * with `liveness_cancelled` on abort and `camera_stalled` when no frame arrives within
 * `frameTimeoutMs`; a camera error (e.g. `camera_unplugged`) propagates.
 *
 * @example
 * ```ts
 * const result = await runLiveness({ frames: camera.frames({ signal }), analysis, signal,
 *   onChallenge: (e) => publish('face.challenge', e), onGuidance: (g) => publish('face.guidance', g) });
 * if (result.verdict.passed) await matchFaces(result.bestFrame!, chipPhoto, { analysis });
 * ```
 */
export async function runLiveness(options: RunLivenessOptions): Promise<LivenessResult> {
  // Identity continuity is held to the recogniser's calibrated verification threshold unless
  // configured otherwise (the machine's generic default is below it).
  const params = resolveLivenessParams({
    sameFaceMinCosine: options.analysis.verifyThreshold,
    ...options.params,
  });
  const engine: LivenessEngineOptions = { ...LIVENESS_ENGINE_DEFAULTS, ...options.engine };
  const { analysis, signal } = options;
  const timeline: LivenessTimelineEntry[] = [];
  const frameHashes: { tMs: number; sha256: string }[] = [];
  const completed: LivenessChallenge[] = [];
  const identity: number[] = [];
  const residuals: number[] = [];
  const peakYaw: number[] = [];
  let guidance: GuidanceCode | undefined;
  let pendingGuidance: GuidanceCode | undefined;
  let reference: Reference | undefined;
  let positioningBest:
    { frame: TimedRgbFrame; face: Face; score: number; sha256: string } | undefined;
  let trackId = 0;
  let lastBox: Face['box'] | undefined;
  let firstMs: number | undefined;
  let lastMs = 0;
  let framesAnalysed = 0;
  let currentChallenge: LivenessChallenge | undefined;
  let turnPeak = 0;

  const emitGuidance = (code: GuidanceCode, immediate = false): void => {
    if (code === guidance) {
      pendingGuidance = undefined;
      return;
    }
    // A new code must hold for two frames before it is shown (no flicker).
    if (!immediate && pendingGuidance !== code) {
      pendingGuidance = code;
      return;
    }
    guidance = code;
    pendingGuidance = undefined;
    options.onGuidance?.(faceGuidance(code));
  };

  let clock: FrameClock | undefined;
  let actor: ReturnType<typeof createActor<typeof livenessMachine>> | undefined;
  const startActor = (atMs: number): ReturnType<typeof createActor<typeof livenessMachine>> => {
    clock = new FrameClock(atMs);
    const a = createActor(livenessMachine, {
      input: { random: options.random ?? Math.random, params },
      clock,
    });
    a.on('liveness.challenge', (e) => {
      currentChallenge = e.challenge;
      turnPeak = 0;
      timeline.push({
        tMs: lastMs - (firstMs ?? lastMs),
        event: 'challenge.started',
        data: { challenge: e.challenge, index: e.index },
      });
      options.onChallenge?.({
        type: 'challenge.started',
        challenge: e.challenge,
        index: e.index,
        count: e.total,
        deadlineMs: e.deadlineMs,
      });
      emitGuidance(guidanceOfChallenge(e.challenge), true);
    });
    a.on('liveness.challengePassed', (e) => {
      completed.push(e.challenge);
      if (e.challenge === 'turnLeft' || e.challenge === 'turnRight') peakYaw.push(round(turnPeak));
      timeline.push({
        tMs: lastMs - (firstMs ?? lastMs),
        event: 'challenge.completed',
        data: { challenge: e.challenge, index: e.index },
      });
      options.onChallenge?.({
        type: 'challenge.completed',
        challenge: e.challenge,
        index: e.index,
        count: e.total,
      });
      currentChallenge = undefined;
      // Every challenge, the last one too, ends with a return to frontal.
      emitGuidance('look_straight', true);
    });
    a.start();
    return a;
  };

  const iterator = options.frames[Symbol.asyncIterator]();
  const nextFrame = async (): Promise<IteratorResult<TimedRgbFrame>> => {
    let timer: NodeJS.Timeout | undefined;
    let onAbort: (() => void) | undefined;
    try {
      return await Promise.race([
        iterator.next(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(
            () =>
              reject(
                new KycdError('camera_stalled', `no camera frame for ${engine.frameTimeoutMs} ms`),
              ),
            engine.frameTimeoutMs,
          );
          onAbort = () =>
            reject(new KycdError('liveness_cancelled', 'the liveness check was cancelled'));
          signal?.addEventListener('abort', onAbort, { once: true });
        }),
      ]);
    } finally {
      clearTimeout(timer);
      if (onAbort !== undefined) signal?.removeEventListener('abort', onAbort);
    }
  };

  try {
    for (;;) {
      if (signal?.aborted === true)
        throw new KycdError('liveness_cancelled', 'the liveness check was cancelled');
      const next = await nextFrame();
      if (next.done === true)
        throw new KycdError('camera_stalled', 'the camera stream ended before a verdict');
      const frame = next.value;
      if (!(frame.timestampMs >= lastMs) && firstMs !== undefined) continue; // out of order: drop
      firstMs ??= frame.timestampMs;
      lastMs = frame.timestampMs;
      actor ??= startActor(frame.timestampMs);
      framesAnalysed++;
      const sha256 = createHash('sha256').update(frame.data).digest('hex');
      frameHashes.push({ tMs: frame.timestampMs - firstMs, sha256 });
      const state = actor.getSnapshot().value;
      const positioning = state === 'positioning';

      const detected = [...(await analysis.detect(frame))].sort((a, b) => boxArea(b) - boxArea(a));
      const primary = detected[0];
      const faceCount =
        primary === undefined
          ? 0
          : detected.filter((f) => boxArea(f) >= engine.secondFaceMinAreaRatio * boxArea(primary))
              .length;
      let observation: FaceObservation;
      if (primary === undefined) {
        observation = {
          timestampMs: frame.timestampMs,
          faceCount: 0,
          yaw: 0,
          pitch: 0,
          roll: 0,
          leftEyeClosed: 0,
          rightEyeClosed: 0,
          spoofScore: 0,
          quality: { ok: false, codes: [] },
        };
        emitGuidance(
          guidanceFor({ faceCount: 0, qualityCodes: [], frameBrightness: frameBrightness(frame) }),
        );
      } else {
        const face = await analysis.enrich(frame, primary, { antiSpoof: true });
        if (lastBox === undefined || iou(lastBox, face.box) < 0.1) trackId++;
        lastBox = face.box;
        // No pose estimate is no evidence: NaN angles make the machine ignore the frame (never frontal).
        const pose = face.pose ?? { yaw: Number.NaN, pitch: Number.NaN, roll: Number.NaN };
        const codes = face.quality?.codes ?? [];
        // The machine judges the pose itself; the quality gate it sees is about the image.
        const imageCodes = codes.filter((c) => !POSE_CODES.includes(c));
        const points = toPoints(face);
        let residual: number | undefined;
        if (
          reference !== undefined &&
          points !== undefined &&
          Math.abs(pose.yaw - reference.yaw) >= engine.planarMinYawDeltaDeg
        ) {
          residual = planarResidual(reference.points, points);
          if (residual !== undefined) residuals.push(residual);
        }
        let sameAsReference: number | undefined;
        if (
          reference !== undefined &&
          !positioning &&
          faceCount === 1 &&
          framesAnalysed % engine.identityEveryNthFrame === 0 &&
          Math.abs(pose.yaw - reference.yaw) <= engine.identityMaxYawDeltaDeg
        ) {
          sameAsReference = Math.max(
            -1,
            Math.min(1, cosineSimilarity(await analysis.embed(frame, face), reference.embedding)),
          );
          identity.push(sameAsReference);
        }
        if (currentChallenge === 'turnLeft' || currentChallenge === 'turnRight') {
          if (
            Math.sign(pose.yaw) === (currentChallenge === 'turnLeft' ? -1 : 1) &&
            Math.abs(pose.yaw) > Math.abs(turnPeak)
          )
            turnPeak = pose.yaw;
        }
        observation = {
          timestampMs: frame.timestampMs,
          faceCount,
          trackId,
          yaw: pose.yaw,
          pitch: pose.pitch,
          roll: pose.roll,
          leftEyeClosed: face.eyes?.leftClosed ?? 0,
          rightEyeClosed: face.eyes?.rightClosed ?? 0,
          spoofScore: face.antiSpoof?.pLive ?? 0,
          quality: { ok: imageCodes.length === 0, codes: imageCodes },
          ...(residual === undefined ? {} : { planarResidual: residual }),
          ...(sameAsReference === undefined ? {} : { sameAsReference }),
        };
        // Best frontal frame while positioning: the reference for the planar and identity checks.
        if (
          positioning &&
          faceCount === 1 &&
          codes.length === 0 &&
          Math.abs(pose.yaw) <= params.frontalMaxYawDeg
        ) {
          const score =
            face.score *
            Math.min(1, (face.quality?.sharpness ?? 0) / 200) *
            (1 - Math.abs(pose.yaw) / 90);
          if (positioningBest === undefined || score > positioningBest.score)
            positioningBest = { frame, face, score, sha256 };
        }
        if (positioning)
          emitGuidance(
            guidanceFor({
              faceCount,
              qualityCodes: codes,
              frameBrightness: frameBrightness(frame),
            }),
          );
        // A second face ends the check on this frame: say why at once.
        else if (faceCount > 1) emitGuidance('multiple_faces', true);
      }

      clock!.advanceTo(frame.timestampMs);
      if (actor.getSnapshot().status === 'active') {
        const wasPositioning = actor.getSnapshot().value === 'positioning';
        actor.send({ type: 'FRAME.OBSERVED', observation });
        if (
          wasPositioning &&
          actor.getSnapshot().value !== 'positioning' &&
          reference === undefined &&
          positioningBest !== undefined
        ) {
          // Lock the reference the moment the machine leaves positioning.
          const points = toPoints(positioningBest.face);
          if (points !== undefined) {
            reference = {
              ...positioningBest,
              points,
              yaw: positioningBest.face.pose?.yaw ?? 0,
              embedding: await analysis.embed(positioningBest.frame, positioningBest.face),
            };
            timeline.push({
              tMs: frame.timestampMs - firstMs,
              event: 'positioned',
              data: { referenceYaw: round(reference.yaw) },
            });
          }
        }
      }
      const snapshot = actor.getSnapshot();
      if (snapshot.status === 'done') {
        const verdict = snapshot.output as LivenessVerdict;
        timeline.push({
          tMs: frame.timestampMs - firstMs,
          event: 'verdict',
          data: { passed: verdict.passed, reasons: verdict.reasons.join(',') },
        });
        const evidence: LivenessEvidenceRecord = {
          passed: verdict.passed,
          reasons: verdict.reasons,
          challenges: verdict.challenges.map((c) => c.challenge),
          challengeRecords: verdict.challenges,
          completedChallenges: completed,
          durationMs: lastMs - firstMs,
          framesAnalysed,
          restarts: verdict.restarts,
          ignoredFrames: verdict.ignoredFrames,
          timeline,
          scores: {
            antiSpoofMean: round(verdict.antiSpoof.mean, 4),
            antiSpoofMin: round(verdict.antiSpoof.min, 4),
            antiSpoofFrames: verdict.antiSpoof.frames,
            antiSpoofThreshold: params.antiSpoofMinMean,
            ...(identity.length === 0 ? {} : { identityMin: round(Math.min(...identity), 4) }),
            identityThreshold: params.sameFaceMinCosine,
            ...(residuals.length === 0
              ? {}
              : { planarResidualMax: round(Math.max(...residuals), 4) }),
            planarResidualThreshold: params.minPlanarResidual,
            peakYaw,
          },
          frameHashes,
          ...(reference === undefined ? {} : { bestFrameSha256: reference.sha256 }),
          params,
        };
        return {
          verdict,
          ...(reference === undefined
            ? {}
            : {
                bestFrame: reference.frame,
                bestFace: reference.face,
                bestEmbedding: reference.embedding,
              }),
          evidence,
        };
      }
      if (snapshot.status !== 'active')
        throw new KycdError('internal', `liveness machine stopped (${snapshot.status})`);
    }
  } finally {
    actor?.stop();
    void iterator.return?.();
  }
}
