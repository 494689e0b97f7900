import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TerminalSigningKey, openStore, type Store } from '@kycd/daemon';
import { runKycd, type KycdRun } from '../helpers/runKycd.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let dir: string;
/** Stands in for the running daemon: it holds the database open throughout. */
let daemonStore: Store;

function kycd(...args: string[]): Promise<KycdRun> {
  return kycdIn(dir, ...args);
}

function kycdIn(dataDir: string, ...args: string[]): Promise<KycdRun> {
  return runKycd(['--data-dir', dataDir, ...args]);
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'kycd-cli-'));
  daemonStore = openStore({ dataDir: dir });
});
afterAll(() => {
  daemonStore.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('kycd pair / tokens / keys / audit (separate processes, same database as the running daemon)', () => {
  it('pairs while the daemon holds the database; the daemon authenticates the token; revoke stops it', async () => {
    const paired = await kycd('pair', '--name', 'till-1', '--json');
    expect(paired.code).toBe(0);
    const { token, terminalId, name } = JSON.parse(paired.stdout) as {
      token: string;
      terminalId: string;
      name: string;
    };
    expect(name).toBe('till-1');
    expect(daemonStore.terminals.authenticate(token)?.id).toBe(terminalId);

    const list = await kycd('tokens', 'list', '--json');
    expect(JSON.parse(list.stdout)).toEqual([
      expect.objectContaining({ id: terminalId, name: 'till-1' }),
    ]);
    expect(list.stdout).not.toContain(token);

    expect((await kycd('tokens', 'revoke', 'till-1')).code).toBe(0);
    expect(daemonStore.terminals.authenticate(token)).toBeUndefined();
  });

  it('shows the terminal public key, the same one the daemon signs with', async () => {
    const shown = await kycd('keys', 'show', '--json');
    const { keyId, publicKeyPem } = JSON.parse(shown.stdout) as {
      keyId: string;
      publicKeyPem: string;
    };
    const key = TerminalSigningKey.loadOrCreate(dir);
    expect(keyId).toBe(key.keyId);
    expect(publicKeyPem).toBe(key.publicKeyPem);
  });

  it('audit verify detects tampering and exits 1', async () => {
    expect(daemonStore.audit.verify()).toMatchObject({ ok: true, rows: 2 });
    daemonStore.db.prepare(`UPDATE audit_events SET actor = 'someone-else' WHERE seq = 1`).run();
    const bad = await kycd('audit', 'verify', '--json');
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.stdout)).toMatchObject({
      ok: false,
      firstBad: { seq: 1 },
      code: 'registration_audit_chain_broken',
    });
  });

  it('audit verify detects a truncated chain against the signed head', async () => {
    const other = mkdtempSync(join(tmpdir(), 'kycd-cli-audit-'));
    try {
      const store = openStore({ dataDir: other });
      for (let i = 0; i < 4; i++)
        store.audit.append({ kind: 'test.event', actor: 'cli', data: { i } });
      expect((await kycdIn(other, 'audit', 'verify')).code).toBe(0);
      // Cut the last row off: every remaining link is intact.
      store.db
        .prepare('DELETE FROM audit_events WHERE seq = (SELECT MAX(seq) FROM audit_events)')
        .run();
      store.close();
      const cut = await kycdIn(other, 'audit', 'verify', '--json');
      expect(cut.code).toBe(1);
      expect(JSON.parse(cut.stdout)).toMatchObject({
        ok: false,
        code: 'registration_audit_chain_broken',
        firstBad: { seq: 4, reason: expect.stringMatching(/removed from the end/) },
      });
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });

  it('audit head is a witness that catches a database restored from an older, intact copy', async () => {
    const other = mkdtempSync(join(tmpdir(), 'kycd-cli-rollback-'));
    try {
      const db = join(other, 'kycd.sqlite');
      let store = openStore({ dataDir: other });
      for (let i = 0; i < 2; i++) store.audit.append({ kind: 'test.event', data: { i } });
      store.close();
      const older = readFileSync(db);
      store = openStore({ dataDir: other });
      for (let i = 2; i < 4; i++) store.audit.append({ kind: 'test.event', data: { i } });
      store.close();
      const head = await kycdIn(other, 'audit', 'head');
      expect(head.code).toBe(0);
      expect(head.stdout.trim()).toMatch(/^4:[0-9a-f]{64}$/);
      // The older copy is put back: its own chain and signed checkpoint are intact.
      writeFileSync(db, older);
      expect((await kycdIn(other, 'audit', 'verify')).code).toBe(0);
      const rolledBack = await kycdIn(
        other,
        'audit',
        'verify',
        '--witness',
        head.stdout.trim(),
        '--json',
      );
      expect(rolledBack.code).toBe(1);
      expect(JSON.parse(rolledBack.stdout)).toMatchObject({
        ok: false,
        code: 'registration_audit_chain_broken',
        firstBad: { seq: 4, reason: expect.stringMatching(/rolled back/) },
      });
      const malformed = await kycdIn(other, 'audit', 'verify', '--witness', '4:not-a-hash');
      expect(malformed.code).not.toBe(0);
      expect(malformed.stderr).toMatch(/a witness is SEQ:HASH/);
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });

  it('kycd start refuses a corrupted database with a clear error and leaves the file alone', async () => {
    const corruptDir = mkdtempSync(join(tmpdir(), 'kycd-corrupt-'));
    try {
      const file = join(corruptDir, 'kycd.sqlite');
      writeFileSync(file, Buffer.from('not a database; '.repeat(512)));
      const before = readFileSync(file);
      const started = await kycdIn(corruptDir, 'start', '--sim', '--port', '0');
      expect(started.code).toBe(1);
      expect(started.stderr).toMatch(
        /is not a SQLite database.*will not reset it.*\[registration_store_corrupt\]/s,
      );
      expect(readFileSync(file).equals(before)).toBe(true);
    } finally {
      rmSync(corruptDir, { recursive: true, force: true });
    }
  });
});
