/**
 * Registration failure codes. Stable: never rename one; add new ones at the end, each with a comment
 * that says when it happens. Carried by events and CLI output, see docs/errors.md.
 */
export const REGISTRATION_ERROR_CODES = [
  // The database file is not a SQLite database or fails its integrity check; start-up stops (never a silent reset).
  'registration_store_corrupt',
  // The database was written by a newer kycd (its schema version is unknown to this one).
  'registration_store_newer_schema',
  // The disk is full (SQLITE_FULL / ENOSPC); the write was rolled back and nothing was half-written.
  'registration_store_full',
  // The database cannot be opened or written (permissions, I/O error, locked for too long).
  'registration_store_unavailable',
  // The terminal signing key or the evidence key file is unreadable, malformed or readable by others.
  'registration_key_invalid',
  // session.confirmRegistration on a session that is unknown or not in a state that can be confirmed.
  'registration_not_confirmable',
  // session.confirmRegistration on a session whose registration was already confirmed.
  'registration_already_confirmed',
  // The carrier answered 4xx: the registration is finally rejected (data.status, data.reason).
  'registration_rejected',
  // The carrier answered 5xx, timed out or was unreachable; delivery will be retried.
  'registration_delivery_failed',
  // The carrier endpoint is not HTTPS (plain http is allowed only to a loopback address).
  'registration_endpoint_insecure',
  // A stored evidence blob failed AES-256-GCM authentication (wrong key or tampered file).
  'registration_evidence_undecryptable',
  // `kycd audit verify` found the trail tampered with: a bad hash or link, a head that is not the
  // signed checkpoint, or a witnessed row missing or different (a rollback or a rewrite).
  'registration_audit_chain_broken',
] as const;
