import {
  DEFAULT_VERIFY_THRESHOLD,
  DETECTOR_DEFAULTS,
  FACE_ANALYSIS_DEFAULTS,
  QUALITY_DEFAULTS,
} from '@kycd/models';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../loadConfig.js';

describe('face config section', () => {
  it('defaults to exactly the models package defaults (one source of truth, checked)', () => {
    const { face } = parseConfig({});
    expect(face.quality).toEqual(QUALITY_DEFAULTS);
    expect(face.verifyThreshold).toBe(DEFAULT_VERIFY_THRESHOLD);
    expect(face.detectionScoreThreshold).toBe(DETECTOR_DEFAULTS.scoreThreshold);
    expect(face.intraOpNumThreads).toBe(FACE_ANALYSIS_DEFAULTS.intraOpNumThreads);
    expect(face.embedderIntraOpNumThreads).toBe(FACE_ANALYSIS_DEFAULTS.embedderIntraOpNumThreads);
    expect(face.modelsDir).toBe('');
    expect(face.manifestFile).toBe('');
  });

  it('refuses out-of-range values and unknown keys', () => {
    expect(() => parseConfig({ face: { verifyThreshold: 2 } })).toThrow();
    expect(() => parseConfig({ face: { quality: { minSharpness: -1 } } })).toThrow();
    expect(() => parseConfig({ face: { threshold: 0.5 } })).toThrow();
  });
});
