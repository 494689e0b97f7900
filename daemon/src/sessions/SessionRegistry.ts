import { randomUUID } from 'node:crypto';
import { KycdError } from '@kycd/plugin-sdk';
import { SESSION_EXPIRED_REASON } from '@kycd/state-machines';
import type { Logger } from 'pino';
import type { SessionConfig } from '../config/sections/session.js';
import { Session } from './Session.js';
import type {
  SessionFlow,
  SessionFlowEvent,
  SessionFlowFactory,
  SessionStartOptions,
} from './SessionFlow.js';

/** How long after its deadline a session's own flow gets to expire it before the sweep does. */
export const EXPIRY_GRACE_MS = 2000;

export interface SessionRegistryOptions {
  config: SessionConfig;
  flowFactory: SessionFlowFactory;
  now?: () => Date;
  /** Told after every state change of every session (persistence, audit). */
  onStateChange?: (session: Session) => void;
  /** Where refused events are logged (session id, event type, state; never payloads). */
  logger?: Pick<Logger, 'warn'>;
}

/**
 * All sessions of this daemon, keyed by id and owned by a terminal. A terminal only ever sees
 * its own sessions: another terminal's id answers `not_found`, exactly like an unknown one.
 */
export class SessionRegistry {
  private readonly sessions = new Map<
    string,
    { session: Session; flow: SessionFlow | undefined }
  >();
  private readonly now: () => Date;

  constructor(private readonly options: SessionRegistryOptions) {
    this.now = options.now ?? (() => new Date());
  }

  /**
   * Start a session for a terminal. `beforeFlow` runs before the flow starts (the caller
   * subscribes there, so it sees the very first event).
   * @throws KycdError `conflict` when it has too many active ones.
   */
  start(
    terminalId: string,
    options: SessionStartOptions,
    beforeFlow?: (session: Session) => void,
  ): Session {
    const active = [...this.sessions.values()].filter(
      (e) => e.session.terminalId === terminalId && !e.session.finished,
    );
    if (active.length >= this.options.config.maxActivePerTerminal) {
      throw new KycdError(
        'conflict',
        `this terminal already has ${active.length} active session(s); cancel or finish it first`,
        {
          data: { activeSessionIds: active.map((e) => e.session.id) },
        },
      );
    }
    const created = this.now();
    const session = new Session(
      randomUUID(),
      terminalId,
      created,
      new Date(created.getTime() + this.options.config.expireAfterMs),
      this.options.onStateChange,
    );
    const entry: { session: Session; flow: SessionFlow | undefined } = { session, flow: undefined };
    this.sessions.set(session.id, entry);
    beforeFlow?.(session);
    entry.flow = this.options.flowFactory(session, options);
    return session;
  }

  /** @throws KycdError `not_found` for unknown ids and other terminals' sessions. */
  get(terminalId: string, sessionId: string): Session {
    const entry = this.sessions.get(sessionId);
    if (entry === undefined || entry.session.terminalId !== terminalId) {
      throw new KycdError('not_found', `no session ${JSON.stringify(sessionId)} for this terminal`);
    }
    return entry.session;
  }

  /** Deliver an event to a session's flow. @throws KycdError `conflict` when it cannot take it now. */
  send(terminalId: string, sessionId: string, event: SessionFlowEvent): Session {
    const session = this.get(terminalId, sessionId);
    const flow = this.sessions.get(sessionId)?.flow;
    if (session.finished || flow === undefined || !flow.accepts(event)) {
      // Only the event type and state: payloads (MRZ, CAN, MSISDN) are personal data.
      this.options.logger?.warn(
        { session: session.id, event: event.type, state: session.state },
        'session event refused: not possible in this state',
      );
      throw new KycdError(
        'conflict',
        `session is ${session.state}; ${event.type} is not possible now`,
        {
          data: { state: session.state },
        },
      );
    }
    flow.send(event);
    return session;
  }

  /** Sessions of one terminal (newest first). */
  list(terminalId: string): Session[] {
    return [...this.sessions.values()]
      .map((e) => e.session)
      .filter((s) => s.terminalId === terminalId)
      .reverse();
  }

  /**
   * Expire overdue sessions whose flow did not end them, and forget finished sessions kept
   * longer than `keepFinishedMs`. Called periodically by the daemon. The session machine is the
   * expirer (its `sessionMs` is `expireAfterMs`); this is the backstop for a flow that is stuck
   * or gone, {@link EXPIRY_GRACE_MS} after the deadline, with the machine's own reason.
   */
  sweep(): void {
    const now = this.now().getTime();
    for (const [id, entry] of this.sessions) {
      const { session } = entry;
      const grace = entry.flow === undefined ? 0 : EXPIRY_GRACE_MS;
      if (!session.finished && now >= session.expiresAt.getTime() + grace) {
        // The final state first (the store keeps what the session holds, e.g. its face
        // evidence), then the flow stops and lets go of it.
        session.setState('expired', 'done', { ...SESSION_EXPIRED_REASON });
        entry.flow?.stop();
      }
      if (session.finished) {
        entry.flow?.stop();
        if (
          session.finishedAt !== undefined &&
          now - session.finishedAt.getTime() >= this.options.config.keepFinishedMs
        ) {
          this.sessions.delete(id);
        }
      }
    }
  }

  /** Stop every flow (daemon shutdown). Active sessions are cancelled with a reason. */
  stopAll(reason: string): void {
    for (const { session, flow } of this.sessions.values()) {
      // as in sweep: the final state (and what the store keeps of it) before the flow lets go
      if (!session.finished)
        session.setState('cancelled', 'done', { code: 'session_daemon_stopped', message: reason });
      flow?.stop();
    }
  }

  get size(): number {
    return this.sessions.size;
  }
}
