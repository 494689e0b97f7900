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
  /** DG11 (additional personal details), written when any field is given. */
  readonly additionalPersonalDetails?: {
    /** Full name in the MRZ name form, e.g. "SPECIMEN<<ANNA<MARIA" (default: from the names). */
    readonly fullName?: string;
    readonly personalNumber?: string;
    /** YYYYMMDD */
    readonly fullDateOfBirth?: string;
    readonly placeOfBirth?: string;
    readonly address?: string;
  };
  /** DG12 (additional document details), written when any field is given. */
  readonly additionalDocumentDetails?: {
    readonly issuingAuthority?: string;
    /** YYYYMMDD */
    readonly dateOfIssue?: string;
  };
}

/** A face image for DG2: JPEG or JPEG 2000 bytes, with its pixel size. */
export interface EmrtdPhoto {
  readonly format: 'jpeg' | 'jpeg2000';
  readonly data: Uint8Array;
  readonly width: number;
  readonly height: number;
}
