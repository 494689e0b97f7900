import {
  mkdtempSync,
  rmSync,
  writeFileSync,
  readFileSync,
  openSync,
  writeSync,
  closeSync,
  statSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore } from './openStore.js';
import { StoreError } from './StoreError.js';
import { SCHEMA_VERSION } from './migrations.js';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'kycd-store-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('openStore', () => {
  it('creates the database with WAL, synchronous=FULL and the current schema', () => {
    const dataDir = join(tempDir(), 'nested', 'data');
    const store = openStore({ dataDir });
    expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(store.db.pragma('synchronous', { simple: true })).toBe(2);
    expect(store.schemaVersion).toBe(SCHEMA_VERSION);
    expect(statSync(dataDir).mode & 0o777).toBe(0o700);
    store.close();
    const again = openStore({ dataDir });
    expect(again.schemaVersion).toBe(SCHEMA_VERSION);
    expect(again.db.prepare('SELECT COUNT(*) AS n FROM schema_migrations').get()).toEqual({
      n: SCHEMA_VERSION,
    });
    again.close();
  });

  it('refuses a file that is not a SQLite database, and leaves it untouched', () => {
    const dataDir = tempDir();
    const file = join(dataDir, 'kycd.sqlite');
    writeFileSync(file, 'this is not a database, it is a shopping list\n'.repeat(100));
    const before = readFileSync(file);
    const err = catchError(() => openStore({ dataDir }));
    expect(err).toBeInstanceOf(StoreError);
    expect((err as StoreError).code).toBe('registration_store_corrupt');
    expect((err as StoreError).message).toMatch(/not a SQLite database.*will not reset/);
    expect(readFileSync(file).equals(before)).toBe(true);
  });

  it('refuses a database whose pages were damaged (integrity check)', () => {
    const dataDir = tempDir();
    const store = openStore({ dataDir });
    store.transaction('fill', () => {
      for (let i = 0; i < 300; i++) store.terminals.pair(`till-${i}`);
    });
    store.close();
    const file = join(dataDir, 'kycd.sqlite');
    const size = statSync(file).size;
    const fd = openSync(file, 'r+');
    // Scribble over the middle pages, keep the header valid.
    writeSync(fd, Buffer.alloc(4096 * 3, 0xa5), 0, 4096 * 3, Math.floor(size / 2 / 4096) * 4096);
    closeSync(fd);
    const err = catchError(() => openStore({ dataDir }));
    expect(err).toBeInstanceOf(StoreError);
    expect((err as StoreError).code).toBe('registration_store_corrupt');
  });

  it('refuses a database written by a newer kycd', () => {
    const dataDir = tempDir();
    const store = openStore({ dataDir });
    store.db
      .prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)')
      .run(SCHEMA_VERSION + 1, 'future', 0);
    store.close();
    const err = catchError(() => openStore({ dataDir }));
    expect((err as StoreError).code).toBe('registration_store_newer_schema');
  });

  it('lets two connections (daemon and CLI) share the database', () => {
    const dataDir = tempDir();
    const daemon = openStore({ dataDir });
    const cli = openStore({ dataDir });
    const { token } = cli.terminals.pair('till-1');
    cli.close();
    expect(daemon.terminals.authenticate(token)?.name).toBe('till-1');
    daemon.close();
  });

  it('reports a WAL it could not truncate (another connection is reading), and truncates it once free', () => {
    const dataDir = tempDir();
    const store = openStore({ dataDir });
    const reader = openStore({ dataDir });
    store.terminals.pair('till-1');
    // A read transaction on the other connection pins the WAL frames it sees.
    reader.db.exec('BEGIN');
    reader.db.prepare('SELECT COUNT(*) AS n FROM terminals').get();
    store.terminals.pair('till-2');
    expect(store.checkpointWal()).toBe(false);
    reader.db.exec('COMMIT');
    expect(store.checkpointWal()).toBe(true);
    expect(statSync(join(dataDir, 'kycd.sqlite-wal')).size).toBe(0);
    // and never inside a transaction of its own
    expect(store.transaction('test', () => store.checkpointWal())).toBe(false);
    reader.close();
    store.close();
  });
});

function catchError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected an error');
}
