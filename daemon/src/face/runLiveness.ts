import { createHash } from 'node:crypto';
import type { Face, FaceAnalysis, RgbFrame } from '@kycd/models';
import { cosineSimilarity } from '@kycd/models';
import { KycdError } from '@kycd/plugin-sdk';
import { faceGuidance, guidanceFor, type FaceGuidance, type GuidanceCode } from './FaceGuidance.js';
import type { FaceObservation } from './FaceObservation.js';
import type { Point2 } from './fitHomography.js';
import { resolveLivenessParams, type LivenessChallenge, type LivenessParams } from './LivenessParams.js';
import { LivenessRules, type LivenessStep, type LivenessVerdict } from './LivenessRules.js';
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
  /** Camera-timeline deadline of a started challenge. */
  readonly deadlineMs?: number;
}

/** Options of {@link runLiveness}. */
export interface RunLivenessOptions {
  /** The camera stream (ffmpeg driver or simulated camera); consumed until the verdict. */
  readonly frames: AsyncIterable<TimedRgbFrame>;
  readonly analysis: FaceAnalysis;
  /** Source of randomness for the challenge order (default `Math.random`; inject for tests). */
  readonly random?: () => number;
  readonly params?: Partial<LivenessParams>;
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
  readonly completedChallenges: readonly LivenessChallenge[];
  readonly durationMs: number;
  readonly framesAnalysed: number;
  readonly timeline: readonly LivenessTimelineEntry[];
  readonly scores: {
    readonly antiSpoofMean?: number;
    readonly antiSpoofMin?: number;
    readonly antiSpoofThreshold: number;
    readonly identityMin?: number;
    readonly identityThreshold: number;
    readonly planarResidualMax?: number;
    readonly planarResidualThreshold: number;
    readonly peakYaw: readonly number[];
  };
  /** SHA-256 (hex) of every analysed frame's RGB bytes, in order, with its timestamp. */
  readonly frameHashes: readonly { readonly tMs: number; readonly sha256: string }[];
  /** SHA-256 of the reference (best frontal) frame. */
  readonly bestFrameSha256?: string;
  readonly params: LivenessParams;
}

/** What {@link runLiveness} resolves with. */
export interface LivenessResult {
  readonly verdict: LivenessVerdict;
  /** The best frontal frame of the same person (for the match); kept in memory only. */
  readonly bestFrame?: TimedRgbFrame;
  /** The face in {@link LivenessResult.bestFrame}. */
  readonly bestFace?: Face;
  /** Its embedding (L2-normalised). */
  readonly bestEmbedding?: Float32Array;
  readonly evidence: LivenessEvidenceRecord;
}

const boxArea = (f: Face): number => Math.max(0, f.box.x2 - f.box.x1) * Math.max(0, f.box.y2 - f.box.y1);
const toPoints = (face: Face): Point2[] | undefined => face.landmarks?.map((p) => [p.x, p.y] as const);

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
  for (let i = 0; i < d.length; i += 3 * 16) {
    sum += 0.299 * d[i]! + 0.587 * d[i + 1]! + 0.114 * d[i + 2]!;
    n++;
  }
  return n === 0 ? 0 : sum / n;
}

/** Pick `count` challenges from the pool in random order (Fisher–Yates). */
export function drawChallenges(pool: readonly LivenessChallenge[], count: number, random: () => number): LivenessChallenge[] {
  const a = [...pool];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a.slice(0, count);
}

/**
 * Run one liveness attempt over a camera stream: every frame is analysed (detection, landmarks,
 * pose, eyes, passive anti-spoof, quality), turned into a {@link FaceObservation} — with the
 * homography residual of turned frames against the frontal reference and, every few frames, the
 * identity check against the reference embedding — and judged by the liveness rules. Resolves
 * with the verdict, the best frontal frame and an evidence record. Deadlines run on the frames'
 * timestamps, so a simulated camera in virtual pacing runs as fast as inference allows.
 *
 * Rejects with `liveness_cancelled` on abort and `camera_stalled` when no frame arrives within
 * `frameTimeoutMs`; a camera error (e.g. `camera_unplugged`) propagates.
 *
 * @example
 * ```ts
 * const result = await runLiveness({ frames: camera.frames({ signal }), analysis, signal,
 *   onChallenge: (e) => publish('face.challenge', e), onGuidance: (g) => publish('face.guidance', g) });
 * ```
 */
export async function runLiveness(options: RunLivenessOptions): Promise<LivenessResult> {
  const p = resolveLivenessParams(options.params);
  const { analysis, signal } = options;
  const random = options.random ?? Math.random;
  const challenges = drawChallenges(p.challengePool, p.challengeCount, random);
  const rules = new LivenessRules(p, challenges);
  const timeline: LivenessTimelineEntry[] = [];
  const frameHashes: { tMs: number; sha256: string }[] = [];
  const completed: LivenessChallenge[] = [];
  const spoof: number[] = [];
  const identity: number[] = [];
  const residuals: number[] = [];
  const peakYaw: number[] = [];
  let guidance: GuidanceCode | undefined;
  let pendingGuidance: GuidanceCode | undefined;
  let reference: { frame: TimedRgbFrame; face: Face; points: Point2[]; embedding: Float32Array; score: number; sha256: string } | undefined;
  let positioningBest: { frame: TimedRgbFrame; face: Face; score: number; sha256: string } | undefined;
  let started = false;
  let trackId = 0;
  let lastBox: Face['box'] | undefined;
  let firstMs: number | undefined;
  let lastMs = 0;
  let framesAnalysed = 0;

  const emitGuidance = (code: GuidanceCode): void => {
    if (code === guidance) {
      pendingGuidance = undefined;
      return;
    }
    // A new code must hold for two frames before it is shown (no flicker).
    if (pendingGuidance !== code) {
      pendingGuidance = code;
      return;
    }
    guidance = code;
    pendingGuidance = undefined;
    options.onGuidance?.(faceGuidance(code));
  };

  const iterator = options.frames[Symbol.asyncIterator]();
  const nextFrame = async (): Promise<IteratorResult<TimedRgbFrame>> => {
    let timer: NodeJS.Timeout | undefined;
    let onAbort: (() => void) | undefined;
    try {
      return await Promise.race([
        iterator.next(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new KycdError('camera_stalled', `no camera frame for ${p.frameTimeoutMs} ms`)), p.frameTimeoutMs);
          onAbort = () => reject(new KycdError('liveness_cancelled', 'the liveness check was cancelled'));
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
      if (signal?.aborted === true) throw new KycdError('liveness_cancelled', 'the liveness check was cancelled');
      const next = await nextFrame();
      if (next.done === true) throw new KycdError('camera_stalled', 'the camera stream ended before a verdict');
      const frame = next.value;
      firstMs ??= frame.timestampMs;
      lastMs = frame.timestampMs;
      framesAnalysed++;
      const sha256 = createHash('sha256').update(frame.data).digest('hex');
      frameHashes.push({ tMs: frame.timestampMs - firstMs, sha256 });

      const detected = [...(await analysis.detect(frame))].sort((a, b) => boxArea(b) - boxArea(a));
      const primary = detected[0];
      const faceCount = primary === undefined ? 0 : detected.filter((f) => boxArea(f) >= 0.16 * boxArea(primary)).length;
      let observation: FaceObservation;
      let face: Face | undefined;
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
        emitGuidance(guidanceFor({ faceCount: 0, qualityCodes: [], frameBrightness: frameBrightness(frame) }));
      } else {
        face = await analysis.enrich(frame, primary, { antiSpoof: true });
        if (lastBox === undefined || iou(lastBox, face.box) < 0.1) trackId++;
        lastBox = face.box;
        const pose = face.pose ?? { yaw: 0, pitch: 0, roll: 0 };
        const codes = face.quality?.codes ?? [];
        const points = toPoints(face);
        let residual: number | undefined;
        if (reference !== undefined && points !== undefined && Math.abs(pose.yaw - (reference.face.pose?.yaw ?? 0)) >= 12) {
          residual = planarResidual(reference.points, points);
          if (residual !== undefined) residuals.push(residual);
        }
        let sameAsReference: boolean | undefined;
        if (reference !== undefined && started && framesAnalysed % p.identityEveryNthFrame === 0 && faceCount === 1) {
          const similarity = cosineSimilarity(await analysis.embed(frame, face), reference.embedding);
          identity.push(similarity);
          sameAsReference = similarity >= p.identityThreshold;
        }
        if (face.antiSpoof !== undefined && faceCount === 1) spoof.push(face.antiSpoof.pLive);
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
          quality: { ok: codes.length === 0, codes },
          ...(residual === undefined ? {} : { planarResidual: residual }),
          ...(sameAsReference === undefined ? {} : { sameAsReference }),
        };
        // Best frontal frame while positioning: the reference for the planar and identity checks.
        if (!started && faceCount === 1 && codes.length === 0 && Math.abs(pose.yaw) <= p.frontalMaxYawDeg) {
          const score = face.score * Math.min(1, (face.quality?.sharpness ?? 0) / 200) * (1 - Math.abs(pose.yaw) / 90);
          if (positioningBest === undefined || score > positioningBest.score) positioningBest = { frame, face, score, sha256 };
        }
        if (!started) emitGuidance(guidanceFor({ faceCount, qualityCodes: codes, frameBrightness: frameBrightness(frame) }));
        else if (faceCount > 1) emitGuidance('multiple_faces');
      }

      const steps: LivenessStep[] = rules.observe(observation);
      for (const step of steps) {
        const tMs = frame.timestampMs - firstMs;
        switch (step.type) {
          case 'positioned': {
            started = true;
            const best = positioningBest ?? (face === undefined ? undefined : { frame, face, score: 0, sha256 });
            if (best !== undefined) {
              const points = toPoints(best.face);
              if (points !== undefined) {
                reference = { ...best, points, embedding: await analysis.embed(best.frame, best.face) };
              }
            }
            timeline.push({ tMs, event: 'positioned', data: { baselineYaw: round(step.baselineYaw) } });
            break;
          }
          case 'challenge.started':
            timeline.push({ tMs, event: 'challenge.started', data: { challenge: step.challenge, index: step.index } });
            options.onChallenge?.({ type: 'challenge.started', challenge: step.challenge, index: step.index, count: challenges.length, deadlineMs: step.deadlineMs });
            guidance = step.challenge === 'turnLeft' ? 'turn_left' : step.challenge === 'turnRight' ? 'turn_right' : 'blink';
            options.onGuidance?.(faceGuidance(guidance));
            break;
          case 'challenge.performed':
            if (step.peakYaw !== undefined) peakYaw.push(round(step.peakYaw));
            timeline.push({
              tMs,
              event: 'challenge.performed',
              data: {
                challenge: step.challenge,
                ...(step.peakYaw === undefined ? {} : { peakYaw: round(step.peakYaw) }),
                ...(step.planarResidual === undefined ? {} : { planarResidual: round(step.planarResidual, 4) }),
              },
            });
            if (step.challenge !== 'blink') {
              guidance = 'look_straight';
              options.onGuidance?.(faceGuidance(guidance));
            }
            break;
          case 'challenge.completed':
            completed.push(step.challenge);
            timeline.push({ tMs, event: 'challenge.completed', data: { challenge: step.challenge } });
            options.onChallenge?.({ type: 'challenge.completed', challenge: step.challenge, index: step.index, count: challenges.length });
            break;
          case 'verdict':
            timeline.push({ tMs, event: 'verdict', data: { passed: step.verdict.passed, reasons: step.verdict.reasons.join(',') } });
            break;
        }
      }
      const verdict = rules.verdict;
      if (verdict !== undefined) {
        const evidence: LivenessEvidenceRecord = {
          passed: verdict.passed,
          reasons: verdict.reasons,
          challenges,
          completedChallenges: completed,
          durationMs: lastMs - (firstMs ?? lastMs),
          framesAnalysed,
          timeline,
          scores: {
            ...(spoof.length === 0 ? {} : { antiSpoofMean: round(mean(spoof), 4), antiSpoofMin: round(Math.min(...spoof), 4) }),
            antiSpoofThreshold: p.antiSpoofThreshold,
            ...(identity.length === 0 ? {} : { identityMin: round(Math.min(...identity), 4) }),
            identityThreshold: p.identityThreshold,
            ...(residuals.length === 0 ? {} : { planarResidualMax: round(Math.max(...residuals), 4) }),
            planarResidualThreshold: p.planarResidualThreshold,
            peakYaw,
          },
          frameHashes,
          ...(reference === undefined ? {} : { bestFrameSha256: reference.sha256 }),
          params: p,
        };
        return {
          verdict,
          ...(reference === undefined ? {} : { bestFrame: reference.frame, bestFace: reference.face, bestEmbedding: reference.embedding }),
          evidence,
        };
      }
    }
  } finally {
    void iterator.return?.();
  }
}

const mean = (a: readonly number[]): number => a.reduce((s, v) => s + v, 0) / a.length;
const round = (v: number, digits = 1): number => Math.round(v * 10 ** digits) / 10 ** digits;
