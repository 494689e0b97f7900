import type { Face, FaceAnalysis, RgbFrame } from '@kycd/models';
import { cosineSimilarity } from '@kycd/models';
import { KycdError } from '@kycd/plugin-sdk';

/** The 1:1 decision of {@link matchFaces} (the `match.result` event payload). */
export interface FaceMatch {
  /** Cosine similarity of the two L2-normalised embeddings (−1..1). */
  readonly score: number;
  readonly threshold: number;
  /** `inconclusive` when the score lies within `margin` of the threshold. */
  readonly decision: 'match' | 'no_match' | 'inconclusive';
}

/** Options of {@link matchFaces}. */
export interface MatchFacesOptions {
  readonly analysis: FaceAnalysis;
  /** Decision threshold (default: the FaceAnalysis' verify threshold). */
  readonly threshold?: number;
  /** Half-width of the inconclusive band around the threshold (default 0.03). */
  readonly margin?: number;
  /** The live face in `bestFrame` when already known (saves a detection), and its embedding. */
  readonly bestFace?: Face;
  readonly bestEmbedding?: Float32Array;
  readonly signal?: AbortSignal;
}

/**
 * Compare the best live frame with the document's photo (chip portrait decoded to RGB): the
 * largest face of each is embedded and compared by cosine. Rejects with `face_not_found` when
 * either image has no face, and `liveness_cancelled` on abort.
 *
 * @example
 * ```ts
 * const { score, threshold, decision } = await matchFaces(result.bestFrame, chipPhotoRgb, { analysis });
 * ```
 */
export async function matchFaces(
  bestFrame: RgbFrame,
  documentPhotoRgb: RgbFrame,
  options: MatchFacesOptions,
): Promise<FaceMatch> {
  const { analysis, signal } = options;
  const threshold = options.threshold ?? analysis.verifyThreshold;
  const margin = options.margin ?? 0.03;
  if (!(threshold >= -1 && threshold <= 1))
    throw new RangeError(`threshold must be within −1..1, got ${threshold}`);
  if (!(margin >= 0 && margin < 1))
    throw new RangeError(`margin must be within 0..1, got ${margin}`);
  const checkAbort = (): void => {
    if (signal?.aborted === true)
      throw new KycdError('liveness_cancelled', 'the face match was cancelled');
  };
  checkAbort();
  let live = options.bestEmbedding;
  if (live === undefined) {
    const face =
      options.bestFace ??
      (await analysis.embedSubject(bestFrame).catch(rethrowNoFace('live frame'))).face;
    live = await analysis.embed(bestFrame, face);
  }
  checkAbort();
  const { embedding: doc } = await analysis
    .embedSubject(documentPhotoRgb)
    .catch(rethrowNoFace('document photo'));
  checkAbort();
  const score = cosineSimilarity(live, doc);
  const decision =
    Math.abs(score - threshold) < margin
      ? 'inconclusive'
      : score >= threshold
        ? 'match'
        : 'no_match';
  return { score: Math.round(score * 10000) / 10000, threshold, decision };
}

function rethrowNoFace(what: string): (err: unknown) => never {
  return (err) => {
    if (err instanceof Error && (err as { code?: unknown }).code === 'face_not_found') {
      throw new KycdError('face_not_found', `no face found in the ${what}`, { cause: err });
    }
    throw err;
  };
}
