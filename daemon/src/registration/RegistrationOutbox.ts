import type { StoreContext } from '../store/StoreContext.js';

/** Delivery status of a registration. `queued` until the carrier accepted (2xx) or rejected (4xx) it. */
export type RegistrationStatus = 'queued' | 'delivered' | 'rejected';

/** One row of the outbox. Times are milliseconds since the epoch. */
export interface OutboxEntry {
  readonly registrationId: string;
  readonly sessionId: string;
  readonly idempotencyKey: string;
  /** The canonical JSON that was signed — the exact request body. Absent once purged. */
  readonly recordJson?: string;
  /** Ed25519 signature over `recordJson`, base64url. Absent once purged. */
  readonly signature?: string;
  readonly keyId: string;
  readonly status: RegistrationStatus;
  readonly attempts: number;
  readonly nextAttemptAt: number;
  readonly lastError?: string;
  readonly rejectReason?: string;
  readonly httpStatus?: number;
  /** The carrier's answer body on delivery (at most 4 KiB). */
  readonly receipt?: string;
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly deliveredAt?: number;
}

interface OutboxRow {
  id: string;
  session_id: string;
  idempotency_key: string;
  record_json: string | null;
  signature: string | null;
  key_id: string;
  status: RegistrationStatus;
  attempts: number;
  next_attempt_at: number;
  last_error: string | null;
  reject_reason: string | null;
  http_status: number | null;
  receipt: string | null;
  created_at: number;
  updated_at: number;
  delivered_at: number | null;
}

/**
 * The `registrations` table used as a transactional outbox: a registration is inserted in the
 * same transaction that confirms its session, and stays `queued` until the carrier answers.
 */
export class RegistrationOutbox {
  constructor(private readonly ctx: StoreContext) {}

  /** Insert a queued registration (inside the caller's transaction when there is one). */
  insert(entry: {
    registrationId: string;
    sessionId: string;
    recordJson: string;
    signature: string;
    keyId: string;
  }): OutboxEntry {
    const now = this.ctx.now();
    this.ctx.write('queue registration', () => {
      this.ctx.db
        .prepare(
          `INSERT INTO registrations (id, session_id, idempotency_key, record_json, signature, key_id, status, attempts, next_attempt_at, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, 'queued', 0, ?, ?, ?)`,
        )
        .run(
          entry.registrationId,
          entry.sessionId,
          entry.registrationId,
          entry.recordJson,
          entry.signature,
          entry.keyId,
          now,
          now,
          now,
        );
    });
    return this.get(entry.registrationId) as OutboxEntry;
  }

  /** One registration by id. */
  get(registrationId: string): OutboxEntry | undefined {
    const row = this.ctx.read(
      'get registration',
      () =>
        this.ctx.db.prepare('SELECT * FROM registrations WHERE id = ?').get(registrationId) as
          OutboxRow | undefined,
    );
    return row === undefined ? undefined : toEntry(row);
  }

  /** The registration of a session. */
  bySession(sessionId: string): OutboxEntry | undefined {
    const row = this.ctx.read(
      'get registration',
      () =>
        this.ctx.db.prepare('SELECT * FROM registrations WHERE session_id = ?').get(sessionId) as
          OutboxRow | undefined,
    );
    return row === undefined ? undefined : toEntry(row);
  }

  /** Queued registrations due at `now`, oldest first, skipping `exclude`. */
  due(now: number, limit: number, exclude: ReadonlySet<string> = new Set()): OutboxEntry[] {
    const rows = this.ctx.read(
      'list due registrations',
      () =>
        this.ctx.db
          .prepare(
            `SELECT * FROM registrations WHERE status = 'queued' AND next_attempt_at <= ? ORDER BY next_attempt_at, created_at LIMIT ?`,
          )
          .all(now, limit + exclude.size) as OutboxRow[],
    );
    return rows
      .filter((r) => !exclude.has(r.id))
      .slice(0, limit)
      .map(toEntry);
  }

  /** The earliest `next_attempt_at` among queued registrations not in `exclude`, if any. */
  nextDueAt(exclude: ReadonlySet<string> = new Set()): number | undefined {
    const rows = this.ctx.read(
      'next due registration',
      () =>
        this.ctx.db
          .prepare(
            `SELECT id, next_attempt_at FROM registrations WHERE status = 'queued' ORDER BY next_attempt_at LIMIT ?`,
          )
          .all(exclude.size + 1) as { id: string; next_attempt_at: number }[],
    );
    return rows.find((r) => !exclude.has(r.id))?.next_attempt_at;
  }

  /** Record a 2xx answer. Only a queued registration moves; returns whether it did. */
  markDelivered(registrationId: string, httpStatus: number, receipt: string): boolean {
    const now = this.ctx.now();
    return this.ctx.write(
      'mark registration delivered',
      () =>
        this.ctx.db
          .prepare(
            `UPDATE registrations SET status = 'delivered', attempts = attempts + 1, http_status = ?, receipt = ?, delivered_at = ?, updated_at = ?, last_error = NULL
           WHERE id = ? AND status = 'queued'`,
          )
          .run(httpStatus, receipt.slice(0, 4096), now, now, registrationId).changes > 0,
    );
  }

  /** Record a final 4xx answer. */
  markRejected(registrationId: string, httpStatus: number, reason: string): boolean {
    const now = this.ctx.now();
    return this.ctx.write(
      'mark registration rejected',
      () =>
        this.ctx.db
          .prepare(
            `UPDATE registrations SET status = 'rejected', attempts = attempts + 1, http_status = ?, reject_reason = ?, updated_at = ?
           WHERE id = ? AND status = 'queued'`,
          )
          .run(httpStatus, reason.slice(0, 1024), now, registrationId).changes > 0,
    );
  }

  /** Record a failed attempt that will be retried at `nextAttemptAt`. */
  markRetry(
    registrationId: string,
    nextAttemptAt: number,
    error: string,
    httpStatus?: number,
  ): boolean {
    const now = this.ctx.now();
    return this.ctx.write(
      'schedule registration retry',
      () =>
        this.ctx.db
          .prepare(
            `UPDATE registrations SET attempts = attempts + 1, next_attempt_at = ?, last_error = ?, http_status = ?, updated_at = ?
           WHERE id = ? AND status = 'queued'`,
          )
          .run(nextAttemptAt, error.slice(0, 1024), httpStatus ?? null, now, registrationId)
          .changes > 0,
    );
  }

  /** Counts by status. */
  counts(): Record<RegistrationStatus, number> {
    const rows = this.ctx.read(
      'count registrations',
      () =>
        this.ctx.db
          .prepare('SELECT status, COUNT(*) AS n FROM registrations GROUP BY status')
          .all() as { status: RegistrationStatus; n: number }[],
    );
    const out: Record<RegistrationStatus, number> = { queued: 0, delivered: 0, rejected: 0 };
    for (const r of rows) out[r.status] = r.n;
    return out;
  }

  /** Every registration, oldest first (for tests, export and the CLI). */
  list(options: { status?: RegistrationStatus; limit?: number } = {}): OutboxEntry[] {
    const rows = this.ctx.read('list registrations', () =>
      options.status === undefined
        ? (this.ctx.db
            .prepare('SELECT * FROM registrations ORDER BY created_at, id LIMIT ?')
            .all(options.limit ?? -1) as OutboxRow[])
        : (this.ctx.db
            .prepare('SELECT * FROM registrations WHERE status = ? ORDER BY created_at, id LIMIT ?')
            .all(options.status, options.limit ?? -1) as OutboxRow[]),
    );
    return rows.map(toEntry);
  }
}

function toEntry(row: OutboxRow): OutboxEntry {
  return {
    registrationId: row.id,
    sessionId: row.session_id,
    idempotencyKey: row.idempotency_key,
    ...(row.record_json === null ? {} : { recordJson: row.record_json }),
    ...(row.signature === null ? {} : { signature: row.signature }),
    keyId: row.key_id,
    status: row.status,
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at,
    ...(row.last_error === null ? {} : { lastError: row.last_error }),
    ...(row.reject_reason === null ? {} : { rejectReason: row.reject_reason }),
    ...(row.http_status === null ? {} : { httpStatus: row.http_status }),
    ...(row.receipt === null ? {} : { receipt: row.receipt }),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    ...(row.delivered_at === null ? {} : { deliveredAt: row.delivered_at }),
  };
}
