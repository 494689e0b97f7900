import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FaceObservation } from './FaceObservation.js';
import { LIVENESS_DEFAULTS, resolveLivenessParams } from './LivenessParams.js';
import { LivenessRules, type LivenessStep } from './LivenessRules.js';

const frontal = (t: number, over: Partial<FaceObservation> = {}): FaceObservation => ({
  timestampMs: t,
  faceCount: 1,
  trackId: 1,
  yaw: 2,
  pitch: 1,
  roll: 0,
  leftEyeClosed: 0.02,
  rightEyeClosed: 0.03,
  spoofScore: 0.95,
  quality: { ok: true, codes: [] },
  ...over,
});

/** Feed observations at 15 fps built by `at(t)` until a verdict or `untilMs`. */
function drive(rules: LivenessRules, at: (t: number) => Partial<FaceObservation>, untilMs = 30_000): LivenessStep[] {
  const steps: LivenessStep[] = [];
  for (let t = 0; t <= untilMs && rules.verdict === undefined; t += 66) steps.push(...rules.observe(frontal(t, at(t))));
  return steps;
}

describe('LivenessRules', () => {
  it('passes turn left, turn right and blink performed in order', () => {
    const rules = new LivenessRules(LIVENESS_DEFAULTS, ['turnLeft', 'turnRight', 'blink']);
    const steps = drive(rules, (t) => {
      if (t > 500 && t < 1200) return { yaw: -28, planarResidual: 0.09, quality: { ok: false, codes: ['yaw_out_of_range'] } };
      if (t > 1800 && t < 2500) return { yaw: 27, planarResidual: 0.1 };
      if (t > 3000 && t < 3200) return { leftEyeClosed: 0.99, rightEyeClosed: 0.97 };
      return {};
    });
    expect(rules.verdict).toEqual({ passed: true, reasons: [] });
    expect(steps.filter((s) => s.type === 'challenge.completed').map((s) => (s as { challenge: string }).challenge)).toEqual(['turnLeft', 'turnRight', 'blink']);
  });

  it.each([
    ['a flat turn (homography residual below threshold)', (t: number) => (t > 500 ? { yaw: -25, planarResidual: 0.02 } : {}), 'liveness_planar_motion'],
    ['the wrong direction', (t: number) => (t > 500 ? { yaw: 25 } : {}), 'liveness_wrong_direction'],
    ['no turn at all', () => ({}), 'liveness_challenge_timeout'],
    ['a second face', (t: number) => (t > 300 ? { faceCount: 2 } : {}), 'liveness_multiple_faces'],
    ['the face leaving', (t: number) => (t > 300 ? { faceCount: 0 } : {}), 'liveness_face_lost'],
    ['a new track', (t: number) => (t > 300 ? { trackId: 2 } : {}), 'liveness_track_changed'],
    ['a different person', (t: number) => (t > 300 ? { sameAsReference: false } : {}), 'liveness_identity_changed'],
    ['never frontal', () => ({ yaw: 30 }), 'liveness_positioning_timeout'],
  ] as const)('fails on %s', (_name, at, reason) => {
    const rules = new LivenessRules(LIVENESS_DEFAULTS, ['turnLeft']);
    drive(rules, at);
    expect(rules.verdict).toEqual({ passed: false, reasons: [reason] });
  });

  it('does not take a blink that was already closed when asked, nor one closed too long', () => {
    const rules = new LivenessRules(LIVENESS_DEFAULTS, ['blink']);
    drive(rules, (t) => (t > 300 && t < 1500 ? { leftEyeClosed: 0.9, rightEyeClosed: 0.9 } : {}), 6000);
    expect(rules.verdict?.reasons).toEqual(['liveness_challenge_timeout']);
  });

  it('fails a live-looking sequence on the passive score', () => {
    const rules = new LivenessRules(LIVENESS_DEFAULTS, ['blink']);
    drive(rules, (t) => ({ spoofScore: 0.1, ...(t > 600 && t < 800 ? { leftEyeClosed: 0.9, rightEyeClosed: 0.9 } : {}) }));
    expect(rules.verdict?.reasons).toEqual(['liveness_spoof_suspected']);
  });

  it('always ends with one verdict on arbitrary observations (fuzz)', () => {
    const obs = fc.record({
      faceCount: fc.integer({ min: 0, max: 3 }),
      yaw: fc.double({ min: -90, max: 90, noNaN: true }),
      pitch: fc.double({ min: -90, max: 90, noNaN: true }),
      leftEyeClosed: fc.double({ min: 0, max: 1, noNaN: true }),
      rightEyeClosed: fc.double({ min: 0, max: 1, noNaN: true }),
      spoofScore: fc.double({ min: 0, max: 1, noNaN: true }),
      planarResidual: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: undefined }),
      sameAsReference: fc.option(fc.boolean(), { nil: undefined }),
    });
    fc.assert(
      fc.property(fc.array(obs, { minLength: 1, maxLength: 400 }), (list) => {
        const rules = new LivenessRules(LIVENESS_DEFAULTS, ['turnLeft', 'blink', 'turnRight']);
        let verdicts = 0;
        for (let i = 0; i < 1000 && rules.verdict === undefined; i++) {
          const o = list[i % list.length]!;
          const { planarResidual, sameAsReference, ...rest } = o;
          const steps = rules.observe(frontal(i * 66, { ...rest, ...(planarResidual === undefined ? {} : { planarResidual }), ...(sameAsReference === undefined ? {} : { sameAsReference }) }));
          verdicts += steps.filter((s) => s.type === 'verdict').length;
        }
        expect(rules.verdict).toBeDefined();
        expect(verdicts).toBe(1);
        expect(rules.observe(frontal(1e6))).toEqual([]);
      }),
      { numRuns: 60 },
    );
  });

  it('validates params', () => {
    expect(() => resolveLivenessParams({ challengeCount: 0 })).toThrow(RangeError);
    expect(() => resolveLivenessParams({ blinkMaxMs: Number.NaN })).toThrow(RangeError);
    expect(() => new LivenessRules(LIVENESS_DEFAULTS, [])).toThrow(RangeError);
  });
});
