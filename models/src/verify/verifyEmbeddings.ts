/** The outcome of a 1:1 comparison. */
export interface Verification {
  /** Cosine similarity of the two embeddings, −1..1. */
  readonly score: number;
  /** The threshold the decision used. */
  readonly threshold: number;
  /** `match` when score ≥ threshold. */
  readonly decision: 'match' | 'no_match';
}

/**
 * Default verification threshold for the default embedder (fr_feature, B,G,R, cosine of
 * L2-normalised embeddings), calibrated for a false-match rate ≤ 0.1 %: on the labelled deepface
 * images (61 images, 13 identities, every pair: 140 genuine, 1,690 impostor) at most one
 * impostor pair may match; 0.45 lies between the second-highest impostor (0.419) and the lowest
 * genuine score (0.474). Measured there: FMR 0.059 % (1 / 1,690), FNMR 0 % (0 / 140). A small
 * set of celebrity photos: recalibrate with chip portraits against live frames before relying
 * on the rate. See models/README.md, “Verification”.
 */
export const DEFAULT_VERIFY_THRESHOLD = 0.45;

/** Cosine similarity of two vectors of equal length. */
export function cosineSimilarity(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length || a.length === 0)
    throw new RangeError(`cosineSimilarity: lengths ${a.length} and ${b.length}`);
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as number;
    const y = b[i] as number;
    dot += x * y;
    na += x * x;
    nb += y * y;
  }
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
}

/** Compare two embeddings: cosine similarity against a threshold. */
export function verifyEmbeddings(
  a: Float32Array,
  b: Float32Array,
  threshold: number = DEFAULT_VERIFY_THRESHOLD,
): Verification {
  const score = cosineSimilarity(a, b);
  return { score, threshold, decision: score >= threshold ? 'match' : 'no_match' };
}
