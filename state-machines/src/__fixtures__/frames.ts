import type { FaceObservation } from '../liveness/FaceObservation.js';
import type { LivenessChallenge } from '../liveness/LivenessParams.js';

/** A deterministic random source in [0, 1) (mulberry32). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A live, frontal, eyes-open single face at `timestampMs`, with `overrides`. */
export function face(
  timestampMs: number,
  overrides: Partial<FaceObservation> = {},
): FaceObservation {
  return {
    timestampMs,
    faceCount: 1,
    trackId: 1,
    yaw: 2,
    pitch: -1,
    roll: 0,
    leftEyeClosed: 0.05,
    rightEyeClosed: 0.06,
    spoofScore: 0.95,
    quality: { ok: true, codes: [] },
    planarResidual: 0.1,
    sameAsReference: 0.9,
    ...overrides,
  };
}

/** No face in view at `timestampMs`. */
export function noFace(timestampMs: number): FaceObservation {
  return {
    timestampMs,
    faceCount: 0,
    yaw: Number.NaN,
    pitch: Number.NaN,
    roll: Number.NaN,
    leftEyeClosed: Number.NaN,
    rightEyeClosed: Number.NaN,
    spoofScore: Number.NaN,
    quality: { ok: false, codes: ['no_face'] },
  };
}

/** Builds frame sequences at a fixed frame interval (default 15 fps). */
export class FrameScript {
  readonly frames: FaceObservation[] = [];
  private t: number;

  constructor(
    startMs = 1_000,
    private readonly stepMs = 66,
  ) {
    this.t = startMs;
  }

  /** Appends `n` frames, each built from its timestamp. */
  add(n: number, build: (t: number) => FaceObservation): this {
    for (let i = 0; i < n; i++) {
      this.frames.push(build(this.t));
      this.t += this.stepMs;
    }
    return this;
  }

  frontal(n = 3): this {
    return this.add(n, (t) => face(t));
  }

  /** Performs `challenge` the way a live customer does. */
  perform(challenge: LivenessChallenge): this {
    switch (challenge) {
      case 'turnLeft':
        return this.add(2, (t) => face(t, { yaw: -12 })).add(4, (t) => face(t, { yaw: -30 }));
      case 'turnRight':
        return this.add(2, (t) => face(t, { yaw: 12 })).add(4, (t) => face(t, { yaw: 31 }));
      case 'nod':
        return this.add(4, (t) => face(t, { pitch: 20 }));
      case 'blink':
        return this.frontal(1)
          .add(1, (t) => face(t, { leftEyeClosed: 0.5, rightEyeClosed: 0.4 }))
          .add(2, (t) => face(t, { leftEyeClosed: 0.95, rightEyeClosed: 0.93 }))
          .frontal(1);
    }
  }
}
