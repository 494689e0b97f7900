import { EmrtdError } from '../EmrtdError.js';

/** One BER-TLV data object. `value` is a view into the parsed bytes. */
export interface Tlv {
  /** The tag as a number, e.g. `0x5F1F`, `0x7F61`, `0x61`. */
  readonly tag: number;
  readonly constructed: boolean;
  readonly value: Uint8Array;
  /** Bytes taken by tag and length fields. */
  readonly headerLength: number;
  /** headerLength + value.length. */
  readonly totalLength: number;
}

/** Largest length we accept (16 MiB): nothing on a chip is larger, a bigger one is hostile. */
const MAX_LENGTH = 0x1000000;

/** `truncated`: the bytes end inside the object (its tag, length or value runs past the end). */
function malformed(message: string, offset: number, truncated = false): EmrtdError {
  return new EmrtdError('document_response_malformed', `BER-TLV: ${message} at offset ${offset}`, {
    data: truncated ? { offset, truncated } : { offset },
  });
}

/** Whether `err` is a BER-TLV failure because the bytes end inside an object (not because they are ill-formed). */
export function isTruncatedTlv(err: unknown): boolean {
  return (
    err instanceof EmrtdError &&
    err.code === 'document_response_malformed' &&
    err.data?.truncated === true
  );
}

/** Decode the tag field at `offset`; returns the tag and its size. */
export function decodeTag(
  bytes: Uint8Array,
  offset: number,
): { tag: number; size: number; constructed: boolean } {
  const first = bytes[offset];
  if (first === undefined) throw malformed('tag expected, end of data', offset);
  const constructed = (first & 0x20) !== 0;
  if ((first & 0x1f) !== 0x1f) return { tag: first, size: 1, constructed };
  let tag = first;
  let i = offset + 1;
  for (;;) {
    const b = bytes[i];
    if (b === undefined) throw malformed('truncated multi-byte tag', offset, true);
    tag = tag * 256 + b;
    i++;
    if ((b & 0x80) === 0) break;
    if (i - offset >= 4) throw malformed('tag longer than 4 bytes', offset);
  }
  return { tag, size: i - offset, constructed };
}

/** Decode the length field at `offset`; returns the length and its size. Rejects indefinite length. */
export function decodeLength(bytes: Uint8Array, offset: number): { length: number; size: number } {
  const first = bytes[offset];
  if (first === undefined) throw malformed('length expected, end of data', offset, true);
  if (first < 0x80) return { length: first, size: 1 };
  const n = first & 0x7f;
  if (n === 0) throw malformed('indefinite length is not allowed', offset);
  if (n > 4) throw malformed(`length field of ${n} bytes`, offset);
  if (offset + 1 + n > bytes.length) throw malformed('truncated length field', offset, true);
  let length = 0;
  for (let i = 0; i < n; i++) length = length * 256 + (bytes[offset + 1 + i] as number);
  if (length > MAX_LENGTH) throw malformed(`length ${length} exceeds ${MAX_LENGTH}`, offset);
  return { length, size: 1 + n };
}

/** Parse one TLV at `offset`. Every bound is checked; failures are `document_response_malformed`. */
export function parseTlv(bytes: Uint8Array, offset = 0): Tlv {
  const t = decodeTag(bytes, offset);
  const l = decodeLength(bytes, offset + t.size);
  const start = offset + t.size + l.size;
  const end = start + l.length;
  if (end > bytes.length)
    throw malformed(
      `value of ${l.length} bytes overruns the ${bytes.length - start} available`,
      offset,
      true,
    );
  return {
    tag: t.tag,
    constructed: t.constructed,
    value: bytes.subarray(start, end),
    headerLength: t.size + l.size,
    totalLength: t.size + l.size + l.length,
  };
}

/** Parse a sequence of TLVs filling `bytes` exactly. */
export function parseTlvList(bytes: Uint8Array): Tlv[] {
  const out: Tlv[] = [];
  let offset = 0;
  while (offset < bytes.length) {
    const tlv = parseTlv(bytes, offset);
    out.push(tlv);
    offset += tlv.totalLength;
  }
  return out;
}

/** The first TLV with `tag` among the children of `bytes`, or undefined. */
export function findTlv(bytes: Uint8Array, tag: number): Tlv | undefined {
  return parseTlvList(bytes).find((t) => t.tag === tag);
}

/** Like {@link findTlv} but a missing tag is `document_response_malformed`. */
export function requireTlv(bytes: Uint8Array, tag: number, what: string): Tlv {
  const tlv = findTlv(bytes, tag);
  if (tlv === undefined)
    throw new EmrtdError(
      'document_response_malformed',
      `${what}: tag ${tag.toString(16).toUpperCase()} missing`,
    );
  return tlv;
}

/** Encode a BER length. */
export function encodeLength(length: number): Uint8Array {
  if (!Number.isInteger(length) || length < 0 || length > 0xffffff)
    throw new RangeError(`bad TLV length ${length}`);
  if (length < 0x80) return Uint8Array.of(length);
  if (length <= 0xff) return Uint8Array.of(0x81, length);
  if (length <= 0xffff) return Uint8Array.of(0x82, length >> 8, length & 0xff);
  return Uint8Array.of(0x83, length >> 16, (length >> 8) & 0xff, length & 0xff);
}

/** Encode a tag number (1–4 bytes). */
export function encodeTag(tag: number): Uint8Array {
  if (!Number.isInteger(tag) || tag < 0 || tag > 0xffffffff)
    throw new RangeError(`bad TLV tag ${tag}`);
  if (tag <= 0xff) return Uint8Array.of(tag);
  if (tag <= 0xffff) return Uint8Array.of(tag >> 8, tag & 0xff);
  if (tag <= 0xffffff) return Uint8Array.of(tag >> 16, (tag >> 8) & 0xff, tag & 0xff);
  return Uint8Array.of(tag >>> 24, (tag >> 16) & 0xff, (tag >> 8) & 0xff, tag & 0xff);
}

/** Encode one TLV. */
export function encodeTlv(tag: number, value: Uint8Array): Uint8Array {
  const t = encodeTag(tag);
  const l = encodeLength(value.length);
  const out = new Uint8Array(t.length + l.length + value.length);
  out.set(t);
  out.set(l, t.length);
  out.set(value, t.length + l.length);
  return out;
}

/**
 * The total length of the TLV whose header starts `bytes` (used to learn a file's size from its
 * first bytes). Returns undefined when `bytes` is too short to hold the header.
 */
export function tlvTotalLengthFromHeader(bytes: Uint8Array): number | undefined {
  try {
    const t = decodeTag(bytes, 0);
    const l = decodeLength(bytes, t.size);
    return t.size + l.size + l.length;
  } catch (err) {
    if (err instanceof EmrtdError && /truncated|end of data/.test(err.message)) return undefined;
    throw err;
  }
}
