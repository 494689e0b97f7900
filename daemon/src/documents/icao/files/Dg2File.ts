import { EmrtdError } from '../EmrtdError.js';
import { parseTlv, parseTlvList, type Tlv } from '../tlv/BerTlv.js';

/** One face image from DG2. */
export interface FaceImage {
  readonly format: 'jpeg' | 'jpeg2000';
  readonly encoded: Uint8Array;
  /** Width and height declared in the ISO 19794-5 image information block (0 when unknown). */
  readonly declaredWidth: number;
  readonly declaredHeight: number;
}

function malformed(message: string): EmrtdError {
  return new EmrtdError('document_response_malformed', `DG2: ${message}`);
}

const JP2_SIGNATURE = Uint8Array.of(
  0x00,
  0x00,
  0x00,
  0x0c,
  0x6a,
  0x50,
  0x20,
  0x20,
  0x0d,
  0x0a,
  0x87,
  0x0a,
);

/** Sniff the encoding of an image from its magic bytes. */
export function sniffImageFormat(bytes: Uint8Array): 'jpeg' | 'jpeg2000' | undefined {
  if (bytes[0] === 0xff && bytes[1] === 0xd8) return 'jpeg';
  if (bytes.length >= 12 && JP2_SIGNATURE.every((b, i) => bytes[i] === b)) return 'jpeg2000';
  if (bytes[0] === 0xff && bytes[1] === 0x4f && bytes[2] === 0xff && bytes[3] === 0x51)
    return 'jpeg2000';
  return undefined;
}

function u16(b: Uint8Array, o: number): number {
  if (o + 2 > b.length) throw malformed('ISO 19794-5 record truncated');
  return ((b[o] as number) << 8) | (b[o + 1] as number);
}

function u32(b: Uint8Array, o: number): number {
  if (o + 4 > b.length) throw malformed('ISO 19794-5 record truncated');
  return (
    (b[o] as number) * 0x1000000 +
    (((b[o + 1] as number) << 16) | ((b[o + 2] as number) << 8) | (b[o + 3] as number))
  );
}

/**
 * Parse an ISO/IEC 19794-5:2005 facial record (`FAC\0`, version `010\0`) and return its images.
 * Every length is checked against the record.
 */
export function parseIso19794Face(record: Uint8Array): FaceImage[] {
  if (
    record.length < 14 ||
    record[0] !== 0x46 ||
    record[1] !== 0x41 ||
    record[2] !== 0x43 ||
    record[3] !== 0x00
  )
    throw malformed('biometric data is not an ISO 19794-5 "FAC" record');
  const recordLength = u32(record, 8);
  if (recordLength > record.length || recordLength < 14)
    throw malformed(`record length ${recordLength} does not match ${record.length} bytes`);
  const faces = u16(record, 12);
  const images: FaceImage[] = [];
  let o = 14;
  for (let i = 0; i < faces; i++) {
    const blockStart = o;
    const blockLength = u32(record, o);
    if (blockLength < 32 || blockStart + blockLength > recordLength)
      throw malformed(`facial record block ${i} has length ${blockLength}`);
    const landmarks = u16(record, o + 4);
    o += 20; // facial information block
    o += 8 * landmarks;
    if (o + 12 > blockStart + blockLength)
      throw malformed('image information block overruns the facial record');
    const dataType = record[o + 1] as number;
    const width = u16(record, o + 2);
    const height = u16(record, o + 4);
    o += 12;
    const encoded = record.slice(o, blockStart + blockLength);
    const sniffed = sniffImageFormat(encoded);
    const format = sniffed ?? (dataType === 0 ? 'jpeg' : dataType === 1 ? 'jpeg2000' : undefined);
    if (format === undefined)
      throw malformed(`image data type ${dataType} is neither JPEG nor JPEG 2000`);
    images.push({ format, encoded, declaredWidth: width, declaredHeight: height });
    o = blockStart + blockLength;
  }
  return images;
}

/** DG2 (9303-10 §4.7.2): biometric information templates holding ISO 19794-5 face images. */
export class Dg2File {
  readonly images: readonly FaceImage[];

  private constructor(images: FaceImage[]) {
    this.images = images;
  }

  /** Parse DG2 (`75 { 7F61 { 02 n, 7F60 { A1 BHT, 5F2E | 7F2E data } … } }`). */
  static parse(bytes: Uint8Array): Dg2File {
    const outer = parseTlv(bytes);
    if (outer.tag !== 0x75) throw malformed(`expected tag 75, got ${outer.tag.toString(16)}`);
    const group = parseTlvList(outer.value).find((t) => t.tag === 0x7f61);
    if (group === undefined) throw malformed('biometric information group template (7F61) missing');
    const images: FaceImage[] = [];
    for (const bit of parseTlvList(group.value).filter((t: Tlv) => t.tag === 0x7f60)) {
      const data = parseTlvList(bit.value).find((t) => t.tag === 0x5f2e || t.tag === 0x7f2e);
      if (data === undefined) throw malformed('biometric data block (5F2E/7F2E) missing');
      if (data.tag === 0x5f2e) {
        images.push(...parseIso19794Face(data.value));
      } else {
        // ISO/IEC 39794-5 (DER encoded): find the embedded image by its magic bytes
        const v = data.value;
        let found: FaceImage | undefined;
        for (let i = 0; i + 4 < v.length && found === undefined; i++) {
          const fmt = sniffImageFormat(v.subarray(i));
          if (fmt !== undefined)
            found = { format: fmt, encoded: v.slice(i), declaredWidth: 0, declaredHeight: 0 };
        }
        if (found === undefined)
          throw malformed('no JPEG or JPEG 2000 image in the ISO 39794-5 block');
        images.push(found);
      }
    }
    if (images.length === 0) throw malformed('no face image');
    return new Dg2File(images);
  }
}
