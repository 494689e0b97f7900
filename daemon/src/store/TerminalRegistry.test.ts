import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore } from './openStore.js';
import type { Store } from './Store.js';

let dir: string;
let store: Store;
let clock = 1_700_000_000_000;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kycd-terminals-'));
  store = openStore({ dataDir: dir, now: () => clock });
});
afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('TerminalRegistry', () => {
  it('pairs a terminal, shows the token once and stores only its SHA-256', () => {
    const paired = store.terminals.pair('till-1');
    expect(paired.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(paired.name).toBe('till-1');
    const raw = store.db.prepare('SELECT * FROM terminals').all() as Record<string, unknown>[];
    expect(JSON.stringify(raw)).not.toContain(paired.token);
    expect((raw[0]!.token_hash as Buffer).length).toBe(32);
    expect(store.terminals.list()).toEqual([
      { id: paired.terminalId, name: 'till-1', createdAt: new Date(clock).toISOString() },
    ]);
  });

  it('authenticates the right terminal and records when it was seen', () => {
    const a = store.terminals.pair('till-a');
    const b = store.terminals.pair('till-b');
    clock += 5000;
    expect(store.terminals.authenticate(b.token)?.id).toBe(b.terminalId);
    expect(store.terminals.authenticate(a.token)?.lastSeenAt).toBe(new Date(clock).toISOString());
    expect(store.terminals.authenticate(a.token + 'x')).toBeUndefined();
    expect(store.terminals.authenticate('')).toBeUndefined();
    expect(store.terminals.authenticate('x'.repeat(100_000))).toBeUndefined();
  });

  it('revokes by id or by name; a revoked token stops working; the name can be paired again', () => {
    const a = store.terminals.pair('till-a');
    const b = store.terminals.pair('till-b');
    expect(() => store.terminals.pair('till-a')).toThrow(RangeError);
    expect(store.terminals.revoke('till-a')).toBe(true);
    expect(store.terminals.revoke(b.terminalId)).toBe(true);
    expect(store.terminals.revoke('till-a')).toBe(false);
    expect(store.terminals.revoke('nobody')).toBe(false);
    expect(store.terminals.authenticate(a.token)).toBeUndefined();
    expect(store.terminals.authenticate(b.token)).toBeUndefined();
    const again = store.terminals.pair('till-a');
    expect(store.terminals.authenticate(again.token)?.id).toBe(again.terminalId);
    expect(store.terminals.list().filter((t) => t.revokedAt !== undefined)).toHaveLength(2);
  });

  it('refuses empty, over-long and control-character names', () => {
    expect(() => store.terminals.pair('  ')).toThrow(TypeError);
    expect(() => store.terminals.pair('x'.repeat(65))).toThrow(TypeError);
    expect(() => store.terminals.pair('a\u0000b')).toThrow(TypeError);
  });

  it('never authenticates an arbitrary string (fuzz)', () => {
    store.terminals.pair('till-1');
    fc.assert(
      fc.property(
        fc.string({ maxLength: 300 }),
        (s) => store.terminals.authenticate(s) === undefined,
      ),
      { numRuns: 300 },
    );
  });
});
