import { EmrtdError } from '../EmrtdError.js';

/** Decode the contents of a DER OBJECT IDENTIFIER to dotted form. Malformed input is `document_response_malformed`. */
export function decodeOid(value: Uint8Array): string {
  if (value.length === 0 || value.length > 64)
    throw new EmrtdError('document_response_malformed', `OID of ${value.length} bytes`);
  const arcs: number[] = [];
  let acc = 0;
  for (let i = 0; i < value.length; i++) {
    const b = value[i] as number;
    if (acc === 0 && b === 0x80)
      throw new EmrtdError('document_response_malformed', 'OID arc with a leading 0x80');
    acc = acc * 128 + (b & 0x7f);
    if (acc > Number.MAX_SAFE_INTEGER / 128)
      throw new EmrtdError('document_response_malformed', 'OID arc too large');
    if ((b & 0x80) === 0) {
      arcs.push(acc);
      acc = 0;
    } else if (i === value.length - 1) {
      throw new EmrtdError('document_response_malformed', 'truncated OID');
    }
  }
  const first = arcs[0] as number;
  const head = first < 40 ? [0, first] : first < 80 ? [1, first - 40] : [2, first - 80];
  return [...head, ...arcs.slice(1)].join('.');
}

/** Encode a dotted OID's contents (without tag and length). */
export function encodeOid(oid: string): Uint8Array {
  const arcs = oid.split('.').map((a) => Number(a));
  if (arcs.length < 2 || arcs.some((a) => !Number.isInteger(a) || a < 0))
    throw new TypeError(`bad OID ${oid}`);
  const out: number[] = [];
  const push = (n: number): void => {
    const bytes = [n & 0x7f];
    for (let v = Math.floor(n / 128); v > 0; v = Math.floor(v / 128))
      bytes.unshift((v & 0x7f) | 0x80);
    out.push(...bytes);
  };
  push((arcs[0] as number) * 40 + (arcs[1] as number));
  for (const a of arcs.slice(2)) push(a);
  return Uint8Array.from(out);
}

/** A DER INTEGER's contents as a non-negative number (small integers only). */
export function decodeSmallInteger(value: Uint8Array): number {
  if (value.length === 0 || value.length > 6)
    throw new EmrtdError('document_response_malformed', `INTEGER of ${value.length} bytes`);
  let v = 0;
  for (const b of value) v = v * 256 + b;
  return v;
}
