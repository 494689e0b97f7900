import type { EmrtdPhoto } from './EmrtdHolder.js';

/**
 * Fault modes of a virtual eMRTD, each off unless set. Counting starts at the card's insertion.
 * Read counts and byte counts include only READ BINARY commands under secure messaging (the
 * data group reads after BAC/PACE).
 */
export interface EmrtdFaults {
  /** The card leaves the field once this many file bytes were served: the read that would cross the mark gets no answer and the card disconnects. */
  readonly removeAfterBytes?: number;
  /** The response MAC of the N-th protected READ BINARY (1-based) is wrong. */
  readonly wrongMacOnRead?: number;
  /** The N-th protected READ BINARY's response (1-based) is cut short: its last SM bytes are missing. */
  readonly truncateOnRead?: number;
  /** A data group (1, 2, 14, 15) whose TLV structure is corrupt (EF.SOD signs the corrupt bytes). */
  readonly corruptTlvInDataGroup?: number;
  /** The Document Signer certificate had expired. */
  readonly expiredDs?: boolean;
  /** The Document Signer chains to a different CSCA than the one written to the trust store. */
  readonly untrustedDs?: boolean;
  /** DG2 holds a different photo than the one hashed in EF.SOD (a swapped photo); `true` uses another person's portrait. */
  readonly hashMismatch?: boolean | EmrtdPhoto;
  /** A cloned chip: public data copied, private keys not — Chip Authentication and Active Authentication fail. */
  readonly chipClone?: boolean;
  /**
   * A clone that hides its missing keys: DG14 and DG15 are left out of EF.COM (which is not
   * signed) and selecting them answers 6A82, while EF.SOD (which a clone cannot re-sign) still
   * lists their hashes. A reader that trusts EF.COM would skip Chip and Active Authentication.
   */
  readonly hideCloneDetection?: boolean;
}

/** The names of all fault modes (for CLI / sim API validation). */
export const EMRTD_FAULT_NAMES = [
  'removeAfterBytes',
  'wrongMacOnRead',
  'truncateOnRead',
  'corruptTlvInDataGroup',
  'expiredDs',
  'untrustedDs',
  'hashMismatch',
  'chipClone',
  'hideCloneDetection',
] as const;
