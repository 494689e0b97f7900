import { KycdError, parseClientFrame, type RequestId } from '@kycd/plugin-sdk';
import type { Logger } from 'pino';
import type { WebSocket } from 'ws';
import type { ServerConfig } from '../config/sections/server.js';
import type { SessionSubscriber } from '../sessions/Session.js';
import type { Terminal, TerminalAuthenticator } from './Terminal.js';
import { TokenBucket } from './TokenBucket.js';

/** WebSocket close codes we use (RFC 6455 §7.4.1). */
export const CloseCode = {
  goingAway: 1001,
  policyViolation: 1008,
  messageTooBig: 1009,
  internalError: 1011,
  tryAgainLater: 1013,
} as const;

/** A send buffer beyond this means the client does not keep up: close it, it can resume. */
const MAX_BUFFERED_BYTES = 8 * 1024 * 1024;

/** What a method handler gets to know about the caller. */
export interface CallContext {
  readonly terminal: Terminal;
  readonly connection: ApiConnection;
  /**
   * Run `action` right after the success response has been sent, in the same tick (e.g. the
   * replay of `session.resume`, which follows its response). Not run when the handler fails.
   */
  afterResponse(action: () => void): void;
}

export type Dispatcher = (method: string, params: unknown, ctx: CallContext) => Promise<unknown>;

export interface ApiConnectionDeps {
  config: ServerConfig;
  authenticator: TerminalAuthenticator;
  /** Answers `hello` once the token is accepted. */
  hello: (terminal: Terminal) => unknown;
  dispatch: Dispatcher;
  logger: Logger;
  /** Accept `sim.*` methods (daemon started with --sim). */
  sim: boolean;
  onClose: (connection: ApiConnection) => void;
}

let nextConnectionId = 1;

/**
 * One client connection: parses every frame (hostile until a schema accepts it), enforces the
 * hello handshake, the rate limit and the bad-token limit, dispatches requests and delivers the
 * events of the sessions it subscribed to. Malformed input never closes a healthy connection.
 */
export class ApiConnection implements SessionSubscriber {
  readonly id = nextConnectionId++;
  private terminalValue: Terminal | undefined;
  private badTokens = 0;
  private inFlight = 0;
  private reading = true;
  private readonly bucket: TokenBucket;
  private readonly helloTimer: NodeJS.Timeout;
  private readonly subscriptions = new Map<string, () => void>();
  private readonly log: Logger;

  constructor(
    private readonly ws: WebSocket,
    private readonly deps: ApiConnectionDeps,
    remote: string,
  ) {
    this.log = deps.logger.child({ conn: this.id });
    this.bucket = new TokenBucket(
      deps.config.rateLimit.requestsPerSecond,
      deps.config.rateLimit.burst,
    );
    this.helloTimer = setTimeout(() => {
      if (this.terminalValue === undefined)
        this.close(CloseCode.policyViolation, 'no hello in time');
    }, deps.config.helloTimeoutMs);
    ws.on('message', (data, isBinary) => this.onMessage(data, isBinary));
    ws.on('close', (code) => {
      clearTimeout(this.helloTimer);
      for (const unsubscribe of this.subscriptions.values()) unsubscribe();
      this.subscriptions.clear();
      this.log.debug({ code }, 'connection closed');
      deps.onClose(this);
    });
    ws.on('error', (err) => this.log.warn({ err: err.message }, 'socket error'));
    this.log.debug({ remote }, 'connection opened');
  }

  /** Requests dispatched and not yet answered. */
  get pendingRequests(): number {
    return this.inFlight;
  }

  /** Read no more frames (daemon shutdown): requests already dispatched still get their answers. */
  stopReading(): void {
    this.reading = false;
    this.ws.pause();
  }

  /** The authenticated terminal, if `hello` succeeded. */
  get terminal(): Terminal | undefined {
    return this.terminalValue;
  }

  /** Receive a session's events from now on (idempotent). */
  subscribe(sessionId: string, subscribe: (s: SessionSubscriber) => () => void): void {
    if (!this.subscriptions.has(sessionId)) this.subscriptions.set(sessionId, subscribe(this));
  }

  /**
   * Like {@link subscribe}, but the session's live events are held until `release()` is called,
   * so a response and a replay can go out before them. Returns a no-op release when this
   * connection already receives the session's events.
   */
  subscribeHeld(sessionId: string, subscribe: (s: SessionSubscriber) => () => void): () => void {
    if (this.subscriptions.has(sessionId)) return () => undefined;
    let held: string[] | undefined = [];
    this.subscriptions.set(
      sessionId,
      subscribe({
        deliver: (frame) => {
          if (held === undefined) this.deliver(frame);
          else held.push(frame);
        },
      }),
    );
    return () => {
      const frames = held ?? [];
      held = undefined;
      for (const frame of frames) this.deliver(frame);
    };
  }

  /** SessionSubscriber: send an event frame, closing a client that does not keep up. */
  deliver(frame: string): void {
    if (this.ws.readyState !== this.ws.OPEN) return;
    if (this.ws.bufferedAmount > MAX_BUFFERED_BYTES) {
      this.close(CloseCode.tryAgainLater, 'client too slow; reconnect and resume');
      return;
    }
    this.ws.send(frame);
  }

  close(code: number, reason: string): void {
    // A connection that stopped reading must read again to see the peer's closing handshake
    // (frames that arrive meanwhile are dropped, see onMessage).
    if (!this.reading) this.ws.resume();
    if (this.ws.readyState === this.ws.OPEN || this.ws.readyState === this.ws.CONNECTING)
      this.ws.close(code, reason);
  }

  private onMessage(data: unknown, isBinary: boolean): void {
    if (!this.reading) return; // shutting down: the socket closes with 1001 next
    // Every frame takes a token, binary or text, before any work is spent on it.
    const allowed = this.bucket.take();
    if (isBinary) {
      const err = allowed
        ? new KycdError(
            'invalid_request',
            'binary frames are not part of the protocol; send JSON text',
          )
        : new KycdError('rate_limited', 'too many requests; slow down');
      this.sendError(null, err);
      return;
    }
    const parsed = parseClientFrame(bufferToString(data), { sim: this.deps.sim });
    if (!allowed) {
      this.sendError(
        parsed.ok ? parsed.request.id : (parsed.id ?? null),
        new KycdError('rate_limited', 'too many requests; slow down'),
      );
      return;
    }
    if (!parsed.ok) {
      const { code, message, data: details } = parsed.error;
      this.sendError(
        parsed.id ?? null,
        new KycdError(code, message, details === undefined ? {} : { data: details }),
      );
      return;
    }
    const { id, method, params } = parsed.request;
    if (method === 'hello') {
      this.onHello(id, params);
      return;
    }
    const terminal = this.terminalValue;
    if (terminal === undefined) {
      this.sendError(
        id,
        new KycdError('unauthenticated', 'send hello with your pairing token first'),
      );
      return;
    }
    const afterResponse: Array<() => void> = [];
    this.inFlight++;
    this.deps
      .dispatch(method, params, {
        terminal,
        connection: this,
        afterResponse: (action) => afterResponse.push(action),
      })
      .then(
        (result) => {
          this.inFlight--;
          this.send({ id, result });
          for (const action of afterResponse) action();
        },
        (err: unknown) => {
          this.inFlight--;
          this.sendError(id, err);
        },
      );
  }

  private onHello(id: RequestId, params: unknown): void {
    if (this.terminalValue !== undefined) {
      this.sendError(id, new KycdError('conflict', 'already authenticated on this connection'));
      return;
    }
    const token = (params as { token: string }).token;
    const terminal = this.deps.authenticator.authenticate(token);
    if (terminal === undefined) {
      this.badTokens++;
      this.log.warn({ badTokens: this.badTokens }, 'hello with a bad token');
      this.sendError(
        id,
        new KycdError(
          'unauthenticated',
          'unknown or revoked token; pair this terminal with `kycd pair`',
        ),
      );
      if (this.badTokens >= this.deps.config.maxBadTokens)
        this.close(CloseCode.policyViolation, 'too many bad tokens');
      return;
    }
    clearTimeout(this.helloTimer);
    this.terminalValue = terminal;
    this.log.info({ terminal: terminal.name }, 'terminal authenticated');
    this.send({ id, result: this.deps.hello(terminal) });
  }

  private send(frame: object): void {
    if (this.ws.readyState === this.ws.OPEN) this.ws.send(JSON.stringify(frame));
  }

  private sendError(id: RequestId | null, err: unknown): void {
    if (err instanceof KycdError) {
      this.send({ id, error: err.toJSON() });
      return;
    }
    this.log.error(
      { err: err instanceof Error ? { message: err.message, stack: err.stack } : String(err) },
      'request failed unexpectedly',
    );
    this.send({ id, error: { code: 'internal', message: 'internal error; see the daemon log' } });
  }
}

function bufferToString(data: unknown): string {
  if (typeof data === 'string') return data;
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data as Buffer[]).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return String(data);
}
