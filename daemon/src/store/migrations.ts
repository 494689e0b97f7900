/**
 * One schema change of the store. Migrations run in `version` order, each in its own
 * transaction, and are recorded in `schema_migrations`; a migration is never edited once
 * released — add a new one.
 */
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

/** The store's schema history. Times are milliseconds since the Unix epoch (UTC). */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'terminals, sessions, session events, audit chain, registration outbox, evidence',
    sql: `
      CREATE TABLE terminals (
        id           TEXT PRIMARY KEY,
        name         TEXT NOT NULL,
        token_hash   BLOB NOT NULL UNIQUE,
        created_at   INTEGER NOT NULL,
        last_seen_at INTEGER,
        revoked_at   INTEGER
      ) STRICT;
      CREATE UNIQUE INDEX terminals_active_name ON terminals(name) WHERE revoked_at IS NULL;

      CREATE TABLE sessions (
        id           TEXT PRIMARY KEY,
        terminal_id  TEXT,
        state        TEXT NOT NULL,
        step         TEXT,
        created_at   INTEGER NOT NULL,
        updated_at   INTEGER NOT NULL,
        expires_at   INTEGER,
        failure_code TEXT,
        summary_json TEXT
      ) STRICT;
      CREATE INDEX sessions_updated ON sessions(updated_at);

      CREATE TABLE session_events (
        session_id TEXT NOT NULL,
        seq        INTEGER NOT NULL,
        event_json TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        PRIMARY KEY (session_id, seq)
      ) STRICT, WITHOUT ROWID;

      CREATE TABLE audit_events (
        seq        INTEGER PRIMARY KEY AUTOINCREMENT,
        at         INTEGER NOT NULL,
        kind       TEXT NOT NULL,
        actor      TEXT,
        session_id TEXT,
        data_json  TEXT NOT NULL,
        prev_hash  TEXT NOT NULL,
        hash       TEXT NOT NULL
      ) STRICT;

      CREATE TABLE registrations (
        id              TEXT PRIMARY KEY,
        session_id      TEXT NOT NULL UNIQUE,
        idempotency_key TEXT NOT NULL UNIQUE,
        record_json     TEXT,
        signature       TEXT,
        key_id          TEXT NOT NULL,
        status          TEXT NOT NULL CHECK (status IN ('queued', 'delivered', 'rejected')),
        attempts        INTEGER NOT NULL DEFAULT 0,
        next_attempt_at INTEGER NOT NULL,
        last_error      TEXT,
        reject_reason   TEXT,
        http_status     INTEGER,
        receipt         TEXT,
        created_at      INTEGER NOT NULL,
        updated_at      INTEGER NOT NULL,
        delivered_at    INTEGER
      ) STRICT;
      CREATE INDEX registrations_due ON registrations(next_attempt_at) WHERE status = 'queued';

      CREATE TABLE evidence (
        id          TEXT PRIMARY KEY,
        session_id  TEXT NOT NULL,
        kind        TEXT NOT NULL,
        media_type  TEXT NOT NULL,
        iv          BLOB NOT NULL,
        tag         BLOB NOT NULL,
        ciphertext  BLOB NOT NULL,
        created_at  INTEGER NOT NULL,
        expires_at  INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX evidence_session ON evidence(session_id);
      CREATE INDEX evidence_expires ON evidence(expires_at);
    `,
  },
  {
    version: 2,
    name: 'signed checkpoint of the audit chain head',
    sql: `
      CREATE TABLE audit_checkpoint (
        id         INTEGER PRIMARY KEY CHECK (id = 1),
        seq        INTEGER NOT NULL,
        hash       TEXT NOT NULL,
        at         INTEGER NOT NULL,
        key_id     TEXT NOT NULL,
        signature  TEXT NOT NULL
      ) STRICT;
    `,
  },
  {
    version: 3,
    name: 'when each step of a session finished',
    sql: `ALTER TABLE sessions ADD COLUMN milestones_json TEXT;`,
  },
  {
    version: 4,
    name: 'the liveness evidence of a session that ended without a registration',
    sql: `ALTER TABLE sessions ADD COLUMN liveness_evidence_json TEXT;`,
  },
];

/** The newest schema version this build knows. */
export const SCHEMA_VERSION: number = MIGRATIONS.reduce((max, m) => Math.max(max, m.version), 0);
