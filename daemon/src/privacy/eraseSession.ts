import type { Store } from '../store/Store.js';
import { StoreError } from '../store/StoreError.js';

/** What {@link eraseSession} removed. */
export interface EraseResult {
  readonly sessionId: string;
  readonly session: boolean;
  readonly sessionEvents: number;
  readonly evidence: number;
  /** Whether the registration's record body and signature were dropped. */
  readonly record: boolean;
  /**
   * Whether the WAL was checkpointed and truncated afterwards, so no copy of the erased data is
   * left on disk (false: another connection was reading; the next checkpoint completes it).
   */
  readonly walTruncated: boolean;
}

/**
 * Erase a session's personal data for a data-subject request: the session row, its replay
 * events, its evidence and its registration record body (id, status and times stay, so the
 * audit trail still links up; the audit row records the erasure without personal data).
 * Deleted rows are zeroed (`secure_delete`) and the WAL is then checkpointed and truncated, so
 * the erased data is not left in the files' bytes.
 * A registration still queued for the carrier is refused unless `force` — erasing it means the
 * carrier never receives it.
 * @throws {StoreError} `registration_delivery_failed` for a still-queued registration without
 *   `force` (nothing is erased then); storage codes as for any write.
 */
export function eraseSession(
  store: Store,
  sessionId: string,
  options: { force?: boolean; actor?: string } = {},
): EraseResult {
  const erased = store.transaction('erase session', () => {
    const entry = store.registrations.bySession(sessionId);
    if (entry?.status === 'queued' && options.force !== true) {
      throw new StoreError(
        'registration_delivery_failed',
        `session ${sessionId} has registration ${entry.registrationId} still queued for the carrier; erasing it would cancel the delivery — use --force to erase anyway`,
        { step: 'erase', data: { sessionId, registrationId: entry.registrationId } },
      );
    }
    const db = store.db;
    const sessionEvents = db
      .prepare('DELETE FROM session_events WHERE session_id = ?')
      .run(sessionId).changes;
    const evidence = db.prepare('DELETE FROM evidence WHERE session_id = ?').run(sessionId).changes;
    const session = db.prepare('DELETE FROM sessions WHERE id = ?').run(sessionId).changes > 0;
    let record = false;
    if (entry !== undefined) {
      const now = store.context.now();
      record =
        db
          .prepare(
            `UPDATE registrations SET record_json = NULL, signature = NULL, receipt = NULL, updated_at = ?,
               status = CASE WHEN status = 'queued' THEN 'rejected' ELSE status END,
               reject_reason = CASE WHEN status = 'queued' THEN 'erased on request before delivery' ELSE reject_reason END
             WHERE session_id = ?`,
          )
          .run(now, sessionId).changes > 0;
    }
    const result = { sessionId, session, sessionEvents, evidence, record };
    if (!session && sessionEvents === 0 && evidence === 0 && entry === undefined)
      return { ...result, found: false };
    store.audit.append({
      kind: 'session.erased',
      actor: options.actor ?? 'cli',
      sessionId,
      data: { session, sessionEvents, evidence, record, forced: options.force === true },
    });
    return { ...result, found: true };
  });
  const { found, ...result } = erased;
  // secure_delete zeroed the rows in the database; the WAL still holds their old page images.
  return { ...result, walTruncated: found ? store.checkpointWal() : true };
}
