import { KycdError } from '../errors/KycdError.js';
import type { ErrorCode } from '../errors/errorCodes.js';
import type { EventData, EventName } from '../protocol/EVENTS.js';
import type { MethodName, MethodParams, MethodResult } from '../protocol/METHODS.js';
import { isSessionFinalState, type SessionSnapshot } from '../protocol/schemas/SessionSnapshot.js';
import { TypedEmitter } from './TypedEmitter.js';

/** Where an event came from: its session (if any) and its seq. */
export interface EventMeta {
  readonly sessionId?: string;
  readonly seq: number;
}

/** The events that belong to a session (everything but `device.changed`). */
export type SessionEventName = Exclude<EventName, 'device.changed'>;

/** Listener signatures of a {@link Session}: each protocol event with its typed data. */
export type SessionEvents = {
  [E in SessionEventName]: (data: EventData<E>, meta: EventMeta) => void;
};

/** What a Session needs from its client. */
export interface SessionHost {
  request<M extends MethodName>(method: M, params: MethodParams<M>): Promise<MethodResult<M>>;
}

/** Credentials for `session.provideMrz`, without the session id. */
export type MrzCredentials =
  | { readonly mrz: string }
  | { readonly documentNumber: string; readonly birthDate: string; readonly expiryDate: string }
  | { readonly can: string };

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * One verification session, as the POS sees it: the latest snapshot, its events, and a
 * `completed` promise. Created by {@link KycdClient.startSession} or
 * {@link KycdClient.attachSession}; across reconnects the client resumes it with the last seq
 * it saw, so each event reaches the listeners exactly once and in order.
 *
 * @example
 * ```ts
 * const session = await client.startSession({ consent: { accepted: true, textVersion: '2026-01' } });
 * session.on('liveness.challenge', (c) => showPrompt(c.challenge));
 * const done = await session.completed; // rejects with KycdError on failed / cancelled / expired
 * ```
 */
export class Session extends TypedEmitter<SessionEvents> {
  /** The daemon's session id. */
  readonly id: string;
  /**
   * Resolves with the final snapshot when the session reaches `completed`; rejects with a
   * {@link KycdError} whose code is the failure reason (e.g. `session_face_no_match`,
   * `session_cancelled`, `session_expired`) otherwise, or `connection_closed` when the client
   * is closed or gives up reconnecting first. Unobserved rejections are not reported as unhandled.
   */
  readonly completed: Promise<SessionSnapshot>;

  private snapshotValue: Mutable<SessionSnapshot>;
  private seq: number;
  private settled = false;
  /**
   * Events received before the creator had a chance to add listeners (the Session is created
   * while the response frame is handled, listeners come after `await`). Released on the next
   * macrotask, in order, so they are not lost.
   */
  private held: Array<{ event: SessionEventName; data: unknown; seq: number }> | undefined = [];
  private resolveCompleted!: (snapshot: SessionSnapshot) => void;
  private rejectCompleted!: (error: KycdError) => void;

  /** @internal Sessions are created by {@link KycdClient}. */
  constructor(
    private readonly host: SessionHost,
    snapshot: SessionSnapshot,
  ) {
    super();
    this.id = snapshot.sessionId;
    this.snapshotValue = { ...snapshot };
    this.seq = snapshot.lastSeq;
    this.completed = new Promise<SessionSnapshot>((resolve, reject) => {
      this.resolveCompleted = resolve;
      this.rejectCompleted = reject;
    });
    this.completed.catch(() => undefined);
    this.settleFromSnapshot();
    setTimeout(() => this.release(), 0);
  }

  /** The latest known snapshot: the last response, updated by every event since. */
  get snapshot(): SessionSnapshot {
    return this.snapshotValue;
  }

  /** The current flow state, a dotted path such as `document.reading` (shortcut for `snapshot.state`). */
  get state(): string {
    return this.snapshotValue.state;
  }

  /** The seq of the last event applied to this session. */
  get lastSeq(): number {
    return this.seq;
  }

  /** True once the session reached a final state (or the client gave up on it). */
  get isSettled(): boolean {
    return this.settled;
  }

  /** Give the eMRTD access key (MRZ, or its three fields, or the CAN) when the session asks for it. */
  provideMrz(credentials: MrzCredentials): Promise<MethodResult<'session.provideMrz'>> {
    return this.host.request('session.provideMrz', {
      ...credentials,
      sessionId: this.id,
    } as MethodParams<'session.provideMrz'>);
  }

  /** Confirm the verified details and submit the registration. */
  confirmRegistration(
    params: Omit<MethodParams<'session.confirmRegistration'>, 'sessionId'>,
  ): Promise<MethodResult<'session.confirmRegistration'>> {
    return this.host.request('session.confirmRegistration', { ...params, sessionId: this.id });
  }

  /** Record an operator decision when the session is in state `review`. */
  async review(
    params: Omit<MethodParams<'session.review'>, 'sessionId'>,
  ): Promise<SessionSnapshot> {
    return this.applySnapshot(
      await this.host.request('session.review', { ...params, sessionId: this.id }),
    );
  }

  /** Cancel the session; `completed` then rejects with `session_cancelled`. */
  async cancel(reason?: string): Promise<SessionSnapshot> {
    const params = reason === undefined ? { sessionId: this.id } : { sessionId: this.id, reason };
    return this.applySnapshot(await this.host.request('session.cancel', params));
  }

  /** Fetch the snapshot again (`session.get`). */
  async refresh(): Promise<SessionSnapshot> {
    return this.applySnapshot(await this.host.request('session.get', { sessionId: this.id }));
  }

  /**
   * @internal Apply one event (already de-duplicated by the client) and notify listeners.
   */
  receive<E extends SessionEventName>(event: E, data: EventData<E>, seq: number): void {
    if (seq <= this.seq) return;
    this.seq = seq;
    if (this.held !== undefined) this.held.push({ event, data, seq });
    else this.apply(event, data, seq);
  }

  private release(): void {
    const held = this.held ?? [];
    this.held = undefined;
    for (const e of held) this.apply(e.event, e.data as EventData<SessionEventName>, e.seq);
  }

  private apply<E extends SessionEventName>(event: E, data: EventData<E>, seq: number): void {
    const s = this.snapshotValue;
    s.lastSeq = seq;
    switch (event) {
      case 'session.state': {
        const d = data as EventData<'session.state'>;
        s.state = d.state;
        s.step = d.step;
        if (d.reason !== undefined && d.state === 'failed') s.failure = d.reason;
        break;
      }
      case 'document.read': {
        const d = data as EventData<'document.read'>;
        s.document = {
          kind: d.kind,
          summary: d.summary,
          accessControl: d.accessControl,
          genuine: d.genuine,
        };
        break;
      }
      case 'liveness.result': {
        const d = data as EventData<'liveness.result'>;
        s.liveness = { passed: d.passed, reasons: d.reasons };
        break;
      }
      case 'match.result': {
        const d = data as EventData<'match.result'>;
        s.match = { score: d.score, threshold: d.threshold, decision: d.decision };
        break;
      }
      case 'registration.status': {
        const d = data as EventData<'registration.status'>;
        s.registration = { registrationId: d.registrationId, status: d.status };
        break;
      }
      default:
        break;
    }
    this.emit(event, ...([data, { sessionId: this.id, seq }] as Parameters<SessionEvents[E]>));
    if (event === 'session.state') this.settleFromState(data as EventData<'session.state'>);
  }

  /** @internal Replace the snapshot with a newer one from a response (never moves backwards). */
  applySnapshot(snapshot: SessionSnapshot): SessionSnapshot {
    if (snapshot.lastSeq >= this.seq && (this.held === undefined || this.held.length === 0)) {
      this.snapshotValue = { ...snapshot };
      this.seq = snapshot.lastSeq;
      this.settleFromSnapshot();
    }
    return this.snapshotValue;
  }

  /** @internal The client gave up on this session (closed, or the daemon no longer knows it). */
  abandon(error: KycdError): void {
    if (this.settled) return;
    this.settled = true;
    this.rejectCompleted(error);
  }

  private settleFromSnapshot(): void {
    const s = this.snapshotValue;
    if (!isSessionFinalState(s.state)) return;
    this.settleFromState({
      state: s.state,
      step: s.step,
      ...(s.failure === undefined ? {} : { reason: s.failure }),
    });
  }

  private settleFromState(d: EventData<'session.state'>): void {
    if (this.settled || !isSessionFinalState(d.state)) return;
    this.settled = true;
    if (d.state === 'completed') {
      this.resolveCompleted(this.snapshotValue);
      return;
    }
    const fallback: Record<string, ErrorCode> = {
      failed: 'session_step_failed',
      cancelled: 'session_cancelled',
      expired: 'session_expired',
    };
    const code = (d.reason?.code ?? fallback[d.state] ?? 'session_step_failed') as ErrorCode;
    const message = d.reason?.message ?? `session ${this.id} ended ${d.state}`;
    this.rejectCompleted(
      new KycdError(code, message, { data: { sessionId: this.id, state: d.state, step: d.step } }),
    );
  }
}
