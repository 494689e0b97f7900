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
  // Chinese resident ID over the SAM reader protocol (GA 467 family); shares document_no_card,
  // document_card_removed and document_aborted with the eMRTD reader.
  'document_sam_frame_checksum', // a SAM frame's XOR checksum does not match its bytes
  'document_sam_frame_length', // a SAM frame's LEN is out of range or disagrees with its content
  'document_sam_timeout', // the SAM did not answer a command within its timeout
  'document_sam_transport_failed', // the serial / USB link to the SAM reader failed or closed
  'document_sam_response_malformed', // a SAM response parsed as a frame but its data has the wrong shape
  'document_sam_card_select_failed', // SAM status 81 选取失败: the card was found but could not be selected
  'document_sam_card_auth_failed', // SAM status 31 居民身份证认证SAM失败: the card rejected the SAM
  'document_sam_sam_auth_failed', // SAM status 32 SAM认证居民身份证失败: the SAM rejected the card (not genuine?)
  'document_sam_info_verification_failed', // SAM status 33 信息验证失败: the card's data failed the SAM's verification
  'document_sam_read_failed', // SAM status 41 读居民身份证操作失败: reading the card failed (card still present)
  'document_sam_card_type_unknown', // SAM status 40 无法识别的居民身份证类型: not a card type this SAM reads
  'document_sam_self_test_failed', // SAM status 60 SAM 自检失败: the SAM module failed its self-test
  'document_sam_not_authorised', // SAM status 66 SAM 没经过授权 / 23 越权操作: the SAM is not licensed for this
  'document_sam_command_rejected', // SAM status 10/11/21 (校验和错/长度错/命令错误): the SAM rejected our frame
  'document_sam_status_unknown', // the SAM answered a status byte kycd does not know (24 and undocumented ones)
  'document_sam_text_invalid', // the 256-byte text block does not parse (bad dates, codes, type flag)
  'document_id_number_invalid', // the ID number fails its GB 11643-1999 (ISO 7064 MOD 11-2) check character
  'document_photo_decoder_missing', // no WLT photo decoder is configured, so the chip photo cannot be used
  'document_photo_decoder_failed', // the configured WLT decoder (vendor library / service) failed
  'document_response_truncated', // a response APDU ended early: its status word or a secure-messaging object is cut off (distinct from bytes that do not parse)
  'document_crl_stale', // the CSCA's CRL in the trust store is past its nextUpdate: revocation is reported as not established
  'document_crl_invalid', // a CRL in the trust store names the CSCA as issuer but its signature does not verify (a forged or damaged CRL)
] as const;
