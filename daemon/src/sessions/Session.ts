import { SessionEventBuffer, type LoggedEvent } from './SessionEventBuffer.js';

/** Someone who receives a session's events as wire frames (a WebSocket connection). */
export interface SessionSubscriber {
  deliver(frame: string): void;
}

/** The states in which a session has ended. */
export const FINAL_SESSION_STATES = ['completed', 'failed', 'cancelled', 'expired'] as const;
export type FinalSessionState = (typeof FINAL_SESSION_STATES)[number];

export interface SessionFailure {
  code: string;
  message: string;
}

/** What the POS may read of a session (the wire's SessionSnapshot). */
export interface SessionView {
  sessionId: string;
  state: string;
  step: string;
  createdAt: string;
  updatedAt: string;
  expiresAt: string;
  lastSeq: number;
  document?: {
    kind: string;
    summary: Record<string, string>;
    accessControl?: string;
    genuine?: boolean;
  };
  liveness?: { passed: boolean; reasons: string[] };
  match?: { score: number; threshold: number; decision: string };
  registration?: { registrationId: string; status: string };
  /** The operator's manual-review decision, as the session machine recorded it. */
  review?: { operatorId: string; approve: boolean; note?: string; decidedAt: string };
  failure?: SessionFailure;
}

/**
 * One verification session of one terminal: its current state as the flow reports it, its
 * event log, and the connections subscribed to it. The flow (state machine) drives it through
 * {@link Session.setState} and {@link Session.publish}; the API reads {@link Session.view}.
 */
export class Session {
  readonly log: SessionEventBuffer;
  state = 'consent';
  step = 'consent';
  updatedAt: Date;
  document: SessionView['document'];
  liveness: SessionView['liveness'];
  match: SessionView['match'];
  registration: SessionView['registration'];
  review: SessionView['review'];
  failure: SessionFailure | undefined;
  finishedAt: Date | undefined;
  /**
   * The evidence record of each face attempt so far (timeline, scores, frame hashes; never
   * pixels), kept until the session ends and the store has what it needs. Not in the POS's view.
   */
  readonly faceEvidence: Readonly<Record<string, unknown>>[] = [];
  private readonly subscribers = new Set<SessionSubscriber>();
  private readonly watchers = new Set<() => void>();

  constructor(
    readonly id: string,
    readonly terminalId: string,
    readonly createdAt: Date,
    readonly expiresAt: Date,
    private readonly onStateChange?: (session: Session) => void,
  ) {
    this.log = new SessionEventBuffer(id);
    this.updatedAt = createdAt;
  }

  get finished(): boolean {
    return (FINAL_SESSION_STATES as readonly string[]).includes(this.state);
  }

  /** Append an event to the log and send it to every subscriber. */
  publish(event: string, data: unknown): LoggedEvent {
    const entry = this.log.append(event, data);
    for (const s of this.subscribers) s.deliver(entry.frame);
    for (const w of [...this.watchers]) w();
    return entry;
  }

  /** Re-check pending {@link until} conditions after a change that published no event. */
  changed(): void {
    for (const w of [...this.watchers]) w();
  }

  /**
   * Resolve once `condition` holds (checked now and after every event), or reject after
   * `timeoutMs`. For requests whose answer depends on what the flow does next.
   */
  until(condition: () => boolean, timeoutMs: number): Promise<void> {
    if (condition()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const check = (): void => {
        if (!condition()) return;
        cleanup();
        resolve();
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`session ${this.id}: condition not met within ${timeoutMs} ms`));
      }, timeoutMs);
      const cleanup = (): void => {
        clearTimeout(timer);
        this.watchers.delete(check);
      };
      this.watchers.add(check);
    });
  }

  /** Record a state change and publish `session.state`. */
  setState(state: string, step: string, reason?: SessionFailure): void {
    if (this.finished) return;
    const previous = this.state;
    this.state = state;
    this.step = step;
    this.updatedAt = new Date();
    if ((FINAL_SESSION_STATES as readonly string[]).includes(state)) {
      this.finishedAt = this.updatedAt;
      if (reason !== undefined) this.failure = reason;
    }
    this.publish(
      'session.state',
      reason === undefined ? { state, step, previous } : { state, step, previous, reason },
    );
    this.onStateChange?.(this);
  }

  subscribe(subscriber: SessionSubscriber): () => void {
    this.subscribers.add(subscriber);
    return () => this.subscribers.delete(subscriber);
  }

  get subscriberCount(): number {
    return this.subscribers.size;
  }

  view(): SessionView {
    const v: SessionView = {
      sessionId: this.id,
      state: this.state,
      step: this.step,
      createdAt: this.createdAt.toISOString(),
      updatedAt: this.updatedAt.toISOString(),
      expiresAt: this.expiresAt.toISOString(),
      lastSeq: this.log.lastSeq,
    };
    if (this.document !== undefined) v.document = this.document;
    if (this.liveness !== undefined) v.liveness = this.liveness;
    if (this.match !== undefined) v.match = this.match;
    if (this.registration !== undefined) v.registration = this.registration;
    if (this.review !== undefined) v.review = this.review;
    if (this.failure !== undefined) v.failure = this.failure;
    return v;
  }
}
