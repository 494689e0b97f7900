/** Object identifiers of ICAO 9303-10/-11 and the algorithms the virtual eMRTD uses. */
export const OID = {
  /** id-PACE-ECDH-GM-3DES-CBC-CBC and id-PACE-ECDH-GM-AES-CBC-CMAC-128 / -192 / -256 (9303-11 §9.2.1) */
  paceEcdhGm3des: '0.4.0.127.0.7.2.2.4.2.1',
  paceEcdhGmAes128: '0.4.0.127.0.7.2.2.4.2.2',
  paceEcdhGmAes192: '0.4.0.127.0.7.2.2.4.2.3',
  paceEcdhGmAes256: '0.4.0.127.0.7.2.2.4.2.4',
  /** id-PK-ECDH: Chip Authentication public key (ECDH) */
  pkEcdh: '0.4.0.127.0.7.2.2.1.2',
  /** id-CA-ECDH-3DES-CBC-CBC and id-CA-ECDH-AES-CBC-CMAC-128 */
  caEcdh3des: '0.4.0.127.0.7.2.2.3.2.1',
  caEcdhAes128: '0.4.0.127.0.7.2.2.3.2.2',
  /** id-icao-mrtd-security-ldsSecurityObject */
  ldsSecurityObject: '2.23.136.1.1.1',
  sha256: '2.16.840.1.101.3.4.2.1',
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  ecPublicKey: '1.2.840.10045.2.1',
  rsaEncryption: '1.2.840.113549.1.1.1',
  sha256WithRsaEncryption: '1.2.840.113549.1.1.11',
  rsassaPss: '1.2.840.113549.1.1.10',
  mgf1: '1.2.840.113549.1.1.8',
  signedData: '1.2.840.113549.1.7.2',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingTime: '1.2.840.113549.1.9.5',
  brainpoolP256r1: '1.3.36.3.3.2.8.1.1.7',
  secp256r1: '1.2.840.10045.3.1.7',
} as const;
