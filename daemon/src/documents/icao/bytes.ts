/** Small byte helpers shared by the eMRTD layers. */

/** Hex (spaces allowed) → bytes. Throws `TypeError` on odd length or non-hex characters. */
export function hex(text: string): Uint8Array {
  const clean = text.replace(/\s+/g, '');
  if (clean.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(clean))
    throw new TypeError(`not a hex string: ${text.slice(0, 40)}`);
  return Uint8Array.from(Buffer.from(clean, 'hex'));
}

/** Bytes → upper-case hex without spaces. */
export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
    .toString('hex')
    .toUpperCase();
}

/** Concatenate byte arrays. */
export function concat(...parts: readonly Uint8Array[]): Uint8Array {
  let length = 0;
  for (const p of parts) length += p.length;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

/** Constant-time equality of two byte arrays (false when lengths differ). */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= (a[i] as number) ^ (b[i] as number);
  return diff === 0;
}

/** Unsigned big-endian integer → `size` bytes. */
export function uintToBytes(value: number | bigint, size: number): Uint8Array {
  let v = BigInt(value);
  const out = new Uint8Array(size);
  for (let i = size - 1; i >= 0; i--) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return out;
}

/** Big-endian bytes → bigint. */
export function bytesToBigInt(bytes: Uint8Array): bigint {
  let v = 0n;
  for (const b of bytes) v = (v << 8n) | BigInt(b);
  return v;
}

/** Overwrite a buffer with zeros (best effort key hygiene). */
export function wipe(...buffers: readonly (Uint8Array | undefined)[]): void {
  for (const b of buffers) b?.fill(0);
}
