import type { WebSocketConstructor } from './WebSocketLike.js';

/**
 * Browser build of `defaultWebSocket`: the global `WebSocket`. The bundler swaps this file in
 * for `defaultWebSocket.ts`, which keeps `ws` out of browser bundles.
 */
export async function defaultWebSocket(): Promise<WebSocketConstructor> {
  const ctor = (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
  if (ctor === undefined)
    throw new TypeError('no global WebSocket in this environment; pass options.WebSocket');
  return ctor;
}
