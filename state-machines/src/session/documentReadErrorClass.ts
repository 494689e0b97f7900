import { errorCodeOf } from '../errors/failureReasonOf.js';

/**
 * `readDocument` rejection codes that pause the session for the POS to provide an MRZ or CAN
 * (`CREDENTIALS.PROVIDED`): none given, malformed, or rejected by the chip's access control.
 */
export const CREDENTIALS_REQUIRED_CODES: readonly string[] = Object.freeze([
  'document_credentials_required',
  'document_credentials_invalid',
  'document_access_denied',
]);

/**
 * `readDocument` rejection codes worth a re-read (up to `documentRetries`): the card moved, the
 * link hiccupped, or a secure-messaging channel died. Every other code fails the session.
 */
export const TRANSIENT_DOCUMENT_CODES: readonly string[] = Object.freeze([
  'document_card_removed',
  'document_no_card',
  'document_transmission_failed',
  'document_mac_invalid',
  'document_sam_timeout',
  'document_sam_frame_checksum',
  'document_sam_read_failed',
]);

/** How the session treats a `readDocument` rejection. */
export type DocumentReadErrorClass = 'credentials' | 'transient' | 'fatal';

/**
 * Classifies what `readDocument` rejected with by its `code` (see
 * {@link CREDENTIALS_REQUIRED_CODES}, {@link TRANSIENT_DOCUMENT_CODES}); an error without a
 * usable code is `fatal`. The session machine's guards `isCredentialsRequiredError` and
 * `isTransientDocumentError` use this.
 */
export function documentReadErrorClass(error: unknown): DocumentReadErrorClass {
  const code = errorCodeOf(error);
  if (code === undefined) return 'fatal';
  if (CREDENTIALS_REQUIRED_CODES.includes(code)) return 'credentials';
  if (TRANSIENT_DOCUMENT_CODES.includes(code)) return 'transient';
  return 'fatal';
}
