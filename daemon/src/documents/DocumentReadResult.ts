/**
 * What reading an identity document yields, whatever the document and reader. Both document
 * protocols (ICAO 9303 over PC/SC, the Chinese resident-ID SAM protocol) produce this.
 */

/** Kinds of document kycd reads. */
export type DocumentKind = 'emrtd' | 'cn-resident-id';

/** Which access control ran on the chip. Reported always: a silent PACE→BAC fallback is a weakness. */
export type AccessControlProtocol = 'PACE' | 'BAC' | 'SAM';

/** Outcome of one authenticity check. A check that could not run is never "passed". */
export type CheckStatus = 'passed' | 'failed' | 'not_supported' | 'not_run';

export interface AuthenticityCheck {
  readonly status: CheckStatus;
  /** Registered error code when failed or not run, e.g. `document_ds_untrusted`. */
  readonly code?: string;
  /** Human-readable reason (English), safe to log. */
  readonly reason?: string;
  readonly details?: Readonly<Record<string, string | number | boolean>>;
}

export interface DocumentAuthenticity {
  /** eMRTD: SOD signature, DG hashes, DS → CSCA chain. Resident ID: the SAM's own verification. */
  readonly passiveAuthentication: AuthenticityCheck;
  /** eMRTD Chip Authentication (DG14). */
  readonly chipAuthentication: AuthenticityCheck;
  /** eMRTD Active Authentication (DG15). */
  readonly activeAuthentication: AuthenticityCheck;
  /** True only when passive authentication passed and no check failed and clone detection
   *  (CA or AA) passed where the chip offers it. */
  readonly genuine: boolean;
}

/** Holder and document fields. Dates are ISO `YYYY-MM-DD` (or `'long-term'` for 长期). */
export interface DocumentFields {
  readonly documentType: string;
  readonly documentNumber: string;
  readonly fullName: string;
  readonly surname?: string;
  readonly givenNames?: string;
  readonly nameLatin?: string;
  readonly issuingState?: string;
  readonly nationality?: string;
  readonly sex?: 'male' | 'female' | 'unspecified' | 'unknown';
  readonly birthDate?: string;
  readonly expiryDate?: string;
  readonly issueDate?: string;
  readonly personalNumber?: string;
  readonly address?: string;
  readonly issuingAuthority?: string;
  readonly ethnicity?: string;
  /** The raw MRZ for eMRTDs. */
  readonly mrz?: string;
}

export interface DocumentPhoto {
  /** Encoding as stored on the chip. */
  readonly format: 'jpeg' | 'jpeg2000' | 'wlt' | 'bmp';
  readonly encoded: Uint8Array;
  /** Decoded pixels, RGB interleaved, when a decoder was available. */
  readonly rgb?: { readonly data: Uint8Array; readonly width: number; readonly height: number };
}

export interface DocumentReadResult {
  readonly kind: DocumentKind;
  readonly accessControl: AccessControlProtocol;
  readonly fields: DocumentFields;
  /** Absent when the document has no photo usable for matching; then `photoUnavailable` says why. */
  readonly photo?: DocumentPhoto;
  readonly photoUnavailable?: { readonly code: string; readonly reason: string };
  readonly authenticity: DocumentAuthenticity;
  /** Milliseconds per phase (accessControl, read, verify, total) and bytes/APDUs where known. */
  readonly timing: Readonly<Record<string, number>>;
}
