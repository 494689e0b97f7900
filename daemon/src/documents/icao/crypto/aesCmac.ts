import { aesEcb } from './blockCiphers.js';

function shiftLeft(block: Uint8Array): Uint8Array {
  const out = new Uint8Array(16);
  let carry = 0;
  for (let i = 15; i >= 0; i--) {
    const b = block[i] as number;
    out[i] = ((b << 1) & 0xff) | carry;
    carry = b >> 7;
  }
  return out;
}

function subkey(block: Uint8Array): Uint8Array {
  const msbSet = ((block[0] as number) & 0x80) !== 0;
  const out = shiftLeft(block);
  if (msbSet) out[15] = (out[15] as number) ^ 0x87;
  return out;
}

/** AES-CMAC (NIST SP 800-38B / RFC 4493) with a 128-, 192- or 256-bit key; the full 16-byte tag. */
export function aesCmac(key: Uint8Array, message: Uint8Array): Uint8Array {
  const l = aesEcb(key, new Uint8Array(16), true);
  const k1 = subkey(l);
  const k2 = subkey(k1);
  const n = Math.max(1, Math.ceil(message.length / 16));
  const complete = message.length > 0 && message.length % 16 === 0;
  const last = new Uint8Array(16);
  const tail = message.subarray((n - 1) * 16);
  last.set(tail);
  if (!complete) last[tail.length] = 0x80;
  const k = complete ? k1 : k2;
  for (let i = 0; i < 16; i++) last[i] = (last[i] as number) ^ (k[i] as number);
  let x: Uint8Array = new Uint8Array(16);
  for (let b = 0; b < n - 1; b++) {
    const y = new Uint8Array(16);
    for (let i = 0; i < 16; i++) y[i] = (x[i] as number) ^ (message[b * 16 + i] as number);
    x = aesEcb(key, y, true);
  }
  for (let i = 0; i < 16; i++) last[i] = (last[i] as number) ^ (x[i] as number);
  return aesEcb(key, last, true);
}
