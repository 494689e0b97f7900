/**
 * Error codes raised by the SDK itself (never sent by the daemon). Stable: never rename one; add
 * new ones at the end, each with a comment that says when it happens. See docs/errors.md.
 */
export const CLIENT_ERROR_CODES = [
  'connection_failed', // the SDK could not open the WebSocket (daemon not running, wrong URL, refused upgrade)
  'connection_closed', // the socket closed before a request was answered, or the client was closed
  'request_timeout', // the daemon did not answer a request within requestTimeoutMs
  'protocol_error', // the daemon sent a frame the SDK cannot understand (bad JSON, wrong subprotocol, off-schema)
] as const;

/** One of {@link CLIENT_ERROR_CODES}. */
export type ClientErrorCode = (typeof CLIENT_ERROR_CODES)[number];
