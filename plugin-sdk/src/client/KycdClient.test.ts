import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { KycdError } from '../errors/KycdError.js';
import type { EventData } from '../protocol/EVENTS.js';
import { FakeDaemon } from './__fixtures__/FakeDaemon.js';
import { KycdClient, type CloseInfo } from './KycdClient.js';

const consent = { accepted: true as const, textVersion: '2026-01' };
const fastReconnect = { initialDelayMs: 5, maxDelayMs: 20, jitter: 0 };

/** Poll until `predicate` holds (no timing assertions: the test timeout is the only bound). */
async function until(predicate: () => boolean): Promise<void> {
  while (!predicate()) await new Promise((r) => setTimeout(r, 2));
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

let daemon: FakeDaemon;
const clients: KycdClient[] = [];
function client(options: Partial<ConstructorParameters<typeof KycdClient>[0]> = {}): KycdClient {
  const c = new KycdClient({
    url: daemon.url,
    token: daemon.token,
    reconnect: fastReconnect,
    ...options,
  });
  c.on('error', () => undefined);
  clients.push(c);
  return c;
}

beforeEach(async () => {
  daemon = await FakeDaemon.start();
});
afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await daemon.close();
});

describe('KycdClient: connect and requests', () => {
  it('connects with subprotocol kycd.v1, sends hello with the token and client info', async () => {
    const c = client({ clientInfo: { name: 'pos', version: '3.1' } });
    const hello = await c.connect();
    expect(hello.protocol).toBe('kycd.v1');
    expect(hello.terminal.name).toBe('till-1');
    expect(c.state).toBe('open');
    expect(daemon.requests[0]).toEqual({
      method: 'hello',
      params: { token: daemon.token, client: { name: 'pos', version: '3.1' } },
    });
    expect(await c.connect()).toBe(hello);
  });

  it('rejects connect with the wire code for a bad token and does not reconnect', async () => {
    const c = client({ token: 'wrong' });
    const err = await rejection(c.connect());
    expect(err.code).toBe('unauthenticated');
    expect(c.state).toBe('idle');
  });

  it('rejects connect with connection_failed when nothing listens', async () => {
    const url = daemon.url;
    await daemon.close();
    const c = new KycdClient({ url, token: 't' });
    expect((await rejection(c.connect())).code).toBe('connection_failed');
    daemon = await FakeDaemon.start();
  });

  it('refuses a server that does not select kycd.v1', async () => {
    await daemon.close();
    daemon = await FakeDaemon.start({ protocol: 'other.v9' });
    const err = await rejection(client().connect());
    expect(err.code).toBe('connection_failed'); // ws itself refuses the handshake
    expect(err.message).toContain('subprotocol');
  });

  it('types results and turns error responses into KycdError with the wire code', async () => {
    const c = client();
    await c.connect();
    expect((await c.listDevices())[0]?.kind).toBe('camera');
    const err = await rejection(c.getSession('nope'));
    expect(err).toBeInstanceOf(KycdError);
    expect(err.code).toBe('not_found');
  });

  it('rejects an off-schema result with protocol_error', async () => {
    const c = client();
    await c.connect();
    daemon.devicesOverride = [{ id: 'cam0', kind: 'toaster' }];
    const err = await rejection(c.listDevices());
    expect(err.code).toBe('protocol_error');
    expect(err.message).toContain('devices.list');
  });

  it('checks params locally before sending', async () => {
    const c = client();
    await c.connect();
    const before = daemon.requests.length;
    const err = await rejection(
      c.request('session.start', {
        consent: { accepted: false as unknown as true, textVersion: 'v' },
      }),
    );
    expect(err.code).toBe('invalid_params');
    expect(err.message).toContain('/consent/accepted');
    expect(daemon.requests.length).toBe(before);
  });

  it('rejects requests before connect() and after close()', async () => {
    const c = client();
    expect((await rejection(c.listDevices())).code).toBe('connection_closed');
    await c.connect();
    c.close();
    expect((await rejection(c.listDevices())).code).toBe('connection_closed');
  });

  it('rejects a request the daemon never answers with request_timeout', async () => {
    const c = client({ requestTimeoutMs: 50 });
    await c.connect();
    daemon.silent.add('devices.list');
    expect((await rejection(c.listDevices())).code).toBe('request_timeout');
  });

  it('reports off-schema frames as protocol_error and keeps working', async () => {
    const c = client();
    const errors: KycdError[] = [];
    c.on('error', (e) => errors.push(e));
    await c.connect();
    daemon.broadcastRaw('not json');
    daemon.broadcastRaw(
      JSON.stringify({ event: 'session.state', data: { nope: 1 }, sessionId: 's1', seq: 1 }),
    );
    daemon.broadcastRaw(JSON.stringify({ event: 'from.the.future', data: {}, seq: 1 }));
    await until(() => errors.length >= 2);
    expect(errors.map((e) => e.code)).toEqual(['protocol_error', 'protocol_error']);
    expect((await c.listDevices()).length).toBe(1);
  });
});

describe('KycdClient: sessions', () => {
  it('delivers typed session events to the Session and the client, and resolves completed', async () => {
    const c = client();
    await c.connect();
    const session = await c.startSession({ consent });
    const challenges: Array<EventData<'liveness.challenge'>> = [];
    const seqs: number[] = [];
    session.on('liveness.challenge', (d) => challenges.push(d));
    c.on('session.state', (_d, meta) => seqs.push(meta.seq));
    daemon.publish(session.id, 'session.state', { state: 'face', step: 'face' });
    daemon.publish(session.id, 'liveness.challenge', {
      challenge: 'blink',
      index: 0,
      total: 2,
      deadlineMs: 5000,
    });
    daemon.publish(session.id, 'match.result', { score: 0.71, threshold: 0.45, decision: 'match' });
    daemon.publish(session.id, 'session.state', { state: 'completed', step: 'done' });
    const final = await session.completed;
    expect(final.state).toBe('completed');
    expect(final.match?.decision).toBe('match');
    expect(challenges).toEqual([{ challenge: 'blink', index: 0, total: 2, deadlineMs: 5000 }]);
    expect(seqs).toEqual([1, 4]);
    expect(session.lastSeq).toBe(4);
  });

  it('rejects completed with the failure reason code', async () => {
    const c = client();
    await c.connect();
    const session = await c.startSession({ consent });
    daemon.publish(session.id, 'session.state', {
      state: 'failed',
      step: 'match',
      reason: { code: 'session_face_no_match', message: 'different person' },
    });
    const err = await rejection(session.completed);
    expect(err.code).toBe('session_face_no_match');
    expect(err.data?.['sessionId']).toBe(session.id);
    expect(session.snapshot.failure?.code).toBe('session_face_no_match');
  });

  it('rejects completed with session_cancelled after cancel()', async () => {
    const c = client();
    await c.connect();
    const session = await c.startSession({ consent });
    await session.cancel('customer left');
    expect((await rejection(session.completed)).code).toBe('session_cancelled');
  });

  it('hands events that raced ahead of the session.start response to the Session', async () => {
    daemon.eventsBeforeStartResponse = [
      { event: 'session.state', data: { state: 'document', step: 'document' } },
    ];
    const c = client();
    await c.connect();
    const session = await c.startSession({ consent });
    const states: string[] = [];
    session.on('session.state', (d) => states.push(d.state));
    await until(() => states.length === 1);
    expect(states).toEqual(['document']);
    expect(session.state).toBe('document');
  });

  it('an unobserved failure is not an unhandled rejection', async () => {
    const c = client();
    await c.connect();
    const session = await c.startSession({ consent });
    daemon.publish(session.id, 'session.state', { state: 'expired', step: 'done' });
    await until(() => session.isSettled);
  });
});

describe('KycdClient: reconnect and resume', () => {
  it('survives a forced disconnect mid-session: resumes from the last seq, no event lost or duplicated', async () => {
    daemon.replayOverlap = 2; // the daemon re-sends two events the client already has
    const c = client();
    const closes: CloseInfo[] = [];
    let opens = 0;
    c.on('close', (info) => closes.push(info));
    c.on('open', () => opens++);
    await c.connect();
    const session = await c.startSession({ consent });
    const seen: number[] = [];
    const clientSeen: number[] = [];
    session.on('document.progress', (_d, meta) => seen.push(meta.seq));
    c.on('document.progress', (_d, meta) => clientSeen.push(meta.seq));
    const progress = (n: number): void =>
      void daemon.publish(session.id, 'document.progress', {
        file: 'DG2',
        bytesRead: n * 1000,
        totalBytes: 9000,
      });
    for (let i = 1; i <= 3; i++) progress(i);
    await until(() => seen.length === 3);

    daemon.dropAll();
    await until(() => c.state === 'reconnecting');
    for (let i = 4; i <= 5; i++) progress(i); // published while the client is away
    await until(() => c.state === 'open' && seen.length === 5);
    for (let i = 6; i <= 9; i++) progress(i); // live again
    daemon.publish(session.id, 'session.state', { state: 'completed', step: 'done' });
    await session.completed;

    expect(seen).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(clientSeen).toEqual(seen);
    expect(closes[0]?.willReconnect).toBe(true);
    expect(opens).toBe(2);
    const resume = daemon.requests.find((r) => r.method === 'session.resume');
    expect(resume?.params).toEqual({ sessionId: session.id, afterSeq: 3 });
  });

  it('applies the replay that follows the resume response even when it arrives in a later read', async () => {
    daemon.replayDelayMs = 30; // the response is handled before any replayed event arrives
    const c = client();
    await c.connect();
    const session = await c.startSession({ consent });
    const seen: number[] = [];
    session.on('document.progress', (_d, meta) => seen.push(meta.seq));
    const progress = (n: number): void =>
      void daemon.publish(session.id, 'document.progress', {
        file: 'DG2',
        bytesRead: n,
        totalBytes: 9,
      });
    progress(1);
    await until(() => seen.length === 1);
    daemon.dropAll();
    await until(() => c.state === 'reconnecting');
    for (let i = 2; i <= 4; i++) progress(i);
    await until(() => c.state === 'open' && seen.length === 4);
    daemon.publish(session.id, 'session.state', { state: 'completed', step: 'done' });
    expect((await session.completed).state).toBe('completed');
    expect(seen).toEqual([1, 2, 3, 4]);
    expect(session.lastSeq).toBe(5);
  });

  it('resumes across several drops in a row and keeps order', async () => {
    daemon.replayOverlap = 5;
    const c = client();
    await c.connect();
    const session = await c.startSession({ consent });
    const seen: number[] = [];
    session.on('document.progress', (_d, meta) => seen.push(meta.seq));
    let n = 0;
    for (let round = 0; round < 4; round++) {
      for (let i = 0; i < 3; i++)
        daemon.publish(session.id, 'document.progress', {
          file: 'DG1',
          bytesRead: ++n,
          totalBytes: 100,
        });
      daemon.dropAll();
      await until(() => c.state === 'open' && seen.length === n);
    }
    expect(seen).toEqual(Array.from({ length: n }, (_, i) => i + 1));
  });

  it('fails in-flight requests with connection_closed, and lets new ones wait for the reconnect', async () => {
    const c = client();
    await c.connect();
    daemon.silent.add('devices.list');
    const inflight = c.listDevices();
    await until(() => daemon.requests.some((r) => r.method === 'devices.list'));
    daemon.dropAll();
    expect((await rejection(inflight)).code).toBe('connection_closed');
    daemon.silent.delete('devices.list');
    await until(() => c.state === 'reconnecting' || c.state === 'open');
    expect((await c.listDevices()).length).toBe(1);
  });

  it('rejects a session whose resume the daemon refuses (not_found)', async () => {
    const c = client();
    await c.connect();
    const session = await c.startSession({ consent });
    (daemon as unknown as { sessions: Map<string, unknown> }).sessions.delete(session.id);
    daemon.dropAll();
    expect((await rejection(session.completed)).code).toBe('not_found');
  });

  it('does not reconnect after a policy close (1008) and rejects open sessions', async () => {
    const c = client();
    const closed: CloseInfo[] = [];
    c.on('close', (info) => closed.push(info));
    await c.connect();
    const session = await c.startSession({ consent });
    daemon.closeAll(1008, 'token revoked');
    expect((await rejection(session.completed)).code).toBe('connection_closed');
    expect(closed[0]).toMatchObject({ code: 1008, willReconnect: false });
    expect(c.state).toBe('closed');
  });

  it('retries one attempt at a time when the daemon dies during the hello of a reconnect', async () => {
    const c = client();
    const attempts: number[] = [];
    c.on('reconnecting', (r) => attempts.push(r.attempt));
    await c.connect();
    const session = await c.startSession({ consent });
    daemon.dropHellos = 3;
    daemon.dropAll();
    await until(() => c.state === 'open' && daemon.dropHellos === 0);
    expect(attempts).toEqual([1, 2, 3, 4]);
    expect(daemon.connections).toBe(1);
    daemon.publish(session.id, 'session.state', { state: 'completed', step: 'done' });
    await session.completed;
  });

  it('gives up after maxAttempts when the daemon stays away', async () => {
    const c = client({ reconnect: { ...fastReconnect, maxAttempts: 2 } });
    const attempts: number[] = [];
    c.on('reconnecting', (r) => attempts.push(r.attempt));
    await c.connect();
    const session = await c.startSession({ consent });
    await daemon.close();
    expect((await rejection(session.completed)).code).toBe('connection_failed');
    expect(attempts).toEqual([1, 2]);
    expect(c.state).toBe('closed');
    daemon = await FakeDaemon.start();
  });

  it('close() stops everything: no reconnect, completed rejects with connection_closed', async () => {
    const c = client();
    await c.connect();
    const session = await c.startSession({ consent });
    c.close();
    expect((await rejection(session.completed)).code).toBe('connection_closed');
    expect(c.state).toBe('closed');
    await until(() => daemon.connections === 0);
  });

  it('attachSession replays the whole session to a new client', async () => {
    const first = client();
    await first.connect();
    const s1 = await first.startSession({ consent });
    daemon.publish(s1.id, 'session.state', { state: 'document', step: 'document' });
    daemon.publish(s1.id, 'document.progress', { file: 'DG1', bytesRead: 10, totalBytes: 10 });
    const second = client();
    await second.connect();
    const s2 = await second.attachSession(s1.id);
    const seqs: number[] = [];
    s2.on('session.state', (_d, m) => seqs.push(m.seq));
    s2.on('document.progress', (_d, m) => seqs.push(m.seq));
    await until(() => seqs.length === 2);
    expect(seqs).toEqual([1, 2]);
  });
});

describe('KycdClient: options', () => {
  it('validates options synchronously', () => {
    expect(() => new KycdClient({ token: '' })).toThrow(TypeError);
    expect(() => new KycdClient({ token: 't', url: 'http://x' })).toThrow(TypeError);
    expect(() => new KycdClient({ token: 't', requestTimeoutMs: 0 })).toThrow(RangeError);
    expect(() => new KycdClient({ token: 't', reconnect: { jitter: 2 } })).toThrow(RangeError);
    expect(new KycdClient({ token: 't', reconnect: false }).state).toBe('idle');
  });
});
