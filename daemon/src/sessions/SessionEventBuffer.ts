/**
 * The ordered events of one session in memory, as sent on the wire (for the lifetime of the
 * session; a session does not outlive the daemon). Each event gets the next `seq`
 * (1, 2, 3, …) so a client that reconnects can ask for everything after the last seq it saw.
 * Frames are serialised once here and the same string goes to every subscriber.
 */
export interface LoggedEvent {
  readonly seq: number;
  readonly event: string;
  /** The frame as sent: `{"event", "data", "sessionId", "seq"}`. */
  readonly frame: string;
}

export class SessionEventBuffer {
  private readonly entries: LoggedEvent[] = [];
  private nextSeq = 1;
  /** Events dropped from the front once `capacity` was exceeded. */
  private dropped = 0;

  constructor(
    readonly sessionId: string,
    private readonly capacity = 10_000,
  ) {}

  /** The seq of the newest event, 0 when there is none. */
  get lastSeq(): number {
    return this.nextSeq - 1;
  }

  append(event: string, data: unknown): LoggedEvent {
    const seq = this.nextSeq++;
    const frame = JSON.stringify({ event, data, sessionId: this.sessionId, seq });
    const entry = { seq, event, frame };
    this.entries.push(entry);
    if (this.entries.length > this.capacity) {
      this.entries.shift();
      this.dropped++;
    }
    return entry;
  }

  /**
   * Events with seq > afterSeq, oldest first. Undefined when some of them are no longer kept
   * (the caller answers `conflict`: the client must re-read the session instead).
   */
  since(afterSeq: number): readonly LoggedEvent[] | undefined {
    if (afterSeq < this.dropped) return undefined;
    return this.entries.slice(Math.max(0, afterSeq - this.dropped));
  }
}
