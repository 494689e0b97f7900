import { concat } from './bytes.js';

/** One BER-TLV data object as the card sees it: tag number (1–3 bytes, as an integer) and value. */
export interface TlvObject {
  readonly tag: number;
  readonly value: Uint8Array;
}

/** Thrown when bytes from the host are not well-formed BER-TLV; the card answers 6A80 or 6988. */
export class TlvParseError extends Error {
  override readonly name = 'TlvParseError';
}

/** Encodes a BER length (definite form). */
export function encodeLength(length: number): Uint8Array {
  if (length < 0 || !Number.isInteger(length)) throw new RangeError(`bad TLV length ${length}`);
  if (length < 0x80) return Uint8Array.of(length);
  if (length <= 0xff) return Uint8Array.of(0x81, length);
  if (length <= 0xffff) return Uint8Array.of(0x82, length >> 8, length & 0xff);
  if (length <= 0xffffff)
    return Uint8Array.of(0x83, length >> 16, (length >> 8) & 0xff, length & 0xff);
  throw new RangeError(`TLV length ${length} too large`);
}

/** Encodes a tag number (as written, e.g. 0x7F49 or 0x5F1F) to its bytes. */
export function encodeTag(tag: number): Uint8Array {
  if (tag <= 0xff) return Uint8Array.of(tag);
  if (tag <= 0xffff) return Uint8Array.of(tag >> 8, tag & 0xff);
  return Uint8Array.of(tag >> 16, (tag >> 8) & 0xff, tag & 0xff);
}

/** Builds one TLV: tag, definite length, then the concatenated value parts. */
export function tlv(tag: number, ...value: readonly Uint8Array[]): Uint8Array {
  const body = concat(...value);
  return concat(encodeTag(tag), encodeLength(body.length), body);
}

/**
 * Parses a sequence of BER-TLV objects from untrusted bytes. Bounds-checked: a truncated tag,
 * length or value, an indefinite length or a length over 3 bytes throws {@link TlvParseError}.
 */
export function parseTlvs(bytes: Uint8Array): TlvObject[] {
  const out: TlvObject[] = [];
  let i = 0;
  while (i < bytes.length) {
    const first = bytes[i++];
    if (first === undefined) break;
    let tag = first;
    if ((first & 0x1f) === 0x1f) {
      let next: number | undefined;
      let count = 0;
      do {
        next = bytes[i++];
        if (next === undefined) throw new TlvParseError('truncated tag');
        tag = (tag << 8) | next;
        if (++count > 2) throw new TlvParseError('tag longer than 3 bytes');
      } while ((next & 0x80) !== 0);
    }
    const lenByte = bytes[i++];
    if (lenByte === undefined) throw new TlvParseError('missing length');
    let length = lenByte;
    if (lenByte === 0x80) throw new TlvParseError('indefinite length not allowed');
    if (lenByte > 0x80) {
      const n = lenByte & 0x7f;
      if (n > 3) throw new TlvParseError('length field longer than 3 bytes');
      length = 0;
      for (let k = 0; k < n; k++) {
        const b = bytes[i++];
        if (b === undefined) throw new TlvParseError('truncated length');
        length = length * 256 + b;
      }
    }
    if (i + length > bytes.length)
      throw new TlvParseError(`value of tag ${tag.toString(16)} overruns the data`);
    out.push({ tag, value: bytes.subarray(i, i + length) });
    i += length;
  }
  return out;
}

/** Finds the first object with `tag` in a parsed list. */
export function findTlv(objects: readonly TlvObject[], tag: number): Uint8Array | undefined {
  return objects.find((o) => o.tag === tag)?.value;
}
