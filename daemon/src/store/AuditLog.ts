import { createHash } from 'node:crypto';
import { canonicalJson } from '../registration/canonicalJson.js';
import type { StoreContext } from './StoreContext.js';

/** One audit event. `data` must never hold biometrics or full ID numbers (mask them first). */
export interface AuditEvent {
  readonly seq: number;
  /** Milliseconds since the epoch. */
  readonly at: number;
  /** What happened, e.g. `terminal.paired`, `registration.confirmed`, `evidence.purged`. */
  readonly kind: string;
  /** Who did it: a terminal id, `cli`, `daemon`. */
  readonly actor?: string;
  readonly sessionId?: string;
  readonly data: Readonly<Record<string, unknown>>;
  /** The previous row's hash (64 zeros for the first row). */
  readonly prevHash: string;
  /** SHA-256 over the canonical JSON of every other field. */
  readonly hash: string;
}

/** The outcome of {@link AuditLog.verify}. */
export interface AuditVerification {
  readonly ok: boolean;
  readonly rows: number;
  /** The first row whose hash or link is wrong, and what is wrong with it. */
  readonly firstBad?: { readonly seq: number; readonly reason: string };
  /** The hash of the last row: publish it elsewhere to also detect truncation of the tail. */
  readonly headHash: string;
}

interface AuditRow {
  seq: number;
  at: number;
  kind: string;
  actor: string | null;
  session_id: string | null;
  data_json: string;
  prev_hash: string;
  hash: string;
}

/** The hash the first row links to. */
export const AUDIT_GENESIS_HASH = '0'.repeat(64);

/**
 * The hash-chained audit trail. Each row carries the previous row's hash and its own hash over
 * its content plus that link, so editing, deleting or reordering a row breaks the chain from
 * there on; `verify` finds the first broken row. Appends run inside the caller's transaction
 * when there is one, so an audited change and its audit row commit together.
 */
export class AuditLog {
  constructor(private readonly ctx: StoreContext) {}

  /** Append an event; returns it with its seq and hashes. */
  append(event: {
    kind: string;
    actor?: string;
    sessionId?: string;
    data?: Record<string, unknown>;
  }): AuditEvent {
    return this.ctx.write('append audit event', () => {
      const last = this.ctx.db
        .prepare('SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1')
        .get() as { seq: number; hash: string } | undefined;
      const seq = (last?.seq ?? 0) + 1;
      const at = this.ctx.now();
      const data = JSON.parse(JSON.stringify(event.data ?? {})) as Record<string, unknown>;
      const prevHash = last?.hash ?? AUDIT_GENESIS_HASH;
      const hash = auditHash({
        seq,
        at,
        kind: event.kind,
        actor: event.actor ?? null,
        sessionId: event.sessionId ?? null,
        data,
        prevHash,
      });
      this.ctx.db
        .prepare(
          'INSERT INTO audit_events (seq, at, kind, actor, session_id, data_json, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
        )
        .run(
          seq,
          at,
          event.kind,
          event.actor ?? null,
          event.sessionId ?? null,
          canonicalJson(data),
          prevHash,
          hash,
        );
      return {
        seq,
        at,
        kind: event.kind,
        ...(event.actor === undefined ? {} : { actor: event.actor }),
        ...(event.sessionId === undefined ? {} : { sessionId: event.sessionId }),
        data,
        prevHash,
        hash,
      };
    });
  }

  /** Events in order, optionally only those of one session. */
  list(options: { sessionId?: string; afterSeq?: number; limit?: number } = {}): AuditEvent[] {
    const rows = this.ctx.read('list audit events', () =>
      options.sessionId === undefined
        ? (this.ctx.db
            .prepare('SELECT * FROM audit_events WHERE seq > ? ORDER BY seq LIMIT ?')
            .all(options.afterSeq ?? 0, options.limit ?? -1) as AuditRow[])
        : (this.ctx.db
            .prepare(
              'SELECT * FROM audit_events WHERE session_id = ? AND seq > ? ORDER BY seq LIMIT ?',
            )
            .all(options.sessionId, options.afterSeq ?? 0, options.limit ?? -1) as AuditRow[]),
    );
    return rows.map(toEvent);
  }

  /** Recompute every hash and link, oldest first; stops at the first bad row. */
  verify(): AuditVerification {
    const iter = this.ctx.read(
      'verify audit chain',
      () =>
        this.ctx.db
          .prepare('SELECT * FROM audit_events ORDER BY seq')
          .iterate() as IterableIterator<AuditRow>,
    );
    let prev = AUDIT_GENESIS_HASH;
    let expectedSeq = 1;
    let rows = 0;
    for (const row of iter) {
      rows++;
      let reason: string | undefined;
      let data: Record<string, unknown> | undefined;
      try {
        data = JSON.parse(row.data_json) as Record<string, unknown>;
      } catch {
        reason = 'data is not valid JSON';
      }
      if (reason === undefined && row.seq !== expectedSeq)
        reason = `expected seq ${expectedSeq} (a row was deleted or inserted)`;
      if (reason === undefined && row.prev_hash !== prev)
        reason =
          'prev_hash does not match the previous row (a row was deleted, inserted or edited)';
      if (reason === undefined) {
        const hash = auditHash({
          seq: row.seq,
          at: row.at,
          kind: row.kind,
          actor: row.actor,
          sessionId: row.session_id,
          data: data ?? {},
          prevHash: row.prev_hash,
        });
        if (hash !== row.hash) reason = 'hash does not match the row content (the row was edited)';
      }
      if (reason !== undefined) {
        iter.return?.();
        return { ok: false, rows, firstBad: { seq: row.seq, reason }, headHash: prev };
      }
      prev = row.hash;
      expectedSeq = row.seq + 1;
    }
    return { ok: true, rows, headHash: prev };
  }
}

function auditHash(fields: {
  seq: number;
  at: number;
  kind: string;
  actor: string | null;
  sessionId: string | null;
  data: unknown;
  prevHash: string;
}): string {
  return createHash('sha256').update(canonicalJson(fields), 'utf8').digest('hex');
}

function toEvent(row: AuditRow): AuditEvent {
  return {
    seq: row.seq,
    at: row.at,
    kind: row.kind,
    ...(row.actor === null ? {} : { actor: row.actor }),
    ...(row.session_id === null ? {} : { sessionId: row.session_id }),
    data: JSON.parse(row.data_json) as Record<string, unknown>,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}
