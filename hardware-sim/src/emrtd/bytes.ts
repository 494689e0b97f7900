/** Byte helpers shared by the virtual eMRTD: hex literals, concatenation, equality. */

/** Parses a hex string (whitespace allowed) into bytes; throws RangeError on odd length or bad digits. */
export function hex(text: string): Uint8Array {
  const clean = text.replace(/\s+/g, '');
  if (clean.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(clean)) {
    throw new RangeError(`not a hex string: ${text.slice(0, 40)}`);
  }
  return Uint8Array.from(Buffer.from(clean, 'hex'));
}

/** Upper-case hex of `bytes`, no separators. */
export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex').toUpperCase();
}

/** Concatenates byte arrays into a fresh Uint8Array. */
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

/** Constant-time-ish equality of two byte arrays. */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= (a[i] ?? 0) ^ (b[i] ?? 0);
  return diff === 0;
}

/** Big-endian unsigned integer of `bytes`. */
export function bytesToBigInt(bytes: Uint8Array): bigint {
  return bytes.length === 0 ? 0n : BigInt(`0x${toHex(bytes)}`);
}

/** Big-endian fixed-length encoding of a non-negative bigint. */
export function bigIntToBytes(value: bigint, length: number): Uint8Array {
  const text = value.toString(16).padStart(length * 2, '0');
  if (text.length > length * 2) throw new RangeError(`value does not fit in ${length} bytes`);
  return hex(text);
}

/** Two-byte big-endian status word as bytes. */
export function swBytes(sw: number): Uint8Array {
  return Uint8Array.of((sw >> 8) & 0xff, sw & 0xff);
}
