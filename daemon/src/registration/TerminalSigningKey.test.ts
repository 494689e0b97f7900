import { chmodSync, mkdtempSync, rmSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StoreError } from '../store/StoreError.js';
import { TERMINAL_KEY_FILE, TerminalSigningKey, verifyEd25519 } from './TerminalSigningKey.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kycd-key-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('TerminalSigningKey', () => {
  it('is generated at first start with mode 0600 and the same key is loaded afterwards', () => {
    const key = TerminalSigningKey.loadOrCreate(dir);
    expect(statSync(join(dir, TERMINAL_KEY_FILE)).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'keys')).mode & 0o777).toBe(0o700);
    expect(key.publicKeyRaw).toHaveLength(32);
    expect(key.keyId).toMatch(/^[0-9a-f]{32}$/);
    const again = TerminalSigningKey.loadOrCreate(dir);
    expect(again.keyId).toBe(key.keyId);
    expect(again.publicKeyPem).toContain('BEGIN PUBLIC KEY');
  });

  it('signs so that the public key verifies, and rejects tampered messages and signatures', () => {
    const key = TerminalSigningKey.loadOrCreate(dir);
    const sig = key.sign('{"a":1}');
    expect(key.verify('{"a":1}', sig)).toBe(true);
    expect(key.verify('{"a":2}', sig)).toBe(false);
    expect(verifyEd25519(key.publicKey, '{"a":1}', sig.slice(0, -2) + 'AA')).toBe(false);
    expect(verifyEd25519(key.publicKey, '{"a":1}', 'not base64 at all!')).toBe(false);
  });

  it('refuses a key file readable by others, or one that is not an Ed25519 PEM key', () => {
    TerminalSigningKey.loadOrCreate(dir);
    chmodSync(join(dir, TERMINAL_KEY_FILE), 0o644);
    expect(() => TerminalSigningKey.loadOrCreate(dir)).toThrow(/mode 644/);
    const other = join(dir, 'other');
    mkdirSync(join(other, 'keys'), { recursive: true });
    writeFileSync(join(other, TERMINAL_KEY_FILE), 'garbage', { mode: 0o600 });
    try {
      TerminalSigningKey.loadOrCreate(other);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(StoreError);
      expect((err as StoreError).code).toBe('registration_key_invalid');
    }
  });
});
