import { closeSync, mkdirSync, openSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { mapSqliteError } from './mapSqliteError.js';
import { MIGRATIONS, SCHEMA_VERSION } from './migrations.js';
import { Store } from './Store.js';
import { StoreContext } from './StoreContext.js';
import { StoreError } from './StoreError.js';

/** Options of {@link openStore}. */
export interface OpenStoreOptions {
  /** The data directory; created (mode 0700) when missing. */
  readonly dataDir: string;
  /** The database file name inside it. Default `kycd.sqlite`. */
  readonly fileName?: string;
  /** Run `PRAGMA quick_check` at open (default true). Skipping it only skips deep corruption. */
  readonly integrityCheck?: boolean;
  /** Milliseconds to wait for another process's write lock. Default 5000. */
  readonly busyTimeoutMs?: number;
  /** Clock, for tests. Default `Date.now`. */
  readonly now?: () => number;
}

/** Defaults of {@link OpenStoreOptions}. */
export const OPEN_STORE_DEFAULTS = {
  fileName: 'kycd.sqlite',
  integrityCheck: true,
  busyTimeoutMs: 5000,
} as const;

const SQLITE_HEADER = Buffer.from('SQLite format 3\0', 'latin1');

/**
 * Open (creating when needed) the store in `dataDir`: WAL journal, `synchronous=FULL`, foreign
 * keys on, `secure_delete` on (deleted rows are zeroed), versioned migrations applied. A file that is not a SQLite database or fails the
 * integrity check is refused — never reset.
 *
 * @throws {StoreError} `registration_store_corrupt` (corrupted file),
 *   `registration_store_newer_schema` (written by a newer kycd), `registration_store_full`,
 *   `registration_store_unavailable` (permissions, I/O).
 * @example
 * ```ts
 * const store = openStore({ dataDir: '/var/lib/kycd' });
 * const { token } = store.terminals.pair('till-1');
 * store.close();
 * ```
 */
export function openStore(options: OpenStoreOptions): Store {
  const fileName = options.fileName ?? OPEN_STORE_DEFAULTS.fileName;
  const file = join(options.dataDir, fileName);
  try {
    mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
  } catch (err) {
    throw mapSqliteError(err, 'open', options.dataDir);
  }
  checkHeader(file);
  let db: Database.Database;
  try {
    db = new Database(file, {
      timeout: options.busyTimeoutMs ?? OPEN_STORE_DEFAULTS.busyTimeoutMs,
    });
  } catch (err) {
    throw mapSqliteError(err, 'open', file);
  }
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    // Deleted personal data (erase, purge) is overwritten with zeros, not left in free pages.
    db.pragma('secure_delete = ON');
    if (options.integrityCheck ?? OPEN_STORE_DEFAULTS.integrityCheck) {
      const rows = db.pragma('quick_check') as { quick_check: string }[];
      const problems = rows.map((r) => r.quick_check).filter((r) => r !== 'ok');
      if (problems.length > 0) {
        throw new StoreError(
          'registration_store_corrupt',
          `store integrity_check: ${file} is corrupted (${problems.slice(0, 3).join('; ')}); kycd will not start on it and will not reset it — restore it from a backup or move it aside`,
          { step: 'integrity_check', file, data: { problems: problems.slice(0, 10) } },
        );
      }
    }
    const ctx = new StoreContext(db, file, options.now ?? Date.now);
    const { version, from } = migrate(ctx);
    const store = new Store(ctx, options.dataDir, version);
    // A trail written before checkpoints existed (schema 1) is anchored as it stands.
    if (from >= 1 && from < 2 && store.audit.checkpoint() === undefined) store.audit.anchor();
    return store;
  } catch (err) {
    db.close();
    throw mapSqliteError(err, 'open', file);
  }
}

/** Refuse a non-empty file that does not start with SQLite's magic header. */
function checkHeader(file: string): void {
  let size: number;
  try {
    size = statSync(file).size;
  } catch {
    return; // missing: SQLite creates it.
  }
  if (size === 0) return;
  const header = Buffer.alloc(SQLITE_HEADER.length);
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (err) {
    throw mapSqliteError(err, 'open', file);
  }
  let read = 0;
  try {
    read = readSync(fd, header, 0, header.length, 0);
  } finally {
    closeSync(fd);
  }
  if (read < header.length || !header.equals(SQLITE_HEADER)) {
    throw new StoreError(
      'registration_store_corrupt',
      `store open: ${file} is not a SQLite database (bad header); kycd will not start on it and will not reset it — restore it from a backup or move it aside`,
      { step: 'open', file, sqliteCode: 'SQLITE_NOTADB' },
    );
  }
}

function migrate(ctx: StoreContext): { version: number; from: number } {
  const { db } = ctx;
  ctx.write('migrate', () => {
    db.exec(
      'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL) STRICT',
    );
  });
  const current =
    (db.prepare('SELECT MAX(version) AS v FROM schema_migrations').get() as { v: number | null })
      .v ?? 0;
  if (current > SCHEMA_VERSION) {
    throw new StoreError(
      'registration_store_newer_schema',
      `store migrate: ${ctx.file} has schema version ${current} but this kycd knows only up to ${SCHEMA_VERSION}; upgrade kycd`,
      { step: 'migrate', file: ctx.file, data: { found: current, known: SCHEMA_VERSION } },
    );
  }
  for (const m of [...MIGRATIONS].sort((a, b) => a.version - b.version)) {
    if (m.version <= current) continue;
    ctx.write(`migrate to version ${m.version}`, () => {
      // Re-check under the write lock: another process may have migrated meanwhile.
      const applied = db
        .prepare('SELECT 1 FROM schema_migrations WHERE version = ?')
        .get(m.version);
      if (applied !== undefined) return;
      db.exec(m.sql);
      db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(
        m.version,
        m.name,
        ctx.now(),
      );
    });
  }
  return { version: Math.max(current, SCHEMA_VERSION), from: current };
}
