import { storableSessionEvent } from '../privacy/storableSessionEvent.js';
import type { StoreContext } from './StoreContext.js';

/** One stored session event, as it went out on the wire. */
export interface StoredSessionEvent {
  readonly seq: number;
  readonly event: unknown;
  readonly createdAt: number;
}

/**
 * The `session_events` table: every event the daemon sent for a session, by `seq`, so that
 * `session.resume` can replay what a reconnecting client missed.
 */
export class SessionEventLog {
  constructor(private readonly ctx: StoreContext) {}

  /**
   * Append one event. `seq` must be a non-negative integer not used before for this session.
   * Image payloads never reach the table (see {@link storableSessionEvent}): a `face.preview`
   * is skipped (returns false) and image-like values inside other events are replaced.
   * @throws {RangeError} on a bad or duplicate seq.
   */
  append(sessionId: string, seq: number, event: unknown): boolean {
    if (!Number.isSafeInteger(seq) || seq < 0)
      throw new RangeError(`seq must be a non-negative integer, got ${seq}`);
    const storable = storableSessionEvent(event);
    if (storable === undefined) return false;
    const json = JSON.stringify(storable);
    if (json === undefined) throw new TypeError('event must be JSON-serialisable');
    this.ctx.write('append session event', () => {
      const result = this.ctx.db
        .prepare(
          'INSERT OR IGNORE INTO session_events (session_id, seq, event_json, created_at) VALUES (?, ?, ?, ?)',
        )
        .run(sessionId, seq, json, this.ctx.now());
      if (result.changes === 0)
        throw new RangeError(`session ${sessionId} already has an event with seq ${seq}`);
    });
    return true;
  }

  /** Events with `seq > afterSeq`, in order (all of them with `afterSeq = -1`). */
  since(sessionId: string, afterSeq: number): StoredSessionEvent[] {
    const rows = this.ctx.read(
      'replay session events',
      () =>
        this.ctx.db
          .prepare(
            'SELECT seq, event_json, created_at FROM session_events WHERE session_id = ? AND seq > ? ORDER BY seq',
          )
          .all(sessionId, afterSeq) as { seq: number; event_json: string; created_at: number }[],
    );
    return rows.map((r) => ({
      seq: r.seq,
      event: JSON.parse(r.event_json) as unknown,
      createdAt: r.created_at,
    }));
  }

  /** The highest seq stored for the session, or -1. */
  lastSeq(sessionId: string): number {
    const row = this.ctx.read(
      'last session event',
      () =>
        this.ctx.db
          .prepare('SELECT MAX(seq) AS seq FROM session_events WHERE session_id = ?')
          .get(sessionId) as { seq: number | null },
    );
    return row.seq ?? -1;
  }
}
