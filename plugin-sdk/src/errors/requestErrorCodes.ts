/**
 * Error codes a request can fail with on the wire (shared/DESIGN.md, "Wire protocol v1").
 * Stable: integrators switch on them. Never rename one; add new ones at the end.
 */
export const REQUEST_ERROR_CODES = [
  'invalid_json', // the frame is not valid JSON (the connection stays open)
  'invalid_request', // the frame is JSON but not a request {id, method, params}, or breaks a structural limit (nesting, size, forbidden keys)
  'unknown_method', // no such method in protocol v1
  'invalid_params', // params do not match the method's schema; data.issues lists the failing paths
  'unauthenticated', // no successful hello yet on this connection, or hello with an unknown or revoked token
  'forbidden', // the method exists but is not allowed here (sim.* on a daemon not started with --sim)
  'not_found', // no such session for this terminal (unknown, of another terminal, or already purged)
  'conflict', // the session is not in a state that accepts this request (e.g. provideMrz when no MRZ is awaited)
  'device_unavailable', // a device the request needs is absent or failed
  'rate_limited', // too many requests on this connection; slow down and retry
  'internal', // an unexpected daemon error; details are in the daemon log, never on the wire
] as const;

/** One of {@link REQUEST_ERROR_CODES}. */
export type RequestErrorCode = (typeof REQUEST_ERROR_CODES)[number];
