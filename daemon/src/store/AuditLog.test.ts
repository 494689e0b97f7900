import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { canonicalJson } from '../registration/canonicalJson.js';
import { TERMINAL_KEY_FILE } from '../registration/TerminalSigningKey.js';
import { AUDIT_GENESIS_HASH, parseAuditWitness } from './AuditLog.js';
import { openStore } from './openStore.js';
import type { Store } from './Store.js';

let dir: string;
let store: Store;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kycd-audit-'));
  store = openStore({ dataDir: dir });
  store.transaction('seed', () => {
    for (let i = 0; i < 5; i++)
      store.audit.append({ kind: 'test.event', actor: 'cli', sessionId: `s-${i}`, data: { i } });
  });
});
afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('AuditLog', () => {
  it('chains each row to the previous one and verifies', () => {
    const rows = store.audit.list();
    expect(rows[0]?.prevHash).toBe(AUDIT_GENESIS_HASH);
    for (let i = 1; i < rows.length; i++) expect(rows[i]?.prevHash).toBe(rows[i - 1]?.hash);
    expect(store.audit.verify()).toMatchObject({ ok: true, rows: 5, headHash: rows[4]?.hash });
  });

  it('detects an edited row', () => {
    store.db.prepare(`UPDATE audit_events SET data_json = '{"i":42}' WHERE seq = 3`).run();
    expect(store.audit.verify()).toMatchObject({
      ok: false,
      firstBad: { seq: 3, reason: expect.stringContaining('edited') },
    });
  });

  it('detects a deleted row', () => {
    store.db.prepare('DELETE FROM audit_events WHERE seq = 2').run();
    expect(store.audit.verify()).toMatchObject({ ok: false, firstBad: { seq: 3 } });
  });

  it('detects a row whose hash was recomputed after an edit (the next link breaks)', () => {
    const row = store.audit.list()[1]!;
    store.db
      .prepare(`UPDATE audit_events SET kind = 'forged', hash = ? WHERE seq = 2`)
      .run('f'.repeat(64));
    expect(store.audit.verify()).toMatchObject({ ok: false, firstBad: { seq: 2 } });
    expect(row.seq).toBe(2);
  });

  it('signs the head on every append and verifies against it', () => {
    const cp = store.audit.checkpoint();
    expect(cp).toMatchObject({ seq: 5, hash: store.audit.list()[4]?.hash });
    expect(store.audit.verify()).toMatchObject({ ok: true, checkpoint: { seq: 5 } });
    store.audit.append({ kind: 'test.event', data: { i: 5 } });
    expect(store.audit.checkpoint()?.seq).toBe(6);
    expect(store.audit.verify().ok).toBe(true);
  });

  it('detects a chain recomputed from an edited row to the end', () => {
    // Someone with the database but not the key edits row 3 and rehashes every row after it:
    // every link checks out, only the signed head does not.
    store.db.prepare(`UPDATE audit_events SET data_json = '{"i":42}' WHERE seq = 3`).run();
    rehashFrom(3);
    const result = store.audit.verify();
    expect(result).toMatchObject({
      ok: false,
      firstBad: { seq: 5, reason: expect.stringContaining('recomputed') },
    });
  });

  it('detects rows removed from the end (truncation)', () => {
    store.db.prepare('DELETE FROM audit_events WHERE seq >= 4').run();
    expect(store.audit.verify()).toMatchObject({
      ok: false,
      firstBad: { seq: 5, reason: expect.stringContaining('removed from the end') },
    });
  });

  it('detects a deleted, forged or re-dated checkpoint, and rows appended behind its back', () => {
    const cp = store.audit.checkpoint()!;
    store.db.prepare(`UPDATE audit_checkpoint SET at = at + 1`).run();
    expect(store.audit.verify().firstBad?.reason).toMatch(/signature does not verify/);
    store.db.prepare(`UPDATE audit_checkpoint SET at = ?`).run(cp.at);
    expect(store.audit.verify().ok).toBe(true);
    // A row inserted with a correct link but without the key to sign the new head.
    const last = store.audit.list()[4]!;
    const fields = {
      seq: 6,
      at: 1,
      kind: 'forged',
      actor: null,
      sessionId: null,
      data: {},
      prevHash: last.hash,
    };
    store.db
      .prepare(
        'INSERT INTO audit_events (seq, at, kind, actor, session_id, data_json, prev_hash, hash) VALUES (6, 1, ?, NULL, NULL, ?, ?, ?)',
      )
      .run('forged', '{}', last.hash, sha(fields));
    expect(store.audit.verify().firstBad?.reason).toMatch(/added without the terminal key/);
    store.db.prepare('DELETE FROM audit_checkpoint').run();
    expect(store.audit.verify().firstBad?.reason).toMatch(
      /checkpoint of the chain head is missing/,
    );
  });

  it('catches, through a head witnessed elsewhere, a rollback or rewrite re-signed with the key beside the database', () => {
    const witness = store.audit.head()!;
    expect(witness).toEqual({ seq: 5, hash: store.audit.list()[4]?.hash });
    const early = { seq: 2, hash: store.audit.list()[1]!.hash };
    // Rolled back to an older state and re-signed: the checkpoint alone is satisfied.
    store.db.prepare('DELETE FROM audit_events WHERE seq >= 4').run();
    store.audit.anchor();
    expect(store.audit.verify().ok).toBe(true);
    expect(store.audit.verify({ witnesses: [early, witness] })).toMatchObject({
      ok: false,
      firstBad: { seq: 5, reason: expect.stringContaining('rolled back') },
    });
    // Rewritten from row 3 on, rehashed and re-signed, then grown back past the witness.
    store.db.prepare(`UPDATE audit_events SET data_json = '{"i":42}' WHERE seq = 3`).run();
    rehashFrom(3);
    store.audit.anchor();
    for (let i = 0; i < 3; i++) store.audit.append({ kind: 'test.event', data: { i } });
    expect(store.audit.verify().ok).toBe(true);
    expect(store.audit.verify({ witnesses: [early] }).ok).toBe(true); // before the rewrite
    expect(store.audit.verify({ witnesses: [witness, early] })).toMatchObject({
      ok: false,
      firstBad: { seq: 5, reason: expect.stringContaining('rewritten') },
    });
  });

  it('parses a witness as `kycd audit head` prints it, and nothing else', () => {
    const hash = 'ab'.repeat(32);
    expect(parseAuditWitness(`12:${hash}`)).toEqual({ seq: 12, hash });
    expect(parseAuditWitness(` 12:${hash.toUpperCase()}\n`)).toEqual({ seq: 12, hash });
    for (const bad of [
      '',
      '12',
      `0:${hash}`,
      `-1:${hash}`,
      `12:${hash}0`,
      `1e3:${hash}`,
      `12:${'g'.repeat(64)}`,
      `99999999999999999:${hash}`,
    ])
      expect(parseAuditWitness(bad)).toBeUndefined();
  });

  it('never mints a terminal key to check a checkpoint: a missing key is reported and none is created', () => {
    store.close();
    rmSync(join(dir, TERMINAL_KEY_FILE));
    store = openStore({ dataDir: dir });
    expect(store.audit.verify()).toMatchObject({
      ok: false,
      firstBad: { seq: 5, reason: expect.stringContaining('missing from the data directory') },
    });
    expect(existsSync(join(dir, TERMINAL_KEY_FILE))).toBe(false);
  });

  it('anchors a trail written before checkpoints existed when the store is upgraded', () => {
    // Back to schema 1.
    store.db.exec(
      'DROP TABLE audit_checkpoint; ALTER TABLE sessions DROP COLUMN milestones_json; ALTER TABLE sessions DROP COLUMN liveness_evidence_json',
    );
    store.db.prepare('DELETE FROM schema_migrations WHERE version >= 2').run();
    store.close();
    store = openStore({ dataDir: dir });
    expect(store.audit.checkpoint()?.seq).toBe(5);
    expect(store.audit.verify().ok).toBe(true);
  });
});

function sha(fields: Record<string, unknown>): string {
  return createHash('sha256').update(canonicalJson(fields), 'utf8').digest('hex');
}

/** Recompute hash and link of every row from `seq` on, as an attacker without the key would. */
function rehashFrom(seq: number): void {
  const rows = store.db.prepare('SELECT * FROM audit_events ORDER BY seq').all() as {
    seq: number;
    at: number;
    kind: string;
    actor: string | null;
    session_id: string | null;
    data_json: string;
    prev_hash: string;
    hash: string;
  }[];
  let prev = AUDIT_GENESIS_HASH;
  for (const r of rows) {
    if (r.seq >= seq) {
      const hash = sha({
        seq: r.seq,
        at: r.at,
        kind: r.kind,
        actor: r.actor,
        sessionId: r.session_id,
        data: JSON.parse(r.data_json) as unknown,
        prevHash: prev,
      });
      store.db
        .prepare('UPDATE audit_events SET prev_hash = ?, hash = ? WHERE seq = ?')
        .run(prev, hash, r.seq);
      prev = hash;
    } else prev = r.hash;
  }
}
