import {
  EVENT_NAMES,
  KycdClient,
  KycdError,
  validateEvent,
  validateResult,
  type EventName,
  type WebSocketConstructor,
} from '@kycd/plugin-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { scriptedWiring } from '../helpers/scriptedWiring.js';
import { startTestDaemon, type TestDaemon } from '../helpers/startTestDaemon.js';
import { TcpCutter } from './TcpCutter.js';

const consent = { accepted: true as const, textVersion: '2026-01' };

async function until(predicate: () => boolean): Promise<void> {
  while (!predicate()) await new Promise((r) => setTimeout(r, 5));
}

async function rejection(promise: Promise<unknown>): Promise<KycdError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof KycdError) return err;
    throw err;
  }
  throw new Error('expected a rejection');
}

/** `ws` that presents the daemon's own Host header, so a connection through the TCP proxy passes the DNS-rebinding check. */
function wsWithHost(host: string): WebSocketConstructor {
  class HostWebSocket extends WebSocket {
    constructor(url: string, protocols?: string | string[]) {
      super(url, protocols, { headers: { host } });
    }
  }
  return HostWebSocket as unknown as WebSocketConstructor;
}

describe('KycdClient against the real daemon (scripted flow)', () => {
  let d: TestDaemon;
  let cutter: TcpCutter;
  const clients: KycdClient[] = [];
  const newClient = (
    options: Partial<ConstructorParameters<typeof KycdClient>[0]> = {},
  ): KycdClient => {
    const c = new KycdClient({
      url: d.url,
      token: d.token,
      reconnect: { initialDelayMs: 10, maxDelayMs: 50 },
      clientInfo: { name: 'sdk-test', version: '1' },
      ...options,
    });
    c.on('error', () => undefined);
    clients.push(c);
    return c;
  };

  beforeAll(async () => {
    d = await startTestDaemon({ wiring: scriptedWiring() });
    cutter = await TcpCutter.start(d.port);
  });
  afterAll(async () => {
    for (const c of clients) c.close();
    await cutter.close();
    await d.close();
  });

  it('connects, and every answer keeps the schema contract', async () => {
    const c = newClient();
    const hello = await c.connect();
    expect(validateResult('hello', hello)).toEqual({ ok: true });
    expect(hello.terminal.name).toBe('till-1');
    expect(validateResult('devices.list', { devices: await c.listDevices() })).toEqual({
      ok: true,
    });
    const session = await c.startSession({ consent });
    expect(validateResult('session.start', session.snapshot)).toEqual({ ok: true });
    expect(validateResult('session.get', await c.getSession(session.id))).toEqual({ ok: true });
    await session.cancel();
  });

  it('refuses a bad token with unauthenticated', async () => {
    expect(
      (await rejection(newClient({ token: 'not-a-token', reconnect: false }).connect())).code,
    ).toBe('unauthenticated');
  });

  it('drives a session: events reach the Session, provideMrz moves it, cancel rejects completed with session_cancelled', async () => {
    const c = newClient();
    await c.connect();
    const session = await c.startSession({ consent });
    const states: string[] = [];
    session.on('session.state', (data) => states.push(data.state));
    await until(() => session.state === 'document.waiting');
    expect(await session.provideMrz({ can: '123456' })).toEqual({ accepted: true });
    await until(() => states.includes('document.reading'));
    await session.cancel('customer left');
    const err = await rejection(session.completed);
    expect(err.code).toBe('session_cancelled');
    expect(states.at(-1)).toBe('cancelled');
  });

  it('surfaces wire errors as KycdError codes', async () => {
    const c = newClient();
    await c.connect();
    expect((await rejection(c.getSession('no-such-session'))).code).toBe('not_found');
    const session = await c.startSession({ consent });
    await session.cancel();
    await rejection(session.completed);
    const again = await rejection(
      c.request('session.provideMrz', { sessionId: session.id, can: '123456' }),
    );
    expect(['conflict', 'not_found']).toContain(again.code);
  });

  it('forced disconnect mid-session: reconnects, resumes from the last seq; no event lost or delivered twice', async () => {
    const c = newClient({
      url: `ws://127.0.0.1:${cutter.port}/v1`,
      WebSocket: wsWithHost(`127.0.0.1:${d.port}`),
    });
    const offContract: unknown[] = [];
    for (const name of EVENT_NAMES) {
      c.on(name as EventName, (data: unknown, meta: { sessionId?: string; seq: number }) => {
        const checked = validateEvent({
          event: name,
          data,
          ...(meta.sessionId === undefined ? {} : { sessionId: meta.sessionId }),
          seq: meta.seq,
        });
        if (!checked.ok) offContract.push({ name, issues: checked.issues });
      });
    }
    const hello = await c.connect();
    const session = await c.startSession({ consent });
    const seen: number[] = [];
    const record = (_data: unknown, meta: { seq: number }): void => void seen.push(meta.seq);
    session.on('session.state', record);
    session.on('document.progress', record);
    await until(() => session.state === 'document.waiting');
    const server = d.daemon.sessions.get(hello.terminal.id, session.id);
    const progress = (bytesRead: number): void =>
      void server.publish('document.progress', { file: 'DG2', bytesRead, totalBytes: 9000 });

    progress(1000);
    progress(2000);
    await until(() => session.lastSeq === server.log.lastSeq);

    let reconnected = 0;
    c.on('open', () => reconnected++);
    cutter.cut();
    await until(() => c.state !== 'open');
    progress(3000); // while the client is away
    progress(4000);
    await until(() => reconnected === 1 && session.lastSeq === server.log.lastSeq);
    progress(5000); // live again
    await session.cancel();
    await rejection(session.completed);

    const total = server.log.lastSeq;
    expect(seen).toEqual(Array.from({ length: total }, (_, i) => i + 1));
    expect(session.state).toBe('cancelled');
    expect(offContract).toEqual([]); // every event the daemon sent keeps the strict schema
  });
});
