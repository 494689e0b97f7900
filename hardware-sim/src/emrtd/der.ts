import { concat } from './bytes.js';
import { tlv } from './Tlv.js';

/** Minimal DER builders for the LDS structures the card generates (SecurityInfos, LDSSecurityObject, CMS). */

/** DER OBJECT IDENTIFIER from dotted text. */
export function derOid(dotted: string): Uint8Array {
  const arcs = dotted.split('.').map((a) => BigInt(a));
  if (arcs.length < 2) throw new RangeError(`bad OID ${dotted}`);
  const out: number[] = [];
  const first = (arcs[0] ?? 0n) * 40n + (arcs[1] ?? 0n);
  for (const arc of [first, ...arcs.slice(2)]) {
    const chunk: number[] = [Number(arc & 0x7fn)];
    let rest = arc >> 7n;
    while (rest > 0n) {
      chunk.unshift(Number(rest & 0x7fn) | 0x80);
      rest >>= 7n;
    }
    out.push(...chunk);
  }
  return tlv(0x06, Uint8Array.from(out));
}

/** DER INTEGER from a small non-negative number or from unsigned big-endian bytes. */
export function derInt(value: number | Uint8Array): Uint8Array {
  let bytes: Uint8Array;
  if (typeof value === 'number') {
    const hexText = value.toString(16);
    bytes = Uint8Array.from(Buffer.from(hexText.length % 2 ? `0${hexText}` : hexText, 'hex'));
  } else {
    let start = 0;
    while (start < value.length - 1 && value[start] === 0) start++;
    bytes = value.subarray(start);
  }
  if (((bytes[0] ?? 0) & 0x80) !== 0) bytes = concat(Uint8Array.of(0), bytes);
  return tlv(0x02, bytes);
}

/** DER SEQUENCE. */
export const derSeq = (...items: readonly Uint8Array[]): Uint8Array => tlv(0x30, ...items);
/** DER SET (items are sorted into DER order). */
export const derSet = (...items: readonly Uint8Array[]): Uint8Array =>
  tlv(0x31, ...[...items].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b))));
/** DER OCTET STRING. */
export const derOctets = (value: Uint8Array): Uint8Array => tlv(0x04, value);
/** DER BIT STRING with no unused bits. */
export const derBits = (value: Uint8Array): Uint8Array => tlv(0x03, Uint8Array.of(0), value);
/** DER NULL. */
export const derNull = (): Uint8Array => Uint8Array.of(0x05, 0x00);
/** DER UTCTime (YYMMDDHHMMSSZ). */
export function derUtcTime(date: Date): Uint8Array {
  const iso = date.toISOString();
  const text = `${iso.slice(2, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z`;
  return tlv(0x17, new TextEncoder().encode(text));
}
