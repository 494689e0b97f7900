import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { PROTOCOL, WS_PATH } from '@kycd/plugin-sdk';
import type { Logger } from 'pino';
import { WebSocketServer } from 'ws';
import type { ServerConfig } from '../config/sections/server.js';
import { ApiConnection, CloseCode, type Dispatcher } from './ApiConnection.js';
import { checkUpgrade, type UpgradeRefusal } from './checkUpgrade.js';
import type { Terminal, TerminalAuthenticator } from './Terminal.js';

export interface ApiServerOptions {
  config: ServerConfig;
  authenticator: TerminalAuthenticator;
  hello: (terminal: Terminal) => unknown;
  dispatch: Dispatcher;
  logger: Logger;
  sim: boolean;
}

/**
 * The WebSocket API v1 endpoint: an HTTP server that upgrades only requests that pass the
 * Host/Origin/path/subprotocol checks, and one {@link ApiConnection} per client.
 */
export class ApiServer {
  private readonly http: Server;
  private readonly wss: WebSocketServer;
  private readonly connections = new Set<ApiConnection>();
  private boundPort = 0;
  private broadcastSeq = 0;
  private accepting = true;
  /** Resolves once the HTTP server stopped listening and its last connection ended. */
  private httpClosed: Promise<void> | undefined;

  constructor(private readonly options: ApiServerOptions) {
    this.wss = new WebSocketServer({
      noServer: true,
      maxPayload: options.config.maxFrameBytes,
      perMessageDeflate: false,
      handleProtocols: (protocols) => (protocols.has(PROTOCOL) ? PROTOCOL : false),
    });
    this.wss.on('error', (err) =>
      options.logger.error({ err: err.message }, 'websocket server error'),
    );
    this.http = createServer((_req, res) => {
      res.writeHead(426, { 'content-type': 'text/plain', upgrade: 'websocket' });
      res.end(`kycd speaks WebSocket (subprotocol ${PROTOCOL}) at ${WS_PATH}\n`);
    });
    this.http.on('upgrade', (req, socket, head) => this.onUpgrade(req, socket, head));
    this.http.on('clientError', (_err, socket) => socket.destroy());
  }

  /** Listen; resolves with the port (useful with port 0). */
  async listen(): Promise<number> {
    const { host, port } = this.options.config;
    await new Promise<void>((resolve, reject) => {
      this.http.once('error', reject);
      this.http.listen(port, host, () => {
        this.http.off('error', reject);
        resolve();
      });
    });
    this.boundPort = (this.http.address() as AddressInfo).port;
    return this.boundPort;
  }

  get port(): number {
    return this.boundPort;
  }

  get connectionCount(): number {
    return this.connections.size;
  }

  /**
   * Send a daemon-wide event (not tied to a session, e.g. `device.changed`) to every
   * authenticated connection. Its `seq` counts daemon-wide events.
   */
  broadcast(event: string, data: unknown): void {
    const frame = JSON.stringify({ event, data, seq: ++this.broadcastSeq });
    for (const c of this.connections) if (c.terminal !== undefined) c.deliver(frame);
  }

  /**
   * Close, with 1008, every connection whose terminal is no longer active (its token was revoked,
   * e.g. by `kycd tokens revoke` in another process). Returns how many were closed.
   */
  closeRevoked(isActive: (terminalId: string) => boolean): number {
    const verdicts = new Map<string, boolean>();
    let closed = 0;
    for (const c of this.connections) {
      const id = c.terminal?.id;
      if (id === undefined) continue;
      let active = verdicts.get(id);
      if (active === undefined) {
        active = isActive(id);
        verdicts.set(id, active);
      }
      if (active) continue;
      c.close(CloseCode.policyViolation, 'terminal revoked');
      closed++;
    }
    if (closed > 0)
      this.options.logger.info({ closed }, 'closed the connections of revoked terminals');
    return closed;
  }

  /**
   * First step of a shutdown: stop listening and refuse upgrades, read no more frames on the
   * open connections, and wait until every request already dispatched has been answered, at
   * most `timeoutMs`. Resolves with the number of requests still unanswered (0: drained).
   */
  async drain(timeoutMs: number): Promise<number> {
    this.stopListening();
    for (const c of this.connections) c.stopReading();
    const deadline = performance.now() + timeoutMs;
    const pending = (): number => [...this.connections].reduce((n, c) => n + c.pendingRequests, 0);
    while (pending() > 0 && performance.now() < deadline)
      await new Promise((r) => setTimeout(r, 5));
    return pending();
  }

  /** Close every connection with 1001 and stop listening (after {@link drain}, or alone). */
  async close(): Promise<void> {
    this.stopListening();
    for (const c of this.connections) c.close(CloseCode.goingAway, 'daemon shutting down');
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    this.http.closeAllConnections();
    await this.httpClosed;
  }

  private stopListening(): void {
    this.accepting = false;
    this.httpClosed ??= new Promise<void>((resolve) => this.http.close(() => resolve()));
  }

  private onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const { config, logger } = this.options;
    const refusal: UpgradeRefusal | undefined =
      checkUpgrade(req, {
        host: config.host,
        port: this.boundPort,
        allowedOrigins: config.allowedOrigins,
        path: WS_PATH,
      }) ??
      checkSubprotocol(req) ??
      (this.accepting ? undefined : { status: 503, reason: 'daemon shutting down' }) ??
      (this.connections.size >= config.maxConnections
        ? { status: 503, reason: 'too many connections' }
        : undefined);
    if (refusal !== undefined) {
      logger.warn(
        {
          status: refusal.status,
          reason: refusal.reason,
          origin: req.headers.origin,
          host: req.headers.host,
        },
        'upgrade refused',
      );
      socket.end(
        `HTTP/1.1 ${refusal.status} ${statusText(refusal.status)}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(refusal.reason) + 1}\r\n\r\n${refusal.reason}\n`,
      );
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      const connection = new ApiConnection(
        ws,
        { ...this.options, onClose: (c) => this.connections.delete(c) },
        req.socket.remoteAddress ?? '?',
      );
      this.connections.add(connection);
    });
  }
}

function checkSubprotocol(req: IncomingMessage): UpgradeRefusal | undefined {
  const offered = (req.headers['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim());
  return offered.includes(PROTOCOL)
    ? undefined
    : { status: 400, reason: `request the WebSocket subprotocol "${PROTOCOL}"` };
}

function statusText(status: number): string {
  return (
    {
      400: 'Bad Request',
      403: 'Forbidden',
      404: 'Not Found',
      426: 'Upgrade Required',
      503: 'Service Unavailable',
    }[status] ?? 'Error'
  );
}
