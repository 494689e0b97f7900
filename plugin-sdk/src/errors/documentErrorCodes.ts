/**
 * Document failure codes. Stable: never rename one; add new ones at the end, each with a comment
 * that says when it happens. Carried by events and CLI output, see docs/errors.md.
 */
export const DOCUMENT_ERROR_CODES = [
  // eMRTD (ICAO 9303) over PC/SC
  'document_credentials_required', // the chip needs MRZ or CAN credentials and none were given
  'document_credentials_invalid', // the MRZ / CAN given is malformed (bad check digit, wrong length)
  'document_access_denied', // BAC/PACE authentication failed: the keys (MRZ / CAN) are wrong
  'document_card_removed', // the card left the field (or was reset) during the read
  'document_no_card', // no card is present on the reader
  'document_reader_unavailable', // no PC/SC reader, the named reader is absent, or pcscd is down
  'document_transmission_failed', // an APDU could not be exchanged with the card (transport error)
  'document_mac_invalid', // a secure-messaging response MAC did not verify; the channel is dead
  'document_response_malformed', // the chip answered with bytes that do not parse (TLV, SM objects, lengths)
  'document_protocol_error', // the chip answered a protocol step with an unexpected status word
  'document_not_emrtd', // the card has no eMRTD application (SELECT AID failed)
  'document_file_not_found', // a required elementary file (EF.COM, EF.SOD, DG1, DG2) is absent
  'document_unsupported_algorithm', // the chip announces only algorithms kycd does not implement
  'document_photo_undecodable', // DG2 holds no face image kycd can decode
  'document_aborted', // the read was cancelled by the caller (session cancelled, timeout)
  'document_sod_invalid', // EF.SOD does not parse or its CMS signature does not verify
  'document_hash_mismatch', // a data group's hash differs from the one signed in EF.SOD
  'document_ds_untrusted', // the Document Signer does not chain to any CSCA in the trust store
  'document_certificate_expired', // the DS or CSCA was not valid at signing / verification time
  'document_certificate_revoked', // the DS appears on a supplied CRL
  'document_trust_store_empty', // no CSCA certificates were configured, so the chain check cannot run
  'document_chip_authentication_failed', // Chip Authentication (DG14) failed: possible cloned chip
  'document_active_authentication_failed', // Active Authentication (DG15) signature did not verify: possible cloned chip
] as const;
