import type BetterSqlite3 from 'better-sqlite3';
import { RegistrationOutbox } from '../registration/RegistrationOutbox.js';
import { TerminalSigningKey } from '../registration/TerminalSigningKey.js';
import { AuditLog } from './AuditLog.js';
import { SessionEventLog } from './SessionEventLog.js';
import { SessionTable } from './SessionTable.js';
import type { StoreContext } from './StoreContext.js';
import { TerminalRegistry } from './TerminalRegistry.js';

/**
 * The daemon's durable store: one SQLite database (WAL, `synchronous=FULL`) in the data
 * directory. Several processes may open it at once (the daemon and `kycd pair`, say); writes
 * serialise on SQLite's lock. Open it with {@link openStore}.
 */
export class Store {
  /** Paired POS terminals and their tokens. */
  readonly terminals: TerminalRegistry;
  /** Session rows. */
  readonly sessions: SessionTable;
  /** Session events for `session.resume` replay. */
  readonly events: SessionEventLog;
  /** The hash-chained audit trail. */
  readonly audit: AuditLog;
  /** Signed registrations and their delivery state (the outbox). */
  readonly registrations: RegistrationOutbox;

  /** @internal use {@link openStore}. */
  constructor(
    /** @internal shared with the registration and privacy modules of the daemon. */
    readonly context: StoreContext,
    /** The data directory the store lives in. */
    readonly dataDir: string,
    /** The schema version after migrations. */
    readonly schemaVersion: number,
  ) {
    this.terminals = new TerminalRegistry(context);
    this.sessions = new SessionTable(context);
    this.events = new SessionEventLog(context);
    // The audit checkpoint is signed with the terminal key (loaded when first needed).
    this.audit = new AuditLog(context, (create) =>
      create ? TerminalSigningKey.loadOrCreate(dataDir) : TerminalSigningKey.loadExisting(dataDir),
    );
    this.registrations = new RegistrationOutbox(context);
  }

  /** The database file. */
  get file(): string {
    return this.context.file;
  }

  /** @internal the connection, for the daemon's own modules and tests. */
  get db(): BetterSqlite3.Database {
    return this.context.db;
  }

  /**
   * Run `fn` in one transaction: every store write inside it commits together or not at all
   * (e.g. moving a session on and queueing its registration).
   */
  transaction<T>(step: string, fn: () => T): T {
    return this.context.write(step, fn);
  }

  /** True until `close()`. */
  get open(): boolean {
    return this.context.db.open;
  }

  /**
   * Copy the WAL into the database and truncate it to zero bytes, so that the page images it
   * held — including those of rows just deleted — are gone from the disk (with `secure_delete`,
   * the database's own copies of deleted rows are already zeroed). Call after erasing or purging
   * personal data. Returns false when another connection's open read kept part of the WAL (it
   * is truncated at the next complete checkpoint, at the latest when the store closes).
   */
  checkpointWal(): boolean {
    if (this.context.db.inTransaction) return false;
    const [row] = this.context.read(
      'checkpoint WAL',
      () =>
        this.context.db.pragma('wal_checkpoint(TRUNCATE)') as {
          busy: number;
          log: number;
          checkpointed: number;
        }[],
    );
    return row !== undefined && row.busy === 0;
  }

  /** Checkpoint the WAL and close the database. Idempotent. */
  close(): void {
    if (!this.context.db.open) return;
    try {
      this.context.db.pragma('wal_checkpoint(TRUNCATE)');
    } catch {
      // another process holds the database; its checkpoint will do.
    }
    this.context.db.close();
  }
}
