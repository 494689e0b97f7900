import type BetterSqlite3 from 'better-sqlite3';
import { mapSqliteError } from './mapSqliteError.js';

/**
 * What each table class of the store shares: the connection, the database file (for error
 * messages), the clock, and `write`, which runs a function in one IMMEDIATE transaction and
 * turns SQLite failures (disk full, corruption, I/O) into typed {@link StoreError}s.
 */
export class StoreContext {
  constructor(
    readonly db: BetterSqlite3.Database,
    readonly file: string,
    readonly now: () => number,
  ) {}

  /** Run `fn` in one transaction (BEGIN IMMEDIATE); nested calls join the outer transaction. */
  write<T>(step: string, fn: () => T): T {
    try {
      if (this.db.inTransaction) return fn();
      return this.db.transaction(fn).immediate();
    } catch (err) {
      throw mapSqliteError(err, step, this.file);
    }
  }

  /**
   * Like {@link write}, but committed with `synchronous=NORMAL`: the commit is not fsynced
   * itself (the next FULL commit or checkpoint makes it durable). Only for writes whose loss in
   * a power cut is harmless — e.g. marking a registration delivered: redelivery after a crash
   * is answered idempotently by the carrier. Never for confirmations.
   */
  writeRelaxed<T>(step: string, fn: () => T): T {
    if (this.db.inTransaction) return this.write(step, fn);
    this.db.pragma('synchronous = NORMAL');
    try {
      return this.write(step, fn);
    } finally {
      this.db.pragma('synchronous = FULL');
    }
  }

  /** Run a read, mapping storage failures the same way. */
  read<T>(step: string, fn: () => T): T {
    try {
      return fn();
    } catch (err) {
      throw mapSqliteError(err, step, this.file);
    }
  }
}
