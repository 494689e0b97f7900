/**
 * Error codes a request can fail with on the wire (shared/DESIGN.md, "Wire protocol v1").
 * Stable: integrators switch on them. Never rename one; add new ones at the end.
 */
export const REQUEST_ERROR_CODES = [
  'invalid_json',
  'invalid_request',
  'unknown_method',
  'invalid_params',
  'unauthenticated',
  'forbidden',
  'not_found',
  'conflict',
  'device_unavailable',
  'rate_limited',
  'internal',
] as const;

/** One of {@link REQUEST_ERROR_CODES}. */
export type RequestErrorCode = (typeof REQUEST_ERROR_CODES)[number];
