import { createHash } from 'node:crypto';

/** Symmetric ciphers of ICAO 9303 secure messaging. */
export type SmCipherName = '3DES' | 'AES-128' | 'AES-192' | 'AES-256';

/** KDF counters of 9303-11 §9.7.1: 1 = encryption, 2 = MAC, 3 = PACE password key. */
export const KDF_COUNTER = { enc: 1, mac: 2, pace: 3 } as const;

/** Set the odd-parity bit of every DES key byte. */
export function adjustDesParity(key: Uint8Array): Uint8Array {
  const out = new Uint8Array(key);
  for (let i = 0; i < out.length; i++) {
    const b = (out[i] as number) & 0xfe;
    let ones = 0;
    for (let v = b; v !== 0; v >>= 1) ones += v & 1;
    out[i] = b | (ones % 2 === 0 ? 1 : 0);
  }
  return out;
}

/**
 * The key derivation function of ICAO 9303-11 §9.7.1: `KDF(K, c) = H(K ‖ c)` truncated, with
 * SHA-1 for 3DES and AES-128 and SHA-256 for AES-192/256; 3DES keys get DES parity adjusted.
 */
export function kdf(sharedSecret: Uint8Array, counter: number, cipher: SmCipherName): Uint8Array {
  const c = Uint8Array.of(
    (counter >>> 24) & 0xff,
    (counter >>> 16) & 0xff,
    (counter >>> 8) & 0xff,
    counter & 0xff,
  );
  const hashName = cipher === 'AES-192' || cipher === 'AES-256' ? 'sha256' : 'sha1';
  const digest = new Uint8Array(createHash(hashName).update(sharedSecret).update(c).digest());
  switch (cipher) {
    case '3DES':
      return adjustDesParity(digest.subarray(0, 16));
    case 'AES-128':
      return digest.slice(0, 16);
    case 'AES-192':
      return digest.slice(0, 24);
    case 'AES-256':
      return digest.slice(0, 32);
  }
}
