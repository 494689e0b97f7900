import { EventEmitter } from 'node:events';
import { createWall } from './composeScene.js';
import { createRandom, type SimRandom } from './createRandom.js';
import type { FaceBehavior, FaceCue } from './FaceBehavior.js';
import { createAttackMedium, renderAttackMedium, type AttackMedium } from './renderAttackMedium.js';
import { renderHead } from './renderHead.js';
import { cloneRgbImage, sampleBilinear, type RgbFrame, type RgbImage } from './RgbImage.js';
import type { SimFace } from './SimFace.js';
import { SimCameraError } from './SimCameraError.js';
import { SimPerson, type PersonState } from './SimPerson.js';

/** Options of {@link SimulatedCamera}; defaults in {@link SIMULATED_CAMERA_DEFAULTS}. */
export interface SimulatedCameraOptions {
  /** Frames per second, 15–30. */
  readonly fps?: number;
  /**
   * `realtime`: frames are captured on a wall-clock timer and a slow consumer loses the stale
   * ones (like a real camera); `virtual`: each pull captures the next frame at once, timestamps
   * advance by exactly 1000/fps ms (tests and corpus runs: as fast as the consumer).
   */
  readonly pacing?: 'realtime' | 'virtual';
  /** Seed of everything random (motion, reaction times, noise). */
  readonly seed?: number;
  /** Sensor noise standard deviation in 8-bit levels. */
  readonly noise?: number;
}

/** Defaults of {@link SimulatedCameraOptions}. */
export const SIMULATED_CAMERA_DEFAULTS = {
  fps: 15,
  pacing: 'realtime',
  seed: 1,
  noise: 2.5,
} as const;

/** What {@link SimulatedCamera.presentFace} puts before the camera. */
export interface FacePresentation {
  /** The person (or the victim whose photo the attacker holds). */
  readonly face: SimFace;
  readonly behavior: FaceBehavior;
  /** The other person for `secondFace` and `swap`. */
  readonly other?: SimFace;
}

/** Events of {@link SimulatedCamera}. */
export interface SimulatedCameraEvents {
  /** The camera was unplugged (fault injection); open frame iterators reject with `camera_unplugged`. */
  unplugged: [];
  /** The camera is back. */
  replugged: [];
  /** A cue reached the simulated person. */
  cue: [cue: FaceCue, atMs: number];
}

/** Frame counters of a {@link SimulatedCamera}. */
export interface SimulatedCameraStats {
  /** Frames delivered to a consumer. */
  delivered: number;
  /** Frames captured but replaced by a newer one before anybody took them. */
  dropped: number;
}

/** Faults of a camera that is still plugged in (see {@link SimulatedCamera.inject}). */
export type SimulatedCameraFault = 'stall' | 'fail';

const NOISE_TABLE_SIZE = 1 << 16;

/**
 * A virtual 640×480 camera that renders a person from one frontal photo: a cooperative customer
 * who turns and blinks on cue, or one of the attacks of {@link FaceBehavior}.
 *
 * @example
 * ```ts
 * const camera = new SimulatedCamera({ pacing: 'virtual', seed: 7 });
 * camera.presentFace({ face, behavior: 'live' });
 * for await (const frame of camera.frames()) { ...; camera.cue('turnLeft'); }
 * ```
 */
export class SimulatedCamera extends EventEmitter<SimulatedCameraEvents> {
  readonly width = 640;
  readonly height = 480;
  readonly fps: number;
  readonly pacing: 'realtime' | 'virtual';
  readonly stats: SimulatedCameraStats = { delivered: 0, dropped: 0 };
  private readonly random: SimRandom;
  private readonly noise: Int8Array;
  private readonly wall: RgbImage;
  private presentation: FacePresentation | undefined;
  private person: SimPerson | undefined;
  private medium: AttackMedium | undefined;
  private clockMs = 0;
  private readonly epoch = performance.now();
  private lastDeliveredTick = -1;
  private unpluggedNow = false;
  private faultNow: SimulatedCameraFault | undefined;
  private closed = false;
  private readonly wakers = new Set<() => void>();
  private timer: NodeJS.Timeout | undefined;

  constructor(options: SimulatedCameraOptions = {}) {
    super();
    const o = { ...SIMULATED_CAMERA_DEFAULTS, ...options };
    if (!(o.fps >= 15 && o.fps <= 30))
      throw new RangeError(`fps must be within 15–30, got ${o.fps}`);
    this.fps = o.fps;
    this.pacing = o.pacing;
    this.random = createRandom(o.seed);
    const noiseRandom = createRandom(o.seed ^ 0x5bd1e995);
    this.noise = new Int8Array(NOISE_TABLE_SIZE);
    for (let i = 0; i < NOISE_TABLE_SIZE; i++)
      this.noise[i] = Math.max(-127, Math.min(127, Math.round(noiseRandom.gaussian(o.noise))));
    this.wall = createWall();
  }

  /** Current time on the camera's timeline (ms). */
  get nowMs(): number {
    return this.pacing === 'virtual' ? this.clockMs : performance.now() - this.epoch;
  }

  /** Put a person (or an attack) before the camera, replacing whatever was there. */
  presentFace(presentation: FacePresentation): void {
    if (
      (presentation.behavior === 'secondFace' || presentation.behavior === 'swap') &&
      presentation.other === undefined
    ) {
      throw new TypeError(`behavior "${presentation.behavior}" needs an "other" face`);
    }
    this.presentation = presentation;
    this.person = new SimPerson(presentation.behavior, this.random, this.nowMs);
    this.medium =
      presentation.behavior === 'print' || presentation.behavior === 'screen'
        ? createAttackMedium(presentation.face, presentation.behavior, this.random)
        : undefined;
  }

  /** Nobody before the camera any more. */
  clearFace(): void {
    this.presentation = undefined;
    this.person = undefined;
    this.medium = undefined;
  }

  /** Show the customer a prompt (what the POS screen would display). */
  cue(cue: FaceCue): void {
    const at = this.nowMs;
    this.person?.cue(cue, at);
    this.emit('cue', cue, at);
  }

  /** Fault injection: pull the camera's cable. */
  unplug(): void {
    if (this.unpluggedNow) return;
    this.unpluggedNow = true;
    this.emit('unplugged');
    this.wake();
  }

  /** Fault injection: plug it back in. */
  replug(): void {
    if (!this.unpluggedNow) return;
    this.unpluggedNow = false;
    this.emit('replugged');
  }

  /**
   * Fault injection with the camera still plugged in: `stall` — no more frames (a hung driver)
   * until the fault is cleared with `undefined`; `fail` — the open stream fails once with
   * `camera_stream_failed` (as ffmpeg exits on a driver error), and a new stream works.
   */
  inject(fault: SimulatedCameraFault | undefined): void {
    this.faultNow = fault;
    this.wake();
  }

  /** True while unplugged. */
  get unplugged(): boolean {
    return this.unpluggedNow;
  }

  /** Stop the camera; open iterators end. */
  close(): void {
    this.closed = true;
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    this.wake();
  }

  /**
   * The frame stream. Only the newest frame is ever kept: a consumer slower than the frame rate
   * gets the latest frame and the skipped ones count as {@link SimulatedCameraStats.dropped}.
   * Rejects with `camera_unplugged` when the camera is unplugged; ends on `signal` or close.
   */
  async *frames(options: { signal?: AbortSignal } = {}): AsyncGenerator<RgbFrame, void, undefined> {
    const { signal } = options;
    if (this.pacing === 'realtime') this.startTimer();
    while (!this.closed && signal?.aborted !== true) {
      if (this.unpluggedNow)
        throw new SimCameraError('camera_unplugged', 'simulated camera unplugged');
      if (this.faultNow === 'fail') {
        this.faultNow = undefined;
        throw new SimCameraError('camera_stream_failed', 'simulated capture failed (driver error)');
      }
      if (this.faultNow === 'stall') {
        await this.nextWake(signal);
        continue;
      }
      if (this.pacing === 'virtual') {
        this.clockMs += 1000 / this.fps;
        this.stats.delivered++;
        yield this.render(this.clockMs);
        continue;
      }
      const tick = Math.floor((performance.now() - this.epoch) / (1000 / this.fps));
      if (tick > this.lastDeliveredTick) {
        if (this.lastDeliveredTick >= 0) this.stats.dropped += tick - this.lastDeliveredTick - 1;
        this.lastDeliveredTick = tick;
        this.stats.delivered++;
        yield this.render((tick * 1000) / this.fps);
        continue;
      }
      await this.nextWake(signal);
    }
  }

  /** Wait for the next frame tick, a fault change, an unplug, close or `signal`. */
  private async nextWake(signal: AbortSignal | undefined): Promise<void> {
    // Keep the process alive while a consumer waits for the next frame (the timer is unref'd otherwise).
    this.timer?.ref();
    await new Promise<void>((resolve) => {
      const done = (): void => {
        this.timer?.unref();
        this.wakers.delete(done);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      this.wakers.add(done);
      signal?.addEventListener('abort', done, { once: true });
    });
  }

  /** Render the frame at camera time `atMs` (exposed for tests and benchmarks). */
  render(atMs: number): RgbFrame {
    const out = this.compose(atMs);
    this.addNoise(out);
    return { ...out, timestampMs: atMs };
  }

  private compose(atMs: number): RgbImage {
    const p = this.presentation;
    const person = this.person;
    if (p === undefined || person === undefined || p.behavior === 'noFace')
      return cloneRgbImage(this.wall);
    const state = person.at(atMs);
    if (this.medium !== undefined) {
      const out = cloneRgbImage(this.wall);
      renderAttackMedium(
        this.medium,
        {
          yawDeg: state.yawDeg,
          pitchDeg: state.pitchDeg,
          rollDeg: state.rollDeg,
          dx: state.dx,
          dy: state.dy,
        },
        out,
      );
      return out;
    }
    const face = state.swapped && p.other !== undefined ? p.other : p.face;
    const out = this.renderPerson(face, state);
    if (state.secondFaceIn > 0 && p.other !== undefined)
      overlayHead(out, p.other, 0.72, 640 + 80 - 180 * state.secondFaceIn, 250);
    if (p.behavior === 'dark') {
      for (let i = 0; i < out.data.length; i++) out.data[i] = out.data[i]! * 0.05;
    }
    return out;
  }

  private renderPerson(face: SimFace, state: PersonState): RgbImage {
    const out = cloneRgbImage(face.scene);
    const texture = face.eyes[state.eyes];
    renderHead(
      face.mesh,
      texture,
      {
        yawDeg: state.yawDeg + face.frontalOffset.yawDeg,
        pitchDeg: state.pitchDeg + face.frontalOffset.pitchDeg,
        rollDeg: state.rollDeg,
        dx: state.dx,
        dy: state.dy,
        scale: 1,
      },
      out,
    );
    return out;
  }

  private addNoise(image: RgbImage): void {
    const d = image.data;
    let k = Math.floor(this.random.next() * NOISE_TABLE_SIZE);
    const step = 1 + Math.floor(this.random.next() * 7) * 2;
    for (let i = 0; i < d.length; i++) {
      const v = d[i]! + this.noise[k]!;
      d[i] = v < 0 ? 0 : v > 255 ? 255 : v;
      k = (k + step) & (NOISE_TABLE_SIZE - 1);
    }
  }

  private startTimer(): void {
    if (this.timer !== undefined || this.closed) return;
    this.timer = setInterval(() => this.wake(), 1000 / this.fps);
    this.timer.unref();
  }

  private wake(): void {
    for (const w of [...this.wakers]) w();
  }
}

/** Paste the head of `face` (its ellipse, feathered) scaled by `scale` with centre at (x, y). */
function overlayHead(target: RgbImage, face: SimFace, scale: number, x: number, y: number): void {
  const e = face.mesh.ellipse;
  const a = e.a * 1.15 * scale;
  const b = e.b * 1.2 * scale;
  const { width: W, height: H } = target;
  for (let py = Math.max(0, Math.floor(y - b)); py <= Math.min(H - 1, Math.ceil(y + b)); py++) {
    for (let px = Math.max(0, Math.floor(x - a)); px <= Math.min(W - 1, Math.ceil(x + a)); px++) {
      const r = Math.sqrt(((px - x) / a) ** 2 + ((py - y) / b) ** 2);
      if (r >= 1) continue;
      const alpha = r < 0.85 ? 1 : (1 - r) / 0.15;
      const sx = e.cx + (px - x) / scale;
      const sy = e.cy + (py - y) / scale;
      const o = (py * W + px) * 3;
      for (let c = 0; c < 3; c++)
        target.data[o + c] =
          target.data[o + c]! * (1 - alpha) + sampleBilinear(face.scene, sx, sy, c) * alpha;
    }
  }
}
