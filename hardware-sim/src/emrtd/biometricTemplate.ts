import { concat } from './bytes.js';
import type { EmrtdPhoto } from './EmrtdHolder.js';
import { tlv } from './Tlv.js';

function u16(n: number): Uint8Array {
  return Uint8Array.of((n >> 8) & 0xff, n & 0xff);
}
function u32(n: number): Uint8Array {
  return Uint8Array.of((n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff);
}

/**
 * ISO/IEC 19794-5:2005 facial record ("FAC\0" "010\0"): general header, one facial record
 * header without feature points, the image information block and the image.
 */
export function buildFaceRecord(photo: EmrtdPhoto): Uint8Array {
  const facialHeader = concat(
    u32(20 + 12 + photo.data.length), // facial record data length
    u16(0), // number of feature points
    Uint8Array.of(0), // gender: unspecified
    Uint8Array.of(0), // eye colour
    Uint8Array.of(0), // hair colour
    Uint8Array.of(0, 0, 0), // property mask
    u16(0), // expression
    Uint8Array.of(0, 0, 0), // pose angle
    Uint8Array.of(0, 0, 0), // pose angle uncertainty
  );
  const imageInfo = concat(
    Uint8Array.of(1), // face image type: full frontal
    Uint8Array.of(photo.format === 'jpeg' ? 0 : 1), // image data type: JPEG / JPEG 2000
    u16(photo.width),
    u16(photo.height),
    Uint8Array.of(1), // colour space: 24-bit RGB
    Uint8Array.of(2), // source type: digital still camera
    u16(0), // device type
    u16(0), // quality
  );
  const total = 14 + facialHeader.length + imageInfo.length + photo.data.length;
  const generalHeader = concat(new TextEncoder().encode('FAC\x00010\x00'), u32(total), u16(1));
  return concat(generalHeader, facialHeader, imageInfo, photo.data);
}

/**
 * DG2 (tag 75): the biometric information group template 7F61 holding one biometric
 * information template 7F60 with its header A1 (ICAO 9303-10 §4.7.2, ISO/IEC 7816-11).
 */
export function buildDg2(photo: EmrtdPhoto): Uint8Array {
  const bht = tlv(
    0xa1,
    tlv(0x80, Uint8Array.of(0x01, 0x01)), // ICAO header version
    tlv(0x81, Uint8Array.of(0x02)), // biometric type: facial features
    tlv(0x87, Uint8Array.of(0x01, 0x01)), // format owner: ISO/IEC JTC 1 SC 37
    tlv(0x88, Uint8Array.of(0x00, 0x08)), // format type: face image
  );
  const bit = tlv(0x7f60, bht, tlv(0x5f2e, buildFaceRecord(photo)));
  return tlv(0x75, tlv(0x7f61, tlv(0x02, Uint8Array.of(1)), bit));
}
