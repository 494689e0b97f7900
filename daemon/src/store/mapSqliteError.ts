import { StoreError } from './StoreError.js';

const CORRUPT = new Set([
  'SQLITE_NOTADB',
  'SQLITE_CORRUPT',
  'SQLITE_CORRUPT_VTAB',
  'SQLITE_CORRUPT_SEQUENCE',
  'SQLITE_CORRUPT_INDEX',
]);
const FULL = new Set(['SQLITE_FULL', 'ENOSPC', 'SQLITE_IOERR_WRITE_FULL']);

/**
 * Translate an error raised by better-sqlite3 (or the file system under it) into a typed
 * {@link StoreError}. A `StoreError` passes through unchanged; anything that is not a storage
 * failure (a `TypeError` from our own code, say) is returned as is so that bugs stay visible.
 */
export function mapSqliteError(err: unknown, step: string, file: string): unknown {
  if (err instanceof StoreError) return err;
  const code =
    typeof err === 'object' && err !== null && 'code' in err
      ? String((err as { code: unknown }).code)
      : undefined;
  if (code === undefined) return err;
  const message = err instanceof Error ? err.message : String(err);
  if (CORRUPT.has(code)) {
    return new StoreError(
      'registration_store_corrupt',
      `store ${step}: ${file} is corrupted (${code}: ${message}); kycd will not start on it and will not reset it — restore it from a backup or move it aside`,
      { step, file, sqliteCode: code, cause: err },
    );
  }
  if (FULL.has(code) || /database or disk is full/i.test(message)) {
    return new StoreError(
      'registration_store_full',
      `store ${step}: the disk holding ${file} is full (${code}); the write was rolled back`,
      {
        step,
        file,
        sqliteCode: code,
        cause: err,
      },
    );
  }
  if (code.startsWith('SQLITE_')) {
    if (
      code === 'SQLITE_CONSTRAINT' ||
      code.startsWith('SQLITE_CONSTRAINT_') ||
      code === 'SQLITE_ERROR' ||
      code === 'SQLITE_MISUSE'
    )
      return err;
    return new StoreError(
      'registration_store_unavailable',
      `store ${step}: ${file}: ${code}: ${message}`,
      { step, file, sqliteCode: code, cause: err },
    );
  }
  if (/^E[A-Z]+$/.test(code)) {
    return new StoreError(
      'registration_store_unavailable',
      `store ${step}: ${file}: ${code}: ${message}`,
      { step, file, sqliteCode: code, cause: err },
    );
  }
  return err;
}
