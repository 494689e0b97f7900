import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AUDIT_GENESIS_HASH } from './AuditLog.js';
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
    expect(store.audit.verify()).toEqual({ ok: true, rows: 5, headHash: rows[4]?.hash });
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
});
