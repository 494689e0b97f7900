import type { StoreContext } from './StoreContext.js';

/** A session as the store keeps it. Times are milliseconds since the epoch. */
export interface StoredSession {
  readonly id: string;
  readonly terminalId?: string;
  /** The session machine's state value (e.g. `reading_document`, `completed`, `failed`). */
  readonly state: string;
  /** The current step shown to the POS, when the machine has one. */
  readonly step?: string;
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly expiresAt?: number;
  /** Registered error code when the session failed. */
  readonly failureCode?: string;
  /** What the POS may see about the session (already shaped by the privacy settings). */
  readonly summary?: unknown;
  /** When steps finished (ms since epoch): see {@link SessionMilestones}. */
  readonly milestones?: SessionMilestones;
  /**
   * The evidence record of every face attempt (timeline, scores, frame hashes; never pixels or
   * embeddings) of a session that ended without a registration — a registered session's
   * evidence is in its signed record. Why a customer was turned away, for review and `kycd export`.
   */
  readonly livenessEvidence?: readonly unknown[];
}

/**
 * When the steps of a session finished, as the daemon saw them (ms since the epoch): the
 * document read (and checked), the liveness verdict, the face match. The last occurrence
 * counts (a re-read after a failed attempt replaces the first). These go into the record.
 */
export interface SessionMilestones {
  readonly documentReadAt?: number;
  readonly livenessCompletedAt?: number;
  readonly matchedAt?: number;
}

/**
 * What `upsert` takes: `createdAt`/`updatedAt` default to now. On an update, an optional field
 * left out keeps what is stored (a step's row update cannot drop the review decision or expiry).
 */
export interface SessionUpsert {
  readonly id: string;
  readonly terminalId?: string;
  readonly state: string;
  readonly step?: string;
  readonly createdAt?: number;
  readonly expiresAt?: number;
  readonly failureCode?: string;
  readonly summary?: unknown;
  readonly milestones?: SessionMilestones;
  readonly livenessEvidence?: readonly unknown[];
}

interface SessionRow {
  id: string;
  terminal_id: string | null;
  state: string;
  step: string | null;
  created_at: number;
  updated_at: number;
  expires_at: number | null;
  failure_code: string | null;
  summary_json: string | null;
  milestones_json: string | null;
  liveness_evidence_json: string | null;
}

/** The `sessions` table: one row per session, updated as the machine moves. */
export class SessionTable {
  constructor(private readonly ctx: StoreContext) {}

  /** Insert or update a session (the terminal and creation time never change once set). */
  upsert(session: SessionUpsert): StoredSession {
    const now = this.ctx.now();
    this.ctx.write('upsert session', () => {
      this.ctx.db
        .prepare(
          `INSERT INTO sessions (id, terminal_id, state, step, created_at, updated_at, expires_at, failure_code, summary_json, milestones_json, liveness_evidence_json)
           VALUES (@id, @terminalId, @state, @step, @createdAt, @updatedAt, @expiresAt, @failureCode, @summary, @milestones, @livenessEvidence)
           ON CONFLICT(id) DO UPDATE SET state = excluded.state, step = excluded.step, updated_at = excluded.updated_at,
             expires_at = COALESCE(excluded.expires_at, sessions.expires_at),
             failure_code = COALESCE(excluded.failure_code, sessions.failure_code),
             summary_json = COALESCE(excluded.summary_json, sessions.summary_json),
             milestones_json = COALESCE(excluded.milestones_json, sessions.milestones_json),
             liveness_evidence_json = COALESCE(excluded.liveness_evidence_json, sessions.liveness_evidence_json)`,
        )
        .run({
          id: session.id,
          terminalId: session.terminalId ?? null,
          state: session.state,
          step: session.step ?? null,
          createdAt: session.createdAt ?? now,
          updatedAt: now,
          expiresAt: session.expiresAt ?? null,
          failureCode: session.failureCode ?? null,
          summary: session.summary === undefined ? null : JSON.stringify(session.summary),
          milestones: session.milestones === undefined ? null : JSON.stringify(session.milestones),
          livenessEvidence:
            session.livenessEvidence === undefined
              ? null
              : JSON.stringify(session.livenessEvidence),
        });
    });
    return this.get(session.id) as StoredSession;
  }

  /** One session, or undefined. */
  get(id: string): StoredSession | undefined {
    const row = this.ctx.read(
      'get session',
      () =>
        this.ctx.db.prepare('SELECT * FROM sessions WHERE id = ?').get(id) as
          SessionRow | undefined,
    );
    return row === undefined ? undefined : toSession(row);
  }

  /** Sessions updated at or after `since` (ms), newest first, at most `limit`. */
  list(options: { since?: number; limit?: number } = {}): StoredSession[] {
    const rows = this.ctx.read(
      'list sessions',
      () =>
        this.ctx.db
          .prepare(
            'SELECT * FROM sessions WHERE updated_at >= ? ORDER BY updated_at DESC, id LIMIT ?',
          )
          .all(options.since ?? 0, options.limit ?? 1000) as SessionRow[],
    );
    return rows.map(toSession);
  }
}

function toSession(row: SessionRow): StoredSession {
  return {
    id: row.id,
    state: row.state,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    ...(row.terminal_id === null ? {} : { terminalId: row.terminal_id }),
    ...(row.step === null ? {} : { step: row.step }),
    ...(row.expires_at === null ? {} : { expiresAt: row.expires_at }),
    ...(row.failure_code === null ? {} : { failureCode: row.failure_code }),
    ...(row.summary_json === null ? {} : { summary: JSON.parse(row.summary_json) as unknown }),
    ...(row.milestones_json === null
      ? {}
      : { milestones: JSON.parse(row.milestones_json) as SessionMilestones }),
    ...(row.liveness_evidence_json === null
      ? {}
      : { livenessEvidence: JSON.parse(row.liveness_evidence_json) as unknown[] }),
  };
}
