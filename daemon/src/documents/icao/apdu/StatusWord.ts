/** ISO/IEC 7816-4 status words that the eMRTD layers act on. */
export const StatusWord = {
  OK: 0x9000,
  /** Warning / authentication failed (BAC, PACE, CA with wrong keys). */
  AUTHENTICATION_FAILED: 0x6300,
  /** End of file reached before Le bytes. */
  END_OF_FILE: 0x6282,
  WRONG_LENGTH: 0x6700,
  SECURITY_STATUS_NOT_SATISFIED: 0x6982,
  SM_DATA_OBJECTS_MISSING: 0x6987,
  SM_DATA_OBJECTS_INCORRECT: 0x6988,
  CONDITIONS_NOT_SATISFIED: 0x6985,
  FILE_NOT_FOUND: 0x6a82,
  WRONG_P1P2: 0x6b00,
  INS_NOT_SUPPORTED: 0x6d00,
  CLA_NOT_SUPPORTED: 0x6e00,
  WRONG_PARAMETERS: 0x6a86,
  INCORRECT_DATA: 0x6a80,
} as const;

/** The status word as 4 upper-case hex digits, e.g. `6A82`. */
export function formatStatusWord(sw: number): string {
  return sw.toString(16).toUpperCase().padStart(4, '0');
}
