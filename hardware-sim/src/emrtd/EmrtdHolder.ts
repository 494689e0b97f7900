/**
 * The person and document a virtual eMRTD is generated from. Dates are YYMMDD as printed in the
 * MRZ; names use A–Z and spaces (they are transliterated into the MRZ filler form).
 */
export interface EmrtdHolder {
  /** Document code, "P" for a passport (TD3). */
  readonly documentCode?: string;
  /** Issuing state, three letters (ICAO 9303-3), e.g. "UTO". */
  readonly issuingState: string;
  readonly surname: string;
  readonly givenNames: string;
  /** Up to 9 characters A–Z, 0–9. */
  readonly documentNumber: string;
  readonly nationality: string;
  /** YYMMDD */
  readonly dateOfBirth: string;
  /** "M", "F" or "<" (unspecified). */
  readonly sex: 'M' | 'F' | '<';
  /** YYMMDD */
  readonly dateOfExpiry: string;
  /** Optional data / personal number (up to 14 characters). */
  readonly optionalData?: string;
  /** The face image for DG2. */
  readonly photo: EmrtdPhoto;
}

/** A face image for DG2: JPEG or JPEG 2000 bytes, with its pixel size. */
export interface EmrtdPhoto {
  readonly format: 'jpeg' | 'jpeg2000';
  readonly data: Uint8Array;
  readonly width: number;
  readonly height: number;
}
