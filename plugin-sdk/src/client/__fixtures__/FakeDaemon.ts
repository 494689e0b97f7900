import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { parseClientFrame } from '../../protocol/parseClientFrame.js';
import { PROTOCOL } from '../../protocol/protocolConstants.js';
import type { SessionSnapshot } from '../../protocol/schemas/SessionSnapshot.js';

interface FakeSession {
  snapshot: SessionSnapshot;
  log: string[];
  subscribers: Set<WebSocket>;
}

/**
 * An in-process stand-in for the daemon's WebSocket API, for client unit tests: hello with a
 * token, sessions with a per-session event log and seq, session.resume replay, and knobs to
 * misbehave (drop every connection, replay overlapping events, send events before responses).
 */
export class FakeDaemon {
  readonly token = 'good-token';
  readonly requests: Array<{ method: string; params: unknown }> = [];
  /** Extra already-delivered events re-sent on resume (duplicates the client must drop). */
  replayOverlap = 0;
  /** Send a resume's replay this long after its response (the response and the replay arrive in separate reads). */
  replayDelayMs = 0;
  /** Events to publish for a new session before answering session.start. */
  eventsBeforeStartResponse: Array<{ event: string; data: unknown }> = [];
  /** Kill the connection instead of answering this many hellos (a daemon that dies mid-handshake). */
  dropHellos = 0;
  /** Answer devices.list with this instead of the fake camera. */
  devicesOverride: unknown[] | undefined;
  /** Do not answer these methods at all. */
  readonly silent = new Set<string>();
  private readonly sessions = new Map<string, FakeSession>();
  private nextSession = 1;
  private constructor(private readonly wss: WebSocketServer) {
    wss.on('connection', (ws) => this.onConnection(ws));
  }

  static async start(options: { protocol?: string } = {}): Promise<FakeDaemon> {
    const wss = new WebSocketServer({
      host: '127.0.0.1',
      port: 0,
      handleProtocols: (protocols) =>
        protocols.has(PROTOCOL) ? (options.protocol ?? PROTOCOL) : false,
    });
    await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
    return new FakeDaemon(wss);
  }

  get url(): string {
    return `ws://127.0.0.1:${(this.wss.address() as AddressInfo).port}/v1`;
  }

  get connections(): number {
    return this.wss.clients.size;
  }

  session(id: string): FakeSession {
    const s = this.sessions.get(id);
    if (s === undefined) throw new Error(`no session ${id}`);
    return s;
  }

  /** Append an event to a session's log and send it to its subscribers. */
  publish(sessionId: string, event: string, data: unknown): number {
    const s = this.session(sessionId);
    const seq = s.log.length + 1;
    const frame = JSON.stringify({ event, data, sessionId, seq });
    s.log.push(frame);
    s.snapshot = { ...s.snapshot, lastSeq: seq };
    if (event === 'session.state') {
      const d = data as {
        state: string;
        step: SessionSnapshot['step'];
        reason?: { code: string; message: string };
      };
      s.snapshot = {
        ...s.snapshot,
        state: d.state,
        step: d.step,
        ...(d.reason === undefined ? {} : { failure: d.reason }),
      };
    }
    for (const ws of s.subscribers) if (ws.readyState === ws.OPEN) ws.send(frame);
    return seq;
  }

  /** Send a raw frame to every connection. */
  broadcastRaw(text: string): void {
    for (const ws of this.wss.clients) ws.send(text);
  }

  /** Kill every connection abruptly (no close frame), like a crash or a network cut. */
  dropAll(): void {
    for (const ws of this.wss.clients) ws.terminate();
    for (const s of this.sessions.values()) s.subscribers.clear();
  }

  /** Close every connection with a code. */
  closeAll(code: number, reason: string): void {
    for (const ws of this.wss.clients) ws.close(code, reason);
  }

  async close(): Promise<void> {
    for (const ws of this.wss.clients) ws.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  private onConnection(ws: WebSocket): void {
    let authenticated = false;
    ws.on('message', (raw) => {
      const parsed = parseClientFrame(String(raw), { sim: true });
      if (!parsed.ok) {
        ws.send(JSON.stringify({ id: parsed.id ?? null, error: parsed.error }));
        return;
      }
      const { id, method, params } = parsed.request;
      this.requests.push({ method, params });
      if (this.silent.has(method)) return;
      const reply = (result: unknown): void => ws.send(JSON.stringify({ id, result }));
      const fail = (code: string, message: string): void =>
        ws.send(JSON.stringify({ id, error: { code, message } }));
      if (method === 'hello') {
        if (this.dropHellos > 0) {
          this.dropHellos--;
          ws.terminate();
          return;
        }
        if (params.token !== this.token) return fail('unauthenticated', 'unknown token');
        authenticated = true;
        return reply({
          protocol: PROTOCOL,
          daemonVersion: '0.0.0-fake',
          capabilities: ['sim'],
          devices: [],
          terminal: { id: 't1', name: 'till-1' },
        });
      }
      if (!authenticated) return fail('unauthenticated', 'hello first');
      switch (method) {
        case 'session.start': {
          const sessionId = `s${this.nextSession++}`;
          const now = new Date().toISOString();
          const s: FakeSession = {
            snapshot: {
              sessionId,
              state: 'consent',
              step: 'consent',
              createdAt: now,
              updatedAt: now,
              expiresAt: now,
              lastSeq: 0,
            },
            log: [],
            subscribers: new Set([ws]),
          };
          this.sessions.set(sessionId, s);
          const snapshot = s.snapshot;
          for (const e of this.eventsBeforeStartResponse) this.publish(sessionId, e.event, e.data);
          return reply(snapshot);
        }
        case 'session.get':
        case 'session.cancel': {
          const s = this.sessions.get(params.sessionId);
          if (s === undefined) return fail('not_found', 'no such session');
          if (method === 'session.cancel')
            this.publish(params.sessionId, 'session.state', {
              state: 'cancelled',
              step: 'done',
              reason: { code: 'session_cancelled', message: 'cancelled by the POS' },
            });
          return reply(s.snapshot);
        }
        case 'session.resume': {
          const s = this.sessions.get(params.sessionId);
          if (s === undefined) return fail('not_found', 'no such session');
          s.subscribers.add(ws);
          const from = Math.max(0, params.afterSeq - this.replayOverlap);
          const replay = s.log.slice(from);
          reply({ snapshot: s.snapshot, replayed: replay.length });
          const sendReplay = (): void => {
            for (const frame of replay) ws.send(frame);
          };
          if (this.replayDelayMs > 0) setTimeout(sendReplay, this.replayDelayMs);
          else sendReplay();
          return;
        }
        case 'devices.list':
          return reply({
            devices: this.devicesOverride ?? [
              { id: 'cam0', kind: 'camera', name: 'Fake camera', state: 'ready', simulated: true },
            ],
          });
        default:
          return fail('conflict', `${method} is not supported by the fake daemon`);
      }
    });
  }
}
