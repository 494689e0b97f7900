import type { SimRandom } from './createRandom.js';
import type { FaceBehavior, FaceCue } from './FaceBehavior.js';

/** Eye state of one rendered frame. */
export type EyeOpenness = 'open' | 'half' | 'closed';

/** What the person (or the attacker's medium) does at one instant. */
export interface PersonState {
  /** Head (or medium) angles in fr_pose's convention, before natural motion is added. */
  readonly yawDeg: number;
  readonly pitchDeg: number;
  readonly rollDeg: number;
  readonly dx: number;
  readonly dy: number;
  readonly eyes: EyeOpenness;
  /** 0..1: how far a second face has slid into the frame (`secondFace`). */
  readonly secondFaceIn: number;
  /** True once a `swap` behaviour has switched to the other person. */
  readonly swapped: boolean;
}

interface Turn {
  readonly start: number;
  readonly rise: number;
  readonly hold: number;
  readonly fall: number;
  readonly amplitude: number;
}

interface Blink {
  readonly start: number;
  readonly closed: number;
}

const smooth = (x: number): number => (x <= 0 ? 0 : x >= 1 ? 1 : x * x * (3 - 2 * x));

/**
 * The simulated customer's timeline: reacts to cues after a human reaction time, turns with
 * eased motion, blinks, sways a little, and — depending on the {@link FaceBehavior} — cheats.
 * Pure function of time and the seeded random source, so a session replays from its seed.
 */
export class SimPerson {
  readonly behavior: FaceBehavior;
  private readonly random: SimRandom;
  private readonly turns: Turn[] = [];
  private readonly nods: Turn[] = [];
  private readonly blinks: Blink[] = [];
  private readonly phase: readonly number[];
  private readonly secondAt: number;
  private swapAt: number;
  private cued = false;
  private nextSpontaneousBlink: number;

  /** `startMs`: camera time when the person appeared. */
  constructor(behavior: FaceBehavior, random: SimRandom, startMs: number) {
    this.behavior = behavior;
    this.random = random;
    this.phase = Array.from({ length: 6 }, () => random.between(0, 2 * Math.PI));
    this.secondAt = startMs + random.between(1500, 3500);
    this.swapAt = startMs + random.between(2500, 4500);
    this.nextSpontaneousBlink = startMs + random.between(2500, 6000);
  }

  /** True when this behaviour presents a flat medium (print or screen) instead of a head. */
  get planar(): boolean {
    return this.behavior === 'print' || this.behavior === 'screen';
  }

  /** The person sees a prompt at camera time `atMs`. */
  cue(cue: FaceCue, atMs: number): void {
    const r = this.random;
    if (!this.cued) {
      // The impostor takes over during the challenges, not after them.
      this.cued = true;
      this.swapAt = Math.min(this.swapAt, atMs + r.between(700, 2500));
    }
    if (cue === 'frontal') {
      for (let i = 0; i < this.turns.length; i++) {
        const t = this.turns[i]!;
        const holdEnd = t.start + t.rise + t.hold;
        if (holdEnd > atMs + 300)
          this.turns[i] = { ...t, hold: Math.max(0, atMs + 300 - t.start - t.rise) };
      }
      return;
    }
    if (cue === 'blink') {
      if (this.planar || this.behavior === 'neverBlinks') return;
      const start = atMs + r.between(250, 700);
      this.blinks.push({ start, closed: r.between(120, 190) });
      // No spontaneous blink right before or after the asked one (they would merge into one long closure).
      if (this.nextSpontaneousBlink < start + 1500)
        this.nextSpontaneousBlink = start + this.random.between(1500, 4000);
      return;
    }
    if (cue === 'nod') {
      this.nods.push({
        start: atMs + r.between(300, 750),
        rise: r.between(300, 500),
        hold: r.between(600, 900),
        fall: r.between(300, 500),
        amplitude: -(this.planar ? r.between(25, 40) : r.between(18, 24)),
      });
      return;
    }
    let sign = cue === 'turnLeft' ? -1 : 1;
    if (this.behavior === 'wrongWay') sign = -sign;
    // An attacker tilts the medium harder, hoping to fake the turn.
    const amplitude = this.planar ? r.between(25, 40) : r.between(23, 28);
    this.turns.push({
      start: atMs + r.between(300, 750),
      rise: r.between(350, 600),
      hold: r.between(700, 1100),
      fall: r.between(350, 600),
      amplitude: sign * amplitude,
    });
  }

  /** The state at camera time `atMs` (non-decreasing between calls). */
  at(atMs: number): PersonState {
    const live = !this.planar && this.behavior !== 'neverBlinks' && this.behavior !== 'noFace';
    if (live && atMs >= this.nextSpontaneousBlink) {
      this.blinks.push({ start: atMs, closed: this.random.between(100, 180) });
      this.nextSpontaneousBlink = atMs + this.random.between(3000, 7000);
    }
    let yaw = 0;
    for (const t of this.turns) {
      const up = smooth((atMs - t.start) / t.rise);
      const down = smooth((atMs - t.start - t.rise - t.hold) / t.fall);
      yaw += t.amplitude * (up - down);
    }
    let nod = 0;
    for (const t of this.nods)
      nod +=
        t.amplitude *
        (smooth((atMs - t.start) / t.rise) - smooth((atMs - t.start - t.rise - t.hold) / t.fall));
    let eyes: EyeOpenness = 'open';
    for (const b of this.blinks) {
      const d = atMs - b.start;
      if (d < 0) continue;
      if (d < 45) eyes = eyes === 'closed' ? eyes : 'half';
      else if (d < 45 + b.closed) eyes = 'closed';
      else if (d < 90 + b.closed) eyes = eyes === 'closed' ? eyes : 'half';
    }
    const s = atMs / 1000;
    const p = this.phase;
    const sway = this.planar ? 2.2 : 1;
    return {
      yawDeg: yaw + 1.5 * Math.sin(2 * Math.PI * s * 0.32 + p[0]!),
      pitchDeg: nod + 1.2 * Math.sin(2 * Math.PI * s * 0.27 + p[1]!),
      rollDeg: sway * Math.sin(2 * Math.PI * s * 0.23 + p[2]!),
      dx: sway * 3 * Math.sin(2 * Math.PI * s * 0.35 + p[3]!) + this.random.gaussian(0.3),
      dy: sway * 2 * Math.sin(2 * Math.PI * s * 0.29 + p[4]!) + this.random.gaussian(0.3),
      eyes,
      secondFaceIn: this.behavior === 'secondFace' ? smooth((atMs - this.secondAt) / 600) : 0,
      swapped: this.behavior === 'swap' && atMs >= this.swapAt,
    };
  }
}
