import { KycdError } from '../errors/KycdError.js';
import type { ErrorCode } from '../errors/errorCodes.js';
import type { EventData, EventName } from '../protocol/EVENTS.js';
import type { MethodName, MethodParams, MethodResult } from '../protocol/METHODS.js';
import { DEFAULT_URL, PROTOCOL } from '../protocol/protocolConstants.js';
import type { RequestId } from '../protocol/schemas/RequestFrame.js';
import { isSessionFinalState, type SessionSnapshot } from '../protocol/schemas/SessionSnapshot.js';
import type { DeviceInfo } from '../protocol/schemas/DeviceInfo.js';
import { validateParams, validateResult } from '../protocol/validateMessage.js';
import { defaultWebSocket } from './defaultWebSocket.js';
import { parseServerFrame } from './parseServerFrame.js';
import { reconnectDelay, type ReconnectOptions } from './reconnectDelay.js';
import { Session, type EventMeta, type MrzCredentials, type SessionEventName } from './Session.js';
import { TypedEmitter } from './TypedEmitter.js';
import type { WebSocketConstructor, WebSocketLike } from './WebSocketLike.js';

/** What `hello` answers. */
export type HelloResult = MethodResult<'hello'>;

/** Options of {@link KycdClient}. Defaults are in {@link KYCD_CLIENT_DEFAULTS}. */
export interface KycdClientOptions {
  /** The daemon's endpoint. Default `ws://127.0.0.1:7450/v1`. */
  readonly url?: string;
  /** The pairing token printed by `kycd pair`. */
  readonly token: string;
  /** A WebSocket constructor. Default: `ws` in Node, the global `WebSocket` in browsers. */
  readonly WebSocket?: WebSocketConstructor;
  /** Backoff of automatic reconnection, or `false` to never reconnect. */
  readonly reconnect?: ReconnectOptions | false;
  /** Name and version of the POS software, sent with `hello` for the daemon log. */
  readonly clientInfo?: { readonly name: string; readonly version: string };
  /** How long a request may wait for its answer (including waiting for a reconnect). Default 30 000. */
  readonly requestTimeoutMs?: number;
  /** How long opening the socket and `hello` may take. Default 10 000. */
  readonly connectTimeoutMs?: number;
}

/** Default option values of {@link KycdClient}. */
export const KYCD_CLIENT_DEFAULTS = {
  url: DEFAULT_URL,
  reconnect: {
    initialDelayMs: 250,
    maxDelayMs: 10_000,
    factor: 2,
    jitter: 0.2,
    maxAttempts: Number.POSITIVE_INFINITY,
  },
  requestTimeoutMs: 30_000,
  connectTimeoutMs: 10_000,
} as const;

/** Connection state of a {@link KycdClient}. */
export type ClientState = 'idle' | 'connecting' | 'open' | 'reconnecting' | 'closed';

/** Why the socket closed, and whether the client will reconnect. */
export interface CloseInfo {
  readonly code: number;
  readonly reason: string;
  readonly willReconnect: boolean;
}

/** Listener signatures of a {@link KycdClient}: every protocol event plus the connection lifecycle. */
export type KycdClientEvents = {
  [E in EventName]: (data: EventData<E>, meta: EventMeta) => void;
} & {
  /** Connected and authenticated (after `connect()` and after every successful reconnect). */
  open: (hello: HelloResult) => void;
  /** The socket closed. */
  close: (info: CloseInfo) => void;
  /** A reconnect attempt is scheduled. */
  reconnecting: (info: { readonly attempt: number; readonly delayMs: number }) => void;
  /** A problem that no request or session owns: an off-schema frame, a failed resume, a failed reconnect attempt. */
  error: (error: KycdError) => void;
};

/** Close codes after which reconnecting is pointless: policy violation (bad token, no hello), and a closed client. */
const NO_RECONNECT_CLOSE_CODES = new Set([1008]);
/** Request codes after which reconnecting is pointless. */
const FATAL_HELLO_CODES = new Set<string>(['unauthenticated', 'forbidden']);
/** Finished sessions remembered for de-duplication of late events. */
const MAX_REMEMBERED_SESSIONS = 512;

interface Pending {
  readonly method: MethodName;
  readonly resolve: (result: unknown) => void;
  readonly reject: (error: KycdError) => void;
  readonly timer: ReturnType<typeof setTimeout>;
}

interface SessionTrack {
  lastSeq: number;
  final: boolean;
  session?: Session;
  /** Events seen before a Session object existed (bounded), handed to it when it is created. */
  early: Array<{ event: SessionEventName; data: unknown; seq: number }>;
}

/** Most events remembered for a session that has no Session object yet. */
const MAX_EARLY_EVENTS = 64;

interface Waiter {
  resolve: () => void;
  reject: (error: KycdError) => void;
}

/**
 * The kycd client for POS software, in Node and browsers. Connects to the daemon's WebSocket
 * API (subprotocol `kycd.v1`), authenticates with `hello`, sends typed requests, delivers
 * typed events, and reconnects automatically with backoff, resuming every open session from
 * the last seq it saw — no event is lost or delivered twice across a reconnect.
 *
 * @example
 * ```ts
 * import { KycdClient } from '@kycd/plugin-sdk';
 * const client = new KycdClient({ token: process.env.KYCD_TOKEN! });
 * await client.connect();
 * const session = await client.startSession({ consent: { accepted: true, textVersion: '2026-01' } });
 * session.on('face.guidance', (g) => show(g.message.en));
 * const result = await session.completed;
 * await session.confirmRegistration({ msisdn: '+8613800138000', operatorId: 'op-7' });
 * client.close();
 * ```
 */
export class KycdClient extends TypedEmitter<KycdClientEvents> {
  private readonly options: {
    url: string;
    token: string;
    WebSocket: WebSocketConstructor | undefined;
    reconnect: Required<ReconnectOptions> | false;
    clientInfo: { name: string; version: string } | undefined;
    requestTimeoutMs: number;
    connectTimeoutMs: number;
  };
  private ws: WebSocketLike | undefined;
  private stateValue: ClientState = 'idle';
  private helloValue: HelloResult | undefined;
  private nextId = 1;
  private readonly pending = new Map<RequestId, Pending>();
  private readonly tracks = new Map<string, SessionTrack>();
  private waiters: Waiter[] = [];
  private connecting: Promise<HelloResult> | undefined;
  private reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  private attempt = 0;

  constructor(options: KycdClientOptions) {
    super();
    if (typeof options !== 'object' || options === null)
      throw new TypeError('KycdClient options must be an object');
    if (typeof options.token !== 'string' || options.token.length === 0)
      throw new TypeError('options.token must be the pairing token from `kycd pair`');
    const url = options.url ?? KYCD_CLIENT_DEFAULTS.url;
    if (!/^wss?:\/\//i.test(url))
      throw new TypeError(`options.url must be a ws:// or wss:// URL, got ${JSON.stringify(url)}`);
    const requestTimeoutMs = options.requestTimeoutMs ?? KYCD_CLIENT_DEFAULTS.requestTimeoutMs;
    const connectTimeoutMs = options.connectTimeoutMs ?? KYCD_CLIENT_DEFAULTS.connectTimeoutMs;
    for (const [name, value] of [
      ['requestTimeoutMs', requestTimeoutMs],
      ['connectTimeoutMs', connectTimeoutMs],
    ] as const) {
      if (!Number.isFinite(value) || value <= 0)
        throw new RangeError(`options.${name} must be a positive number of milliseconds`);
    }
    let reconnect: Required<ReconnectOptions> | false = false;
    if (options.reconnect !== false) {
      reconnect = { ...KYCD_CLIENT_DEFAULTS.reconnect, ...(options.reconnect ?? {}) };
      if (!(reconnect.initialDelayMs >= 0) || !(reconnect.maxDelayMs >= reconnect.initialDelayMs))
        throw new RangeError('options.reconnect: need 0 ≤ initialDelayMs ≤ maxDelayMs');
      if (!(reconnect.factor >= 1)) throw new RangeError('options.reconnect.factor must be ≥ 1');
      if (!(reconnect.jitter >= 0 && reconnect.jitter <= 1))
        throw new RangeError('options.reconnect.jitter must be within 0..1');
      if (!(reconnect.maxAttempts >= 1))
        throw new RangeError('options.reconnect.maxAttempts must be ≥ 1');
    }
    this.options = {
      url,
      token: options.token,
      WebSocket: options.WebSocket,
      reconnect,
      clientInfo:
        options.clientInfo === undefined
          ? undefined
          : { name: options.clientInfo.name, version: options.clientInfo.version },
      requestTimeoutMs,
      connectTimeoutMs,
    };
  }

  /** The connection state. */
  get state(): ClientState {
    return this.stateValue;
  }

  /** What the last successful `hello` answered (daemon version, capabilities, devices, terminal). */
  get hello(): HelloResult | undefined {
    return this.helloValue;
  }

  /**
   * Open the socket with subprotocol `kycd.v1` and authenticate with `hello`. Rejects with
   * `connection_failed` when the daemon cannot be reached, or with the daemon's code (e.g.
   * `unauthenticated`) when it refuses the token; it does not retry — automatic reconnection
   * starts only after a connection was established once. Calling it while connected returns
   * the current hello result.
   */
  connect(): Promise<HelloResult> {
    if (this.stateValue === 'open' && this.helloValue !== undefined)
      return Promise.resolve(this.helloValue);
    if (this.connecting !== undefined) return this.connecting;
    this.stateValue = 'connecting';
    const attempt = this.openConnection().then(
      (hello) => {
        this.connecting = undefined;
        this.onConnected(hello);
        return hello;
      },
      (error: KycdError) => {
        this.connecting = undefined;
        if (this.stateValue === 'connecting') this.stateValue = 'idle';
        this.rejectWaiters(error);
        throw error;
      },
    );
    this.connecting = attempt;
    return attempt;
  }

  /**
   * Close the connection for good: pending requests reject with `connection_closed`, unsettled
   * sessions' `completed` rejects with `connection_closed`, no reconnect happens.
   */
  close(): void {
    if (this.stateValue === 'closed') return;
    this.stateValue = 'closed';
    if (this.reconnectTimer !== undefined) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = undefined;
    const error = new KycdError('connection_closed', 'the client was closed');
    this.rejectPending(error);
    this.rejectWaiters(error);
    for (const track of this.tracks.values()) track.session?.abandon(error);
    const ws = this.ws;
    this.ws = undefined;
    if (ws !== undefined) {
      detach(ws);
      if (ws.readyState === 0 || ws.readyState === 1) ws.close(1000, 'client closed');
      this.emit('close', { code: 1000, reason: 'client closed', willReconnect: false });
    }
  }

  /**
   * Send a request and await its result. Params are checked against the method's schema
   * before sending (failing with `invalid_params` locally), and the result against its result
   * schema (an off-contract answer rejects with `protocol_error`). While the client reconnects, the
   * request waits for the connection (within `requestTimeoutMs`). Rejects with a
   * {@link KycdError} carrying the daemon's code, or `connection_closed` / `request_timeout`.
   */
  request<M extends MethodName>(method: M, params: MethodParams<M>): Promise<MethodResult<M>> {
    return this.call(method, params);
  }

  /** `request` with a hook that runs synchronously when the result frame arrives, before any later frame. */
  private async call<M extends MethodName>(
    method: M,
    params: MethodParams<M>,
    onResult?: (result: MethodResult<M>) => void,
  ): Promise<MethodResult<M>> {
    const checked = validateParams(method, params);
    if (!checked.ok) {
      const first = checked.issues[0];
      throw new KycdError(
        'invalid_params',
        `invalid params for ${method}${first === undefined ? '' : `: ${first.path || '/'} ${first.message}`}`,
        {
          data: { issues: checked.issues, method },
        },
      );
    }
    const deadline = Date.now() + this.options.requestTimeoutMs;
    await this.whenOpen(this.options.requestTimeoutMs);
    return this.send(method, params, Math.max(1, deadline - Date.now()), onResult);
  }

  /** `devices.list`: the cameras and readers with their state. */
  async listDevices(): Promise<DeviceInfo[]> {
    return (await this.request('devices.list', {})).devices;
  }

  /**
   * `session.start`: start a session (consent required) and return its {@link Session}, which
   * the client keeps resumed across reconnects until it settles. Add the session's listeners
   * right after the promise resolves (in the same tick): events that arrive with the response
   * are held for them until the next macrotask.
   */
  async startSession(params: MethodParams<'session.start'>): Promise<Session> {
    let session: Session | undefined;
    await this.call('session.start', params, (snapshot) => {
      session = this.adopt(snapshot);
    });
    return session!;
  }

  /**
   * Attach to an existing session of this terminal (e.g. after the POS restarted): resumes it
   * with `afterSeq` (default 0, so every event is replayed to the returned Session in order).
   */
  async attachSession(sessionId: string, afterSeq = 0): Promise<Session> {
    const track = this.track(sessionId);
    track.lastSeq = Math.max(track.lastSeq, afterSeq);
    let session: Session | undefined;
    await this.call('session.resume', { sessionId, afterSeq }, ({ snapshot }) => {
      session = this.adopt({ ...snapshot, lastSeq: afterSeq });
    });
    return session!;
  }

  /** `session.get`: a session's snapshot. */
  getSession(sessionId: string): Promise<SessionSnapshot> {
    return this.request('session.get', { sessionId });
  }

  /** `session.cancel`. */
  cancelSession(sessionId: string, reason?: string): Promise<SessionSnapshot> {
    return this.request(
      'session.cancel',
      reason === undefined ? { sessionId } : { sessionId, reason },
    );
  }

  /** `session.provideMrz`: give the eMRTD access key when the session waits for it. */
  provideMrz(
    sessionId: string,
    credentials: MrzCredentials,
  ): Promise<MethodResult<'session.provideMrz'>> {
    return this.request('session.provideMrz', {
      ...credentials,
      sessionId,
    } as MethodParams<'session.provideMrz'>);
  }

  /** `session.confirmRegistration`: submit the registration. */
  confirmRegistration(
    params: MethodParams<'session.confirmRegistration'>,
  ): Promise<MethodResult<'session.confirmRegistration'>> {
    return this.request('session.confirmRegistration', params);
  }

  /** `session.review`: record an operator decision. */
  reviewSession(params: MethodParams<'session.review'>): Promise<SessionSnapshot> {
    return this.request('session.review', params);
  }

  /** Simulator control (`sim.*`), available when the daemon runs with `--sim`. */
  readonly sim = {
    insertDocument: (params: MethodParams<'sim.insertDocument'>) =>
      this.request('sim.insertDocument', params),
    removeDocument: () => this.request('sim.removeDocument', {}),
    presentFace: (params: MethodParams<'sim.presentFace'>) =>
      this.request('sim.presentFace', params),
    removeFace: () => this.request('sim.removeFace', {}),
    setCarrier: (mode: MethodParams<'sim.setCarrier'>['mode']) =>
      this.request('sim.setCarrier', { mode }),
    cameraFault: (mode: MethodParams<'sim.cameraFault'>['mode']) =>
      this.request('sim.cameraFault', { mode }),
    unplug: (deviceId: string) => this.request('sim.unplug', { deviceId }),
    plug: (deviceId: string) => this.request('sim.plug', { deviceId }),
  };

  // ---------------------------------------------------------------- connection

  private async openConnection(): Promise<HelloResult> {
    let Ctor: WebSocketConstructor;
    try {
      Ctor = this.options.WebSocket ?? (await defaultWebSocket());
    } catch (cause) {
      throw new KycdError('connection_failed', `no WebSocket implementation: ${describe(cause)}`, {
        cause,
      });
    }
    const ws = await new Promise<WebSocketLike>((resolve, reject) => {
      let socket: WebSocketLike;
      try {
        socket = new Ctor(this.options.url, PROTOCOL);
      } catch (cause) {
        reject(
          new KycdError(
            'connection_failed',
            `cannot open ${this.options.url}: ${describe(cause)}`,
            { cause },
          ),
        );
        return;
      }
      const timer = setTimeout(() => {
        detach(socket);
        safeClose(socket, 1000, 'connect timeout');
        reject(
          new KycdError(
            'connection_failed',
            `no connection to ${this.options.url} within ${this.options.connectTimeoutMs} ms`,
          ),
        );
      }, this.options.connectTimeoutMs);
      socket.onopen = () => {
        clearTimeout(timer);
        resolve(socket);
      };
      let failure = '';
      socket.onerror = (event) => {
        const message = (event as { message?: unknown } | null)?.message;
        if (typeof message === 'string') failure = message;
      };
      socket.onclose = (event) => {
        clearTimeout(timer);
        detach(socket);
        const why =
          failure === ''
            ? `close ${event.code}${event.reason ? `: ${event.reason}` : ''}`
            : failure;
        reject(
          new KycdError(
            'connection_failed',
            `cannot connect to ${this.options.url} (${why}); is the daemon running, and is this its kycd.v1 endpoint?`,
          ),
        );
      };
    });
    if (this.stateValue === 'closed') {
      detach(ws);
      safeClose(ws, 1000, 'client closed');
      throw new KycdError('connection_closed', 'the client was closed while connecting');
    }
    if (ws.protocol !== PROTOCOL) {
      detach(ws);
      safeClose(ws, 1002, 'subprotocol');
      throw new KycdError(
        'protocol_error',
        `the server at ${this.options.url} did not select subprotocol ${PROTOCOL} (got ${JSON.stringify(ws.protocol)})`,
      );
    }
    this.attach(ws);
    const params: MethodParams<'hello'> =
      this.options.clientInfo === undefined
        ? { token: this.options.token }
        : { token: this.options.token, client: this.options.clientInfo };
    try {
      return await this.send('hello', params, this.options.connectTimeoutMs);
    } catch (error) {
      if (this.ws === ws) {
        this.ws = undefined;
        detach(ws);
        safeClose(ws, 1000, 'hello failed');
      }
      throw error;
    }
  }

  private attach(ws: WebSocketLike): void {
    this.ws = ws;
    ws.onmessage = (event) => this.onFrame(event.data);
    ws.onerror = () => undefined; // the close that follows carries the information
    ws.onclose = (event) => this.onSocketClose(ws, event.code, event.reason);
  }

  private onConnected(hello: HelloResult): void {
    this.helloValue = hello;
    this.stateValue = 'open';
    this.attempt = 0;
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w.resolve();
    this.resumeSessions();
    this.emit('open', hello);
  }

  private onSocketClose(ws: WebSocketLike, code: number, reason: string): void {
    if (ws !== this.ws) return;
    this.ws = undefined;
    detach(ws);
    this.rejectPending(
      new KycdError(
        'connection_closed',
        `the connection closed (${code}${reason ? `: ${reason}` : ''}) before the daemon answered`,
      ),
    );
    // Only the drop of an established connection starts reconnecting. During connect() or a
    // reconnect attempt, the attempt's own failure handling decides (one timer at a time).
    if (this.stateValue !== 'open') return;
    const willReconnect =
      this.options.reconnect !== false &&
      !NO_RECONNECT_CLOSE_CODES.has(code) &&
      this.hasReconnectBudget();
    this.emit('close', { code, reason, willReconnect });
    if (willReconnect) this.scheduleReconnect();
    else
      this.giveUp(
        new KycdError(
          'connection_closed',
          `the connection closed (${code}${reason ? `: ${reason}` : ''})`,
        ),
      );
  }

  private hasReconnectBudget(): boolean {
    return this.options.reconnect !== false && this.attempt < this.options.reconnect.maxAttempts;
  }

  private scheduleReconnect(): void {
    const backoff = this.options.reconnect;
    if (backoff === false) return;
    this.stateValue = 'reconnecting';
    this.attempt++;
    const delayMs = reconnectDelay(this.attempt, backoff);
    this.emit('reconnecting', { attempt: this.attempt, delayMs });
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      if (this.stateValue !== 'reconnecting') return;
      this.openConnection().then(
        (hello) => {
          if (this.stateValue === 'reconnecting') this.onConnected(hello);
        },
        (error: KycdError) => {
          if (this.stateValue !== 'reconnecting') return;
          this.emit('error', error);
          if (FATAL_HELLO_CODES.has(error.code) || !this.hasReconnectBudget()) this.giveUp(error);
          else this.scheduleReconnect();
        },
      );
    }, delayMs);
  }

  private giveUp(error: KycdError): void {
    this.stateValue = 'closed';
    this.rejectWaiters(error);
    for (const track of this.tracks.values()) track.session?.abandon(error);
  }

  /** After (re)connecting: resume every unsettled session from the last seq seen. */
  private resumeSessions(): void {
    for (const [sessionId, track] of this.tracks) {
      if (track.final) continue;
      this.send(
        'session.resume',
        { sessionId, afterSeq: track.lastSeq },
        this.options.requestTimeoutMs,
      ).then(
        ({ snapshot }) => {
          // The daemon answers first and then replays the missed events: the snapshot may be ahead
          // of what this session has applied. Taking it now would make the session drop the
          // replayed events as already seen, so it is applied only once they are in.
          if (snapshot.lastSeq > track.lastSeq) return;
          track.session?.applySnapshot(snapshot);
          if (isSessionFinalState(snapshot.state)) track.final = true;
        },
        (error: KycdError) => {
          if (error.code === 'connection_closed') return; // the next reconnect retries
          track.final = true;
          track.session?.abandon(error);
          this.emit(
            'error',
            new KycdError(error.code, `could not resume session ${sessionId}: ${error.message}`, {
              data: { sessionId },
            }),
          );
        },
      );
    }
  }

  private whenOpen(timeoutMs: number): Promise<void> {
    if (this.stateValue === 'open') return Promise.resolve();
    if (this.stateValue === 'idle')
      return Promise.reject(
        new KycdError('connection_closed', 'not connected; call connect() first'),
      );
    if (this.stateValue === 'closed')
      return Promise.reject(new KycdError('connection_closed', 'the client is closed'));
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(
          new KycdError('request_timeout', `no connection to the daemon within ${timeoutMs} ms`),
        );
      }, timeoutMs);
      const waiter: Waiter = {
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      };
      this.waiters.push(waiter);
    });
  }

  private send<M extends MethodName>(
    method: M,
    params: MethodParams<M>,
    timeoutMs: number,
    onResult?: (result: MethodResult<M>) => void,
  ): Promise<MethodResult<M>> {
    const ws = this.ws;
    if (ws === undefined || ws.readyState !== 1)
      return Promise.reject(
        new KycdError('connection_closed', `cannot send ${method}: not connected`),
      );
    const id = this.nextId++;
    return new Promise<MethodResult<M>>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(
          new KycdError('request_timeout', `${method} got no answer within ${timeoutMs} ms`, {
            data: { method },
          }),
        );
      }, timeoutMs);
      const settle = (result: unknown): void => {
        if (onResult !== undefined) {
          try {
            onResult(result as MethodResult<M>);
          } catch (cause) {
            reject(
              new KycdError(
                'protocol_error',
                `cannot use the ${method} result: ${describe(cause)}`,
                { cause },
              ),
            );
            return;
          }
        }
        resolve(result as MethodResult<M>);
      };
      this.pending.set(id, { method, resolve: settle, reject, timer });
      try {
        ws.send(JSON.stringify({ id, method, params }));
      } catch (cause) {
        clearTimeout(timer);
        this.pending.delete(id);
        reject(
          new KycdError('connection_closed', `cannot send ${method}: ${describe(cause)}`, {
            cause,
          }),
        );
      }
    });
  }

  // ---------------------------------------------------------------- frames

  private onFrame(text: unknown): void {
    const frame = parseServerFrame(text);
    switch (frame.kind) {
      case 'result':
      case 'error': {
        const pending = frame.id === null ? undefined : this.pending.get(frame.id);
        if (pending === undefined) {
          if (frame.kind === 'error') this.emit('error', wireError(frame.error));
          return;
        }
        this.pending.delete(frame.id as RequestId);
        clearTimeout(pending.timer);
        if (frame.kind === 'error') {
          pending.reject(wireError(frame.error));
          return;
        }
        // The daemon's answers are checked like its events: an off-contract result is a bug to surface, not to use.
        const checked = validateResult(pending.method, frame.result, { tolerant: true });
        if (checked.ok) pending.resolve(frame.result);
        else {
          const first = checked.issues[0];
          pending.reject(
            new KycdError(
              'protocol_error',
              `the daemon answered ${pending.method} off-schema${first === undefined ? '' : ` at ${first.path || '/'}: ${first.message}`}`,
              {
                data: { method: pending.method, issues: checked.issues },
              },
            ),
          );
        }
        return;
      }
      case 'event':
        this.onEvent(frame.event, frame.data, frame.seq, frame.sessionId);
        return;
      case 'unknownEvent':
        return; // a newer daemon: ignore what this SDK does not know
      case 'invalid':
        this.emit('error', new KycdError('protocol_error', frame.reason));
        return;
    }
  }

  private onEvent(
    event: EventName,
    data: unknown,
    seq: number,
    sessionId: string | undefined,
  ): void {
    if (sessionId === undefined) {
      this.emit(event, ...([data, { seq }] as Parameters<KycdClientEvents[EventName]>));
      return;
    }
    const track = this.track(sessionId);
    if (seq <= track.lastSeq) return; // already delivered (replay overlap after a resume)
    track.lastSeq = seq;
    if (
      event === 'session.state' &&
      isSessionFinalState((data as EventData<'session.state'>).state)
    )
      track.final = true;
    this.emit(event, ...([data, { sessionId, seq }] as Parameters<KycdClientEvents[EventName]>));
    if (event === 'device.changed') return;
    if (track.session !== undefined)
      track.session.receive(event, data as EventData<SessionEventName>, seq);
    else {
      track.early.push({ event, data, seq });
      if (track.early.length > MAX_EARLY_EVENTS) track.early.shift();
    }
  }

  private track(sessionId: string): SessionTrack {
    let track = this.tracks.get(sessionId);
    if (track === undefined) {
      track = { lastSeq: 0, final: false, early: [] };
      this.tracks.set(sessionId, track);
      this.forgetOldSessions();
    }
    return track;
  }

  private forgetOldSessions(): void {
    if (this.tracks.size <= MAX_REMEMBERED_SESSIONS) return;
    for (const [id, track] of this.tracks) {
      if (this.tracks.size <= MAX_REMEMBERED_SESSIONS) break;
      if (track.final) this.tracks.delete(id);
    }
  }

  /**
   * Create (or update) the Session for a snapshot. Runs synchronously when the response frame
   * arrives, so every later event reaches the Session; events that arrived before the response
   * but after the snapshot was taken are handed over from the track's early buffer.
   */
  private adopt(snapshot: SessionSnapshot): Session {
    const track = this.track(snapshot.sessionId);
    const existing = track.session;
    if (existing !== undefined) {
      existing.applySnapshot(snapshot);
      return existing;
    }
    const session = new Session(this, snapshot);
    track.session = session;
    if (isSessionFinalState(snapshot.state) && snapshot.lastSeq >= track.lastSeq)
      track.final = true;
    const early = track.early;
    track.early = [];
    for (const e of early) session.receive(e.event, e.data as EventData<SessionEventName>, e.seq);
    track.lastSeq = Math.max(track.lastSeq, session.lastSeq);
    return session;
  }

  private rejectPending(error: KycdError): void {
    const pending = [...this.pending.values()];
    this.pending.clear();
    for (const p of pending) {
      clearTimeout(p.timer);
      p.reject(error);
    }
  }

  private rejectWaiters(error: KycdError): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w.reject(error);
  }
}

function wireError(error: {
  code: string;
  message: string;
  data?: Record<string, unknown>;
}): KycdError {
  return new KycdError(
    error.code as ErrorCode,
    error.message,
    error.data === undefined ? {} : { data: error.data },
  );
}

function detach(ws: WebSocketLike): void {
  ws.onopen = null;
  ws.onmessage = null;
  ws.onclose = null;
  ws.onerror = () => undefined;
}

function safeClose(ws: WebSocketLike, code: number, reason: string): void {
  try {
    if (ws.readyState === 0 || ws.readyState === 1) ws.close(code, reason);
  } catch {
    // closing a socket that is already failing: nothing left to do
  }
}

function describe(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}
