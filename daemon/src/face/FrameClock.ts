/** The clock interface XState's `createActor(…, { clock })` accepts. */
export interface ActorClock {
  setTimeout(fn: (...args: unknown[]) => void, timeout: number): unknown;
  clearTimeout(id: unknown): void;
}

/**
 * An XState clock driven by camera frame time: `setTimeout` schedules relative to the time of
 * the latest frame and {@link FrameClock.advanceTo} fires what is due. The liveness machine's
 * `after` backstops then run on the same timeline as its frame-time deadlines — a simulated
 * camera in virtual pacing, or a loaded CPU, never makes a deadline fire early or late. (A camera
 * that stops sending frames is caught by the engine's wall-clock `frameTimeoutMs` instead.)
 */
export class FrameClock implements ActorClock {
  private nowMs: number;
  private nextId = 1;
  private readonly timers = new Map<number, { at: number; fn: () => void }>();

  constructor(startMs = 0) {
    this.nowMs = startMs;
  }

  /** Current frame time. */
  get now(): number {
    return this.nowMs;
  }

  setTimeout(fn: (...args: unknown[]) => void, timeout: number): number {
    const id = this.nextId++;
    this.timers.set(id, { at: this.nowMs + Math.max(0, timeout), fn });
    return id;
  }

  clearTimeout(id: unknown): void {
    if (typeof id === 'number') this.timers.delete(id);
  }

  /** Move to frame time `ms` (never backwards) and run every timer due by then, earliest first. */
  advanceTo(ms: number): void {
    if (!(ms > this.nowMs)) return;
    for (;;) {
      let due: [number, { at: number; fn: () => void }] | undefined;
      for (const entry of this.timers)
        if (entry[1].at <= ms && (due === undefined || entry[1].at < due[1].at)) due = entry;
      if (due === undefined) break;
      this.timers.delete(due[0]);
      this.nowMs = Math.max(this.nowMs, due[1].at);
      due[1].fn();
    }
    this.nowMs = ms;
  }
}
