import { createCipheriv, createDecipheriv } from 'node:crypto';

/**
 * Block-cipher primitives on node:crypto. OpenSSL 3 has no single DES in its default provider, so
 * single DES with K runs as 3DES with K‖K‖K, and two-key 3DES K1‖K2 as K1‖K2‖K1.
 */

function run(
  algorithm: string,
  key: Uint8Array,
  iv: Uint8Array | null,
  data: Uint8Array,
  encrypt: boolean,
): Uint8Array {
  const c = encrypt ? createCipheriv(algorithm, key, iv) : createDecipheriv(algorithm, key, iv);
  c.setAutoPadding(false);
  return new Uint8Array(Buffer.concat([c.update(data), c.final()]));
}

/** Expand an 8-, 16- or 24-byte DES key to the 24-byte 3DES key OpenSSL wants. */
export function tripleDesKey(key: Uint8Array): Uint8Array {
  if (key.length === 8) return new Uint8Array([...key, ...key, ...key]);
  if (key.length === 16) return new Uint8Array([...key, ...key.subarray(0, 8)]);
  if (key.length === 24) return key;
  throw new RangeError(`3DES key must be 8, 16 or 24 bytes, got ${key.length}`);
}

/** 3DES-CBC (two-key when 16 bytes) without padding. */
export function tdesCbc(
  key: Uint8Array,
  iv: Uint8Array,
  data: Uint8Array,
  encrypt: boolean,
): Uint8Array {
  return run('des-ede3-cbc', tripleDesKey(key), iv, data, encrypt);
}

/** 3DES-ECB of whole blocks. */
export function tdesEcb(key: Uint8Array, data: Uint8Array, encrypt: boolean): Uint8Array {
  return run('des-ede3', tripleDesKey(key), null, data, encrypt);
}

function aesName(key: Uint8Array, mode: 'cbc' | 'ecb'): string {
  if (key.length !== 16 && key.length !== 24 && key.length !== 32)
    throw new RangeError(`AES key must be 16, 24 or 32 bytes, got ${key.length}`);
  return `aes-${key.length * 8}-${mode}`;
}

/** AES-CBC without padding. */
export function aesCbc(
  key: Uint8Array,
  iv: Uint8Array,
  data: Uint8Array,
  encrypt: boolean,
): Uint8Array {
  return run(aesName(key, 'cbc'), key, iv, data, encrypt);
}

/** AES-ECB of whole blocks. */
export function aesEcb(key: Uint8Array, data: Uint8Array, encrypt: boolean): Uint8Array {
  return run(aesName(key, 'ecb'), key, null, data, encrypt);
}
