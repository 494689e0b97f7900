import { describe, expect, it } from 'vitest';
import type { FaceBehavior } from '@kycd/hardware-sim';
import { summariseCorpus, type CorpusRun } from './corpusMetrics.js';

/** `n` runs of `behavior`, the first `accepted` of them passed, over photos p0..p4. */
function runs(
  behavior: FaceBehavior,
  n: number,
  accepted: number,
  reason = 'liveness_challenge_timeout',
): CorpusRun[] {
  return Array.from({ length: n }, (_, i) => ({
    behavior,
    photo: `p${i % 5}`,
    seed: i,
    passed: i < accepted,
    reasons: i < accepted ? [] : [reason],
    simMs: 1000,
    wallMs: 10,
  }));
}

describe('summariseCorpus (ISO/IEC 30107-3 arithmetic)', () => {
  it('BPCER = live runs rejected ÷ live runs; APCER = attacks accepted ÷ attacks, per attack type', () => {
    const s = summariseCorpus([
      ...runs('live', 50, 49),
      ...runs('print', 50, 0, 'liveness_planar_motion'),
      ...runs('swap', 200, 1),
    ]);
    expect(s.bpcerPercent).toBeCloseTo(2);
    expect(s.apcerPercent).toEqual({ print: 0, swap: 0.5 });
    expect(s.failures).toEqual([]);
    const print = s.behaviors.find((b) => b.behavior === 'print')!;
    expect(print).toMatchObject({
      presentationClass: 'attack',
      runs: 50,
      accepted: 0,
      photos: 5,
      reasons: { liveness_planar_motion: 50 },
    });
  });

  it('misses the targets above 2 % BPCER or 1 % APCER of any one attack type, however good the others', () => {
    const s = summariseCorpus([
      ...runs('live', 100, 97),
      ...runs('print', 100, 0),
      ...runs('screen', 100, 2),
    ]);
    expect(s.bpcerPercent).toBeCloseTo(3);
    expect(s.apcerPercent.screen).toBeCloseTo(2);
    expect(s.failures).toEqual(['BPCER 3.00 % > 2 %', 'APCER screen 2.00 % > 1 %']);
  });

  it('keeps noFace and dark out of APCER (failures to acquire), but a pass without a face is a failure', () => {
    const ok = summariseCorpus([
      ...runs('noFace', 50, 0, 'liveness_positioning_timeout'),
      ...runs('dark', 50, 0),
    ]);
    expect(ok.apcerPercent).toEqual({});
    expect(ok.notAcquiredPercent).toEqual({ noFace: 100, dark: 100 });
    expect(ok.bpcerPercent).toBeUndefined();
    const bad = summariseCorpus(runs('dark', 50, 1));
    expect(bad.notAcquiredPercent.dark).toBeCloseTo(98);
    expect(bad.failures).toEqual(['dark: 1 of 50 runs passed without an acquirable face']);
  });

  it('requires the minimum number of runs per behaviour, and rejects unknown behaviours', () => {
    expect(summariseCorpus(runs('live', 49, 49), { minRunsPerBehavior: 50 }).failures).toEqual([
      'live: 49 runs, fewer than 50',
    ]);
    expect(() =>
      summariseCorpus([{ ...runs('live', 1, 1)[0]!, behavior: 'cooperative' as FaceBehavior }]),
    ).toThrow(RangeError);
  });
});
