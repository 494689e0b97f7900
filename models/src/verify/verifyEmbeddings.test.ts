import { describe, expect, it } from 'vitest';
import {
  DEFAULT_VERIFY_THRESHOLD,
  cosineSimilarity,
  verifyEmbeddings,
} from './verifyEmbeddings.js';

describe('verifyEmbeddings', () => {
  it('scores by cosine and decides against the threshold (inclusive)', () => {
    const a = new Float32Array([1, 0, 0]);
    expect(verifyEmbeddings(a, new Float32Array([2, 0, 0]))).toEqual({
      score: 1,
      threshold: DEFAULT_VERIFY_THRESHOLD,
      decision: 'match',
    });
    expect(verifyEmbeddings(a, new Float32Array([0, 1, 0])).decision).toBe('no_match');
    const at = new Float32Array([0.5, Math.sqrt(0.75), 0]);
    expect(verifyEmbeddings(a, at, 0.5).decision).toBe('match');
    expect(verifyEmbeddings(a, at, 0.5001).decision).toBe('no_match');
  });

  it('rejects mismatched lengths and scores zero vectors 0', () => {
    expect(() => cosineSimilarity(new Float32Array(3), new Float32Array(4))).toThrow(RangeError);
    expect(cosineSimilarity(new Float32Array(3), new Float32Array([1, 1, 1]))).toBe(0);
  });
});
