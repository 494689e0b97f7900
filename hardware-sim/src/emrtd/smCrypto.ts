import { createCipheriv, createDecipheriv, createHash } from 'node:crypto';
import { concat } from './bytes.js';

/**
 * The card side's cryptographic primitives for ICAO 9303-11 (BAC, PACE, CA, secure messaging),
 * written from the specification: ISO/IEC 9797-1 padding method 2, the retail MAC (algorithm 3),
 * AES-CMAC (NIST SP 800-38B) and the key derivation function of 9303-11 §9.7.1.
 *
 * OpenSSL 3 has no single DES, so the retail MAC's single-DES steps run as 3DES with K‖K‖K.
 */

/** Secure-messaging cipher family. */
export type SmAlgorithm = '3DES' | 'AES';

/** ISO/IEC 9797-1 padding method 2: append 0x80 then zeros up to a multiple of `blockSize`. */
export function pad(data: Uint8Array, blockSize: number): Uint8Array {
  const padded = new Uint8Array((Math.floor(data.length / blockSize) + 1) * blockSize);
  padded.set(data);
  padded[data.length] = 0x80;
  return padded;
}

/** Removes ISO/IEC 9797-1 method 2 padding; returns undefined when the padding is malformed. */
export function unpad(data: Uint8Array): Uint8Array | undefined {
  let i = data.length - 1;
  while (i >= 0 && data[i] === 0x00) i--;
  if (i < 0 || data[i] !== 0x80) return undefined;
  return data.subarray(0, i);
}

function tdesKey(key: Uint8Array): Buffer {
  if (key.length === 16) return Buffer.concat([key, key.subarray(0, 8)]);
  if (key.length === 24) return Buffer.from(key);
  throw new RangeError(`3DES key must be 16 or 24 bytes, got ${key.length}`);
}

function aesName(key: Uint8Array, mode: 'cbc' | 'ecb'): string {
  if (key.length !== 16 && key.length !== 24 && key.length !== 32) {
    throw new RangeError(`AES key must be 16, 24 or 32 bytes, got ${key.length}`);
  }
  return `aes-${key.length * 8}-${mode}`;
}

/** 3DES (two-key EDE) CBC encryption without padding. */
export function tdesEncrypt(
  key: Uint8Array,
  data: Uint8Array,
  iv: Uint8Array = new Uint8Array(8),
): Uint8Array {
  const c = createCipheriv('des-ede3-cbc', tdesKey(key), iv).setAutoPadding(false);
  return concat(c.update(data), c.final());
}

/** 3DES (two-key EDE) CBC decryption without padding. */
export function tdesDecrypt(
  key: Uint8Array,
  data: Uint8Array,
  iv: Uint8Array = new Uint8Array(8),
): Uint8Array {
  const d = createDecipheriv('des-ede3-cbc', tdesKey(key), iv).setAutoPadding(false);
  return concat(d.update(data), d.final());
}

/** AES CBC encryption without padding. */
export function aesEncrypt(
  key: Uint8Array,
  data: Uint8Array,
  iv: Uint8Array = new Uint8Array(16),
): Uint8Array {
  const c = createCipheriv(aesName(key, 'cbc'), key, iv).setAutoPadding(false);
  return concat(c.update(data), c.final());
}

/** AES CBC decryption without padding. */
export function aesDecrypt(
  key: Uint8Array,
  data: Uint8Array,
  iv: Uint8Array = new Uint8Array(16),
): Uint8Array {
  const d = createDecipheriv(aesName(key, 'cbc'), key, iv).setAutoPadding(false);
  return concat(d.update(data), d.final());
}

/** One AES block encryption (ECB). */
export function aesEcb(key: Uint8Array, block: Uint8Array): Uint8Array {
  const c = createCipheriv(aesName(key, 'ecb'), key, null).setAutoPadding(false);
  return concat(c.update(block), c.final());
}

/**
 * ISO/IEC 9797-1 MAC algorithm 3 (retail MAC) with DES, over data that is already padded.
 * Single DES CBC with K1, then the last block decrypted with K2 and encrypted with K1.
 */
export function retailMac(key: Uint8Array, paddedData: Uint8Array): Uint8Array {
  if (key.length !== 16) throw new RangeError('retail MAC key must be 16 bytes');
  if (paddedData.length % 8 !== 0)
    throw new RangeError('retail MAC input must be padded to 8 bytes');
  const k1 = key.subarray(0, 8);
  const k2 = key.subarray(8, 16);
  const k1x3 = Buffer.concat([k1, k1, k1]);
  const k2x3 = Buffer.concat([k2, k2, k2]);
  const c = createCipheriv('des-ede3-cbc', k1x3, new Uint8Array(8)).setAutoPadding(false);
  const chained = concat(c.update(paddedData), c.final());
  const last = chained.subarray(chained.length - 8);
  const d = createDecipheriv('des-ede3-ecb', k2x3, null).setAutoPadding(false);
  const step2 = concat(d.update(last), d.final());
  const e = createCipheriv('des-ede3-ecb', k1x3, null).setAutoPadding(false);
  return concat(e.update(step2), e.final());
}

function shiftLeft(block: Uint8Array): Uint8Array {
  const out = new Uint8Array(block.length);
  let carry = 0;
  for (let i = block.length - 1; i >= 0; i--) {
    const b = block[i] ?? 0;
    out[i] = ((b << 1) & 0xff) | carry;
    carry = b >> 7;
  }
  return out;
}

/** AES-CMAC (NIST SP 800-38B), full 16-byte tag. */
export function aesCmac(key: Uint8Array, message: Uint8Array): Uint8Array {
  const l = aesEcb(key, new Uint8Array(16));
  const k1 = shiftLeft(l);
  if (((l[0] ?? 0) & 0x80) !== 0) k1[15] = (k1[15] ?? 0) ^ 0x87;
  const k2 = shiftLeft(k1);
  if (((k1[0] ?? 0) & 0x80) !== 0) k2[15] = (k2[15] ?? 0) ^ 0x87;
  const blocks = Math.max(1, Math.ceil(message.length / 16));
  const complete = message.length > 0 && message.length % 16 === 0;
  const lastBlock = new Uint8Array(16);
  const lastStart = (blocks - 1) * 16;
  if (complete) {
    lastBlock.set(message.subarray(lastStart));
    for (let i = 0; i < 16; i++) lastBlock[i] = (lastBlock[i] ?? 0) ^ (k1[i] ?? 0);
  } else {
    const rest = message.subarray(lastStart);
    lastBlock.set(rest);
    lastBlock[rest.length] = 0x80;
    for (let i = 0; i < 16; i++) lastBlock[i] = (lastBlock[i] ?? 0) ^ (k2[i] ?? 0);
  }
  let x: Uint8Array = new Uint8Array(16);
  for (let b = 0; b < blocks - 1; b++) {
    const y = new Uint8Array(16);
    for (let i = 0; i < 16; i++) y[i] = (x[i] ?? 0) ^ (message[b * 16 + i] ?? 0);
    x = aesEcb(key, y);
  }
  const y = new Uint8Array(16);
  for (let i = 0; i < 16; i++) y[i] = (x[i] ?? 0) ^ (lastBlock[i] ?? 0);
  return aesEcb(key, y);
}

/** Adjusts each byte of a DES key to odd parity (as the 9303-11 KDF requires for 3DES keys). */
export function adjustParity(key: Uint8Array): Uint8Array {
  const out = new Uint8Array(key.length);
  key.forEach((b, i) => {
    let ones = 0;
    for (let bit = 1; bit < 0x100; bit <<= 1) if ((b & bit) !== 0 && bit !== 1) ones++;
    out[i] = (b & 0xfe) | (ones % 2 === 0 ? 1 : 0);
  });
  return out;
}

/** Key purpose counters of the 9303-11 KDF. */
export const KDF_COUNTER = { enc: 1, mac: 2, pace: 3 } as const;

/**
 * ICAO 9303-11 §9.7.1 KDF: keyData = H(sharedSecret ‖ counter(4 bytes BE)). 3DES and AES-128 use
 * SHA-1 (first 16 bytes; 3DES keys get odd parity), AES-192/256 use SHA-256.
 */
export function kdf(
  sharedSecret: Uint8Array,
  counter: number,
  algorithm: SmAlgorithm,
  keyLength = 16,
): Uint8Array {
  const c = Uint8Array.of(
    (counter >>> 24) & 0xff,
    (counter >>> 16) & 0xff,
    (counter >>> 8) & 0xff,
    counter & 0xff,
  );
  const hashName = algorithm === 'AES' && keyLength > 16 ? 'sha256' : 'sha1';
  const digest = createHash(hashName).update(sharedSecret).update(c).digest();
  const key = Uint8Array.from(digest.subarray(0, keyLength));
  return algorithm === '3DES' ? adjustParity(key) : key;
}

/**
 * The secure-messaging MAC (8 bytes) over already-padded input: retail MAC for 3DES, AES-CMAC
 * truncated to 8 bytes for AES.
 */
export function smMac(
  algorithm: SmAlgorithm,
  ksMac: Uint8Array,
  paddedInput: Uint8Array,
): Uint8Array {
  return algorithm === '3DES'
    ? retailMac(ksMac, paddedInput)
    : aesCmac(ksMac, paddedInput).subarray(0, 8);
}
