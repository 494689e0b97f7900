import type { PrivacyConfig } from '../config/sections/privacy.js';
import type { Store } from '../store/Store.js';

/** What one purge removed. */
export interface PurgeResult {
  readonly evidence: number;
  readonly sessions: number;
  readonly sessionEvents: number;
  /** Delivered or rejected registrations whose record body and signature were dropped. */
  readonly records: number;
}

const DAY_MS = 86_400_000;

/**
 * Remove what retention no longer allows, in one transaction, and audit the counts: expired
 * evidence; sessions (and their replay events) not updated for `sessionRetentionDays` — except
 * sessions whose registration is still queued; record bodies of registrations delivered or
 * rejected more than `recordRetentionDays` ago (id, status and times stay for the audit trail).
 * Queued registrations are never touched. Purged rows are zeroed (`secure_delete`) and the WAL
 * is checkpointed and truncated afterwards.
 */
export function purgeExpired(
  store: Store,
  config: PrivacyConfig,
  now: number = store.context.now(),
): PurgeResult {
  const sessionCutoff = now - config.sessionRetentionDays * DAY_MS;
  const recordCutoff = now - config.recordRetentionDays * DAY_MS;
  const result = store.transaction('purge', () => {
    const db = store.db;
    const evidence = db.prepare('DELETE FROM evidence WHERE expires_at <= ?').run(now).changes;
    const oldSessions = `SELECT id FROM sessions WHERE updated_at < @cutoff AND id NOT IN (SELECT session_id FROM registrations WHERE status = 'queued')`;
    const sessionEvents = db
      .prepare(`DELETE FROM session_events WHERE session_id IN (${oldSessions})`)
      .run({ cutoff: sessionCutoff }).changes;
    // Events of sessions that never got a row (or whose row is gone) age out the same way.
    const strayEvents = db
      .prepare(
        `DELETE FROM session_events WHERE created_at < ? AND session_id NOT IN (SELECT id FROM sessions) AND session_id NOT IN (SELECT session_id FROM registrations WHERE status = 'queued')`,
      )
      .run(sessionCutoff).changes;
    const sessions = db
      .prepare(`DELETE FROM sessions WHERE id IN (${oldSessions})`)
      .run({ cutoff: sessionCutoff }).changes;
    const records = db
      .prepare(
        `UPDATE registrations SET record_json = NULL, signature = NULL, receipt = NULL WHERE status IN ('delivered', 'rejected') AND updated_at < ? AND record_json IS NOT NULL`,
      )
      .run(recordCutoff).changes;
    const result = { evidence, sessions, sessionEvents: sessionEvents + strayEvents, records };
    if (evidence + sessions + result.sessionEvents + records > 0)
      store.audit.append({ kind: 'retention.purged', actor: 'daemon', data: { ...result } });
    return result;
  });
  // secure_delete zeroed the purged rows; truncate the WAL that still holds their old pages.
  if (result.evidence + result.sessions + result.sessionEvents + result.records > 0)
    store.checkpointWal();
  return result;
}

/**
 * Run {@link purgeExpired} now and every `purgeIntervalMinutes`; returns the function that stops
 * it. Failures go to `onError` (the next run tries again).
 */
export function startRetentionTimer(
  store: Store,
  config: PrivacyConfig,
  handlers: { onPurged?: (r: PurgeResult) => void; onError: (err: unknown) => void },
): () => void {
  const run = (): void => {
    try {
      const r = purgeExpired(store, config);
      handlers.onPurged?.(r);
    } catch (err) {
      handlers.onError(err);
    }
  };
  run();
  const timer = setInterval(run, config.purgeIntervalMinutes * 60_000);
  timer.unref();
  return () => clearInterval(timer);
}
