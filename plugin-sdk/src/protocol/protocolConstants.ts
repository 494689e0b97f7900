/**
 * Constants of kycd wire protocol v1 (shared/DESIGN.md, "Wire protocol v1").
 */

/** The WebSocket subprotocol a client must offer, and the `protocol` that `hello` answers. */
export const PROTOCOL = 'kycd.v1';

/** The TCP port the daemon listens on unless configured otherwise. */
export const DEFAULT_PORT = 7450;

/** The HTTP path of the WebSocket endpoint: `ws://127.0.0.1:7450/v1`. */
export const WS_PATH = '/v1';

/** The default endpoint URL a client connects to. */
export const DEFAULT_URL = `ws://127.0.0.1:${DEFAULT_PORT}${WS_PATH}`;

/**
 * Structural limits {@link parseClientFrame} enforces before any schema runs. Frames bigger
 * than the daemon's `server.maxFrameBytes` never reach the parser (the socket closes with 1009).
 */
export const FRAME_LIMITS = {
  /** Deepest object/array nesting accepted in a client frame. */
  maxDepth: 16,
  /** Most JSON values (objects, arrays, scalars) accepted in one client frame. */
  maxNodes: 4096,
  /** Longest request id string. */
  maxIdLength: 128,
  /** Longest method name. */
  maxMethodLength: 64,
  /** Longest frame text the parser looks at (characters). */
  maxTextLength: 16 * 1024 * 1024,
} as const;
