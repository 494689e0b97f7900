import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  FACE_BASELINE_FILE,
  readFaceBaseline,
  regressions,
  writeFaceBaseline,
  type FaceEvalBaseline,
  type SetFigures,
} from './faceBaseline.js';
import { dPrime, scoreHistogram } from './facePairs.js';

const SET: SetFigures = {
  genuine: 140,
  impostor: 1690,
  eer: 0.0003,
  fnmr: 0,
  fmr: 0.0006,
  genuineMedian: 0.77,
  impostorMedian: 0.013,
  dPrime: 7.96,
};
const BASE: FaceEvalBaseline = {
  measured: 'test',
  threshold: 0.45,
  noFace: 0,
  sets: { identities: SET, master: { ...SET, genuine: 38, impostor: 262 } },
};
const withSet = (name: string, change: Partial<SetFigures>): FaceEvalBaseline => ({
  ...BASE,
  sets: { ...BASE.sets, [name]: { ...(BASE.sets[name] as SetFigures), ...change } },
});

describe('regressions against the face eval baseline', () => {
  it('passes the baseline itself and changes within the tolerance', () => {
    expect(regressions(BASE, BASE)).toEqual([]);
    // One more false match of 1,690, a slightly lower median, d′ 4 % lower: noise.
    expect(
      regressions(
        withSet('identities', { fmr: 0.0006 + 1 / 1690, genuineMedian: 0.755, dPrime: 7.65 }),
        BASE,
      ),
    ).toEqual([]);
  });

  it.each([
    [
      'FNMR',
      { fnmr: 3 / 140 },
      /identities: FNMR 0\.0214, baseline 0\.0000 \(may rise by 0\.0091\)/,
    ],
    ['FMR', { fmr: 0.004 }, /identities: FMR 0\.0040, baseline 0\.0006/],
    ['EER', { eer: 0.01 }, /identities: EER 0\.0100, baseline 0\.0003/],
    [
      'genuine median',
      { genuineMedian: 0.74 },
      /identities: genuine median 0\.7400, baseline 0\.7700 \(may fall by 0\.0200\)/,
    ],
    ['impostor median', { impostorMedian: 0.05 }, /identities: impostor median 0\.0500/],
    ['d′', { dPrime: 7.4 }, /identities: d′ 7\.4000, baseline 7\.9600 \(may fall by 0\.3980\)/],
    ['a NaN figure', { dPrime: Number.NaN }, /identities: d′ NaN/],
  ])(
    'fails when %s regresses beyond the tolerance, naming set, figure and both values',
    (_name, change, message) => {
      const found = regressions(withSet('identities', change), BASE);
      expect(found).toHaveLength(1);
      expect(found[0]).toMatch(message);
    },
  );

  it('gates every set, not only identities', () => {
    expect(regressions(withSet('master', { fnmr: 2 / 38 }), BASE)).toEqual([
      expect.stringMatching(/^master: FNMR/),
    ]);
  });

  it('fails on a missing set, changed pair counts, more images without a face, or another threshold', () => {
    expect(regressions({ ...BASE, sets: { identities: SET } }, BASE)).toEqual([
      expect.stringMatching(/master: set missing from this run/),
    ]);
    expect(regressions(withSet('master', { genuine: 39 }), BASE)).toEqual([
      expect.stringMatching(/master: 39 genuine .*the data changed/),
    ]);
    expect(regressions({ ...BASE, noFace: 1 }, BASE)).toEqual([
      expect.stringMatching(/without a face: 1, baseline 0/),
    ]);
    expect(regressions({ ...BASE, threshold: 0.5 }, BASE)).toEqual([
      expect.stringMatching(/threshold 0\.5 differs/),
    ]);
  });

  it('round-trips a baseline file, and the committed one has the three sets', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kycd-baseline-'));
    try {
      writeFaceBaseline(BASE, join(dir, 'b.json'));
      expect(readFaceBaseline(join(dir, 'b.json'))).toEqual(BASE);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const committed = readFaceBaseline(FACE_BASELINE_FILE);
    expect(Object.keys(committed.sets).sort()).toEqual(['identities', 'master', 'pivot']);
    for (const s of Object.values(committed.sets)) expect(s.dPrime).toBeGreaterThan(5);
  });
});

describe('score statistics', () => {
  it('d′ is the mean gap over the pooled standard deviation', () => {
    expect(dPrime([0.8, 1.0], [0, 0.2])).toBeCloseTo(0.8 / 0.1, 10);
  });

  it('the histogram counts each class per bin', () => {
    const rows = scoreHistogram([0.81, 0.82, 0.9], [0.01, 0.02, 0.03, 0.5], 0.1, 10);
    expect(rows).toHaveLength(4);
    expect(rows[0]).toMatch(/^\s+0\.00 …\s+0\.10\s+impostor\s+3 -{10}\s+genuine\s+0 $/);
    expect(rows.at(-1)).toMatch(/0\.90 …\s+1\.00\s+impostor\s+0\s+genuine\s+1 #{5}$/);
  });
});
