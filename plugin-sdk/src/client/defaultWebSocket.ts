import type { WebSocketConstructor } from './WebSocketLike.js';

/** Largest frame the client accepts from the daemon; the daemon's own frames are far smaller. */
const MAX_PAYLOAD_BYTES = 4 * 1024 * 1024;

/**
 * The WebSocket implementation used when the caller passes none. In Node this is `ws` (loaded
 * lazily, with a deliberate frame size limit); the browser bundles replace this module with
 * `defaultWebSocket.browser.ts`, which returns the global `WebSocket`, so `ws` never reaches a
 * browser build.
 */
export async function defaultWebSocket(): Promise<WebSocketConstructor> {
  const { WebSocket: WsWebSocket } = await import('ws');
  class LimitedWebSocket extends WsWebSocket {
    constructor(url: string, protocols?: string | string[]) {
      super(url, protocols, { maxPayload: MAX_PAYLOAD_BYTES, perMessageDeflate: false });
    }
  }
  return LimitedWebSocket as unknown as WebSocketConstructor;
}
