import { EmrtdError } from '../EmrtdError.js';
import { parseTlv, parseTlvList } from '../tlv/BerTlv.js';

/** DG11 (9303-10 §4.7.11): additional personal details. Only the fields kycd uses. */
export interface Dg11File {
  readonly fullName?: string;
  readonly personalNumber?: string;
  /** YYYYMMDD as stored. */
  readonly fullDateOfBirth?: string;
  readonly placeOfBirth?: string;
  readonly address?: string;
}

/** DG12 (9303-10 §4.7.12): additional document details. */
export interface Dg12File {
  readonly issuingAuthority?: string;
  /** YYYYMMDD as stored. */
  readonly dateOfIssue?: string;
}

function text(v: Uint8Array): string {
  return Buffer.from(v).toString('utf8').replace(/</g, ' ').replace(/\s+/g, ' ').trim();
}

function fields(bytes: Uint8Array, tag: number, name: string): Map<number, string> {
  const outer = parseTlv(bytes);
  if (outer.tag !== tag)
    throw new EmrtdError(
      'document_response_malformed',
      `${name}: expected tag ${tag.toString(16)}, got ${outer.tag.toString(16)}`,
    );
  const out = new Map<number, string>();
  for (const t of parseTlvList(outer.value)) {
    if (t.tag === 0x5c) continue;
    if (t.tag === 0xa0) {
      // a sequence of "other" values (e.g. several places or names): take the first 5Fxx member
      const first = parseTlvList(t.value).find((x) => x.tag !== 0x02);
      if (first !== undefined) out.set(first.tag, text(first.value));
      continue;
    }
    out.set(t.tag, text(t.value));
  }
  return out;
}

/** Parse DG11 (`6B { 5C, 5F0E name, 5F10 personal no., 5F2B DOB, 5F11 place, 5F42 address … }`). */
export function parseDg11(bytes: Uint8Array): Dg11File {
  const f = fields(bytes, 0x6b, 'DG11');
  const pick = (tag: number): string | undefined =>
    f.get(tag) === undefined || f.get(tag) === '' ? undefined : f.get(tag);
  return {
    ...(pick(0x5f0e) === undefined ? {} : { fullName: pick(0x5f0e) as string }),
    ...(pick(0x5f10) === undefined ? {} : { personalNumber: pick(0x5f10) as string }),
    ...(pick(0x5f2b) === undefined ? {} : { fullDateOfBirth: pick(0x5f2b) as string }),
    ...(pick(0x5f11) === undefined ? {} : { placeOfBirth: pick(0x5f11) as string }),
    ...(pick(0x5f42) === undefined ? {} : { address: pick(0x5f42) as string }),
  };
}

/** Parse DG12 (`6C { 5C, 5F19 issuing authority, 5F26 date of issue … }`). */
export function parseDg12(bytes: Uint8Array): Dg12File {
  const f = fields(bytes, 0x6c, 'DG12');
  const pick = (tag: number): string | undefined =>
    f.get(tag) === undefined || f.get(tag) === '' ? undefined : f.get(tag);
  return {
    ...(pick(0x5f19) === undefined ? {} : { issuingAuthority: pick(0x5f19) as string }),
    ...(pick(0x5f26) === undefined ? {} : { dateOfIssue: pick(0x5f26) as string }),
  };
}
