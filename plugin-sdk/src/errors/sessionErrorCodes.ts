/**
 * Session failure codes. Stable: never rename one; add new ones at the end, each with a comment
 * that says when it happens. Carried by events and CLI output, see docs/errors.md.
 */
export const SESSION_ERROR_CODES = [
  'session_cancelled', // the POS (or the operator) cancelled the session
  'session_expired', // the overall session timeout (sessionMs) ran out
  'session_consent_wait_timeout', // no consent arrived within consentWaitMs
  'session_document_wait_timeout', // no document was presented within documentWaitMs
  'session_credentials_wait_timeout', // the POS did not provide the MRZ / CAN within credentialsWaitMs
  'session_credentials_attempts_exhausted', // access control failed with every MRZ / CAN the POS provided
  'session_document_read_timeout', // one chip read took longer than documentReadMs
  'session_document_retries_exhausted', // transient card errors persisted after documentRetries re-reads
  'session_document_read_failed', // the document read failed with an error that carried no code
  'session_document_not_genuine', // the chip read but failed authenticity verification
  'session_document_photo_missing', // the document carried no face photo to match against
  'session_face_timeout', // one face capture attempt took longer than faceMs
  'session_face_attempts_exhausted', // every one of faceAttempts liveness attempts failed
  'session_match_timeout', // face matching took longer than matchMs
  'session_face_no_match', // the live face does not match the document photo
  'session_face_match_inconclusive', // the match was inconclusive and no manual review is allowed
  'session_review_rejected', // the operator's manual review rejected the match
  'session_review_wait_timeout', // no operator decision arrived within reviewWaitMs
  'session_confirm_wait_timeout', // the POS did not confirm the registration details within confirmWaitMs
  'session_registration_timeout', // submitting the registration took longer than registrationMs
  'session_registration_failed', // submitting the registration failed with an error that carried no code
  'session_device_lost', // a device the current step needs was lost; the session is suspended
  'session_suspended_timeout', // a lost device did not come back within suspendedMs
  'session_actor_not_provided', // a machine actor slot was not replaced with .provide() (wiring bug)
  'session_step_failed', // a step's actor failed with an error that carried no code
  'session_daemon_stopped', // the daemon shut down while the session was active
] as const;
