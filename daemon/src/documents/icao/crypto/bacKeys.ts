import { createHash } from 'node:crypto';
import { kdf, KDF_COUNTER } from './kdf.js';

/** BAC/PACE MRZ-derived keys. */
export interface BacKeys {
  readonly kSeed: Uint8Array;
  readonly kEnc: Uint8Array;
  readonly kMac: Uint8Array;
}

/**
 * MRZ_information of 9303-11 §9.7.2: document number (padded to ≥9 with '<') ‖ its check digit ‖
 * birth date ‖ check digit ‖ expiry date ‖ check digit.
 */
export function mrzInformation(
  documentNumber: string,
  birthDate: string,
  expiryDate: string,
): string {
  const doc = documentNumber.length < 9 ? documentNumber.padEnd(9, '<') : documentNumber;
  return `${doc}${checkDigit(doc)}${birthDate}${checkDigit(birthDate)}${expiryDate}${checkDigit(expiryDate)}`;
}

/** ICAO 9303-3 check digit (weights 7, 3, 1; '<' = 0, A = 10 …). Throws `TypeError` on other characters. */
export function checkDigit(text: string): string {
  const weights = [7, 3, 1];
  let sum = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    let v: number;
    if (c >= 48 && c <= 57) v = c - 48;
    else if (c >= 65 && c <= 90) v = c - 55;
    else if (c === 60) v = 0;
    else throw new TypeError(`character '${text[i]}' is not allowed in an MRZ field`);
    sum += v * (weights[i % 3] as number);
  }
  return String(sum % 10);
}

/** Kseed = first 16 bytes of SHA-1(MRZ_information); Kenc, Kmac by the 3DES KDF (9303-11 §9.7.2, D.2). */
export function deriveBacKeys(mrzInfo: string): BacKeys {
  const kSeed = new Uint8Array(createHash('sha1').update(mrzInfo, 'latin1').digest()).slice(0, 16);
  return {
    kSeed,
    kEnc: kdf(kSeed, KDF_COUNTER.enc, '3DES'),
    kMac: kdf(kSeed, KDF_COUNTER.mac, '3DES'),
  };
}
