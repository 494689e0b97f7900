import { tdesEcb, tdesCbc } from './blockCiphers.js';

/**
 * ISO/IEC 9797-1 MAC algorithm 3 ("retail MAC") with DES, as ICAO 9303 uses for BAC and 3DES
 * secure messaging. `data` must already be padded to 8-byte blocks (method 2); the key is
 * K1‖K2 (16 bytes). Single-DES CBC with K1 over all blocks but the last, then 3DES (K1,K2,K1) on
 * the last block.
 */
export function retailMac(key: Uint8Array, data: Uint8Array): Uint8Array {
  if (key.length !== 16) throw new RangeError(`retail MAC key must be 16 bytes, got ${key.length}`);
  if (data.length === 0 || data.length % 8 !== 0)
    throw new RangeError(`retail MAC input must be whole 8-byte blocks, got ${data.length}`);
  const k1 = key.subarray(0, 8);
  const head = data.subarray(0, data.length - 8);
  const chain =
    head.length === 0
      ? new Uint8Array(8)
      : tdesCbc(k1, new Uint8Array(8), head, true).subarray(head.length - 8);
  const last = new Uint8Array(8);
  for (let i = 0; i < 8; i++) last[i] = (chain[i] as number) ^ (data[head.length + i] as number);
  return tdesEcb(key, last, true);
}
