import { REQUEST_ERROR_CODES } from '@kycd/plugin-sdk';
import type { Wiring } from '@kycd/daemon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { RawClient, type Frame } from '../helpers/RawClient.js';
import { scriptedWiring } from '../helpers/scriptedWiring.js';
import { startTestDaemon, type TestDaemon } from '../helpers/startTestDaemon.js';

const CONSENT = { accepted: true, textVersion: '2026-01' };

/** Every error code a RawClient of this file saw answered (the coverage check at the end reads it). */
const seenCodes = new Set<string>();
const originalWaitFor = RawClient.prototype.waitFor;
RawClient.prototype.waitFor = async function (
  this: RawClient,
  ...args: Parameters<RawClient['waitFor']>
): Promise<Frame> {
  const frame = await originalWaitFor.apply(this, args);
  if (frame.error !== undefined) seenCodes.add(frame.error.code);
  return frame;
};

/** A secret-looking path a failing service puts in its error: it must never reach the wire. */
const SECRET = '/var/lib/kycd/keys/signing-key.pem';

/** Scripted sessions whose flow throws an unexpected (non-KycdError) error when credentials arrive. */
function failingServiceWiring(): Wiring {
  const base = scriptedWiring();
  return {
    flowFactory: (deps) => {
      const factory = base.flowFactory(deps);
      return (session, start) => {
        const flow = factory(session, start);
        return {
          ...flow,
          send: (event) => {
            if (event.type === 'CREDENTIALS.PROVIDED')
              throw new TypeError(`cannot read ${SECRET}: unexpected end of data`);
            flow.send(event);
          },
        };
      };
    },
  };
}

describe('WebSocket API v1 contract', () => {
  let d: TestDaemon;
  beforeAll(async () => {
    d = await startTestDaemon({
      wiring: scriptedWiring(),
      config: {
        server: {
          helloTimeoutMs: 400,
          maxFrameBytes: 4096,
          allowedOrigins: ['https://pos.example'],
          rateLimit: { requestsPerSecond: 5, burst: 10 },
        },
      },
    });
  });
  afterAll(async () => d.close());

  describe('handshake', () => {
    it('answers hello with protocol, version, capabilities, devices and terminal', async () => {
      const c = await RawClient.connect(d.url);
      const res = await c.request('hello', { token: d.token });
      expect(res.result).toMatchObject({
        protocol: 'kycd.v1',
        capabilities: expect.arrayContaining(['sessions']),
        devices: [],
        terminal: { name: 'till-1' },
      });
      expect(typeof (res.result as { daemonVersion: string }).daemonVersion).toBe('string');
      c.close();
    });

    it('answers unauthenticated to anything before hello, and keeps the socket open', async () => {
      const c = await RawClient.connect(d.url);
      const res = await c.request('devices.list', {});
      expect(res.error?.code).toBe('unauthenticated');
      expect((await c.request('hello', { token: d.token })).result).toBeDefined();
      c.close();
    });

    it('closes with 1008 after repeated bad tokens', async () => {
      const c = await RawClient.connect(d.url);
      for (let i = 0; i < 3; i++)
        expect((await c.request('hello', { token: `bad-${i}` })).error?.code).toBe(
          'unauthenticated',
        );
      expect((await c.waitClose()).code).toBe(1008);
    });

    it('closes with 1008 when no hello comes in time', async () => {
      const c = await RawClient.connect(d.url);
      expect((await c.waitClose()).code).toBe(1008);
    });

    it('refuses a revoked token', async () => {
      const token = d.pair('till-revoked');
      d.daemon.store.terminals.revoke('till-revoked');
      const c = await RawClient.connect(d.url);
      expect((await c.request('hello', { token })).error?.code).toBe('unauthenticated');
      c.close();
    });

    it("closes a revoked terminal's live connections with 1008, and only those", async () => {
      const token = d.pair('till-revoked-live');
      const revoked = await RawClient.hello(d.url, token);
      const other = await RawClient.hello(d.url, d.token);
      // What `kycd tokens revoke` does from another process: mark the terminal revoked in the store.
      expect(d.daemon.store.terminals.revoke('till-revoked-live')).toBe(true);
      expect(await revoked.waitClose()).toEqual({ code: 1008, reason: 'terminal revoked' });
      expect(other.closed).toBeUndefined();
      expect((await other.request('devices.list', {})).result).toEqual({ devices: [] });
      other.close();
    });

    it('answers conflict to a second hello', async () => {
      const c = await RawClient.hello(d.url, d.token);
      expect((await c.request('hello', { token: d.token })).error?.code).toBe('conflict');
      c.close();
    });
  });

  describe('upgrade checks', () => {
    const refused = (
      url: string,
      protocols: string[],
      headers: Record<string, string>,
    ): Promise<number> =>
      new Promise((resolve, reject) => {
        const ws = new WebSocket(url, protocols, { headers });
        ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
        ws.on('open', () => reject(new Error('upgrade was accepted')));
        ws.on('error', () => undefined);
      });

    it('refuses a Host header that is not this daemon (DNS rebinding)', async () => {
      expect(await refused(d.url, ['kycd.v1'], { host: `evil.example:${d.port}` })).toBe(403);
    });

    it('refuses an Origin outside the allow-list, accepts one on it and none at all', async () => {
      expect(await refused(d.url, ['kycd.v1'], { origin: 'https://evil.example' })).toBe(403);
      const ok = await RawClient.connect(d.url, { headers: { origin: 'https://pos.example' } });
      ok.close();
      const native = await RawClient.connect(d.url);
      native.close();
    });

    it('accepts localhost as Host', async () => {
      const c = await RawClient.connect(d.url, { headers: { host: `localhost:${d.port}` } });
      c.close();
    });

    it('requires the kycd.v1 subprotocol and the /v1 path', async () => {
      expect(await refused(d.url, [], {})).toBe(400);
      expect(await refused(d.url.replace('/v1', '/v2'), ['kycd.v1'], {})).toBe(404);
    });
  });

  describe('malformed input', () => {
    it('answers each error code and never closes a healthy connection', async () => {
      const c = await RawClient.hello(d.url, d.token);
      c.sendRaw('{not json');
      expect((await c.waitFor((f) => f.error?.code === 'invalid_json')).id).toBeNull();
      c.sendRaw('[1,2,3]');
      await c.waitFor((f) => f.error?.code === 'invalid_request');
      expect((await c.request('no.such.method', {})).error?.code).toBe('unknown_method');
      expect((await c.request('session.get', { sessionId: 42 })).error?.code).toBe(
        'invalid_params',
      );
      expect((await c.request('sim.insertDocument', { kind: 'emrtd' })).error?.code).toBe(
        'forbidden',
      );
      c.sendRaw(Buffer.from([1, 2, 3]), true);
      await c.waitFor((f) => f.error?.code === 'invalid_request' && /binary/.test(f.error.message));
      expect(c.closed).toBeUndefined();
      expect((await c.request('devices.list', {})).result).toEqual({ devices: [] });
      c.close();
    });

    it('closes with 1009 when a frame exceeds the size limit', async () => {
      const c = await RawClient.hello(d.url, d.token);
      c.sendRaw(
        JSON.stringify({ id: 1, method: 'session.get', params: { sessionId: 'x'.repeat(5000) } }),
      );
      expect((await c.waitClose()).code).toBe(1009);
    });

    it('counts binary frames against the rate limit like any other frame', async () => {
      const c = await RawClient.hello(d.url, d.token);
      const before = c.frames.length;
      for (let i = 0; i < 30; i++) c.sendRaw(Buffer.from([i]), true);
      await c.waitFor(() => c.frames.length - before >= 30);
      const codes = c.frames.slice(before).map((f) => f.error?.code);
      expect(codes.filter((code) => code === 'rate_limited').length).toBeGreaterThan(10);
      expect(codes.every((code) => code === 'rate_limited' || code === 'invalid_request')).toBe(
        true,
      );
      // The binary flood used up the bucket: the next text request is limited too.
      expect((await c.request('devices.list', {})).error?.code).toBe('rate_limited');
      expect(c.closed).toBeUndefined();
      c.close();
    });

    it('answers rate_limited past the burst', async () => {
      const c = await RawClient.hello(d.url, d.token);
      const answers = await Promise.all(
        Array.from({ length: 30 }, () => c.request('devices.list', {})),
      );
      const limited = answers.filter((a) => a.error?.code === 'rate_limited').length;
      expect(limited).toBeGreaterThan(10);
      expect(answers.length - limited).toBeGreaterThanOrEqual(9);
      c.close();
    });
  });

  describe('sessions', () => {
    it('requires explicit consent', async () => {
      const c = await RawClient.hello(d.url, d.token);
      expect((await c.request('session.start', {})).error?.code).toBe('invalid_params');
      expect(
        (await c.request('session.start', { consent: { accepted: false, textVersion: '2026-01' } }))
          .error?.code,
      ).toBe('invalid_params');
      expect(
        (await c.request('session.start', { consent: { accepted: true, textVersion: 'unknown' } }))
          .error?.code,
      ).toBe('invalid_params');
      c.close();
    });

    it('starts, streams events with seq, refuses a second active session, cancels', async () => {
      const c = await RawClient.hello(d.url, d.token);
      const started = await c.request('session.start', { consent: CONSENT });
      const sessionId = (started.result as { sessionId: string }).sessionId;
      const ev = await c.event(
        'session.state',
        (f) => (f.data as { state: string }).state === 'document.waiting',
      );
      expect(ev).toMatchObject({ sessionId, seq: 1 });
      expect((await c.request('session.start', { consent: CONSENT })).error?.code).toBe('conflict');
      expect(
        (
          await c.request('session.confirmRegistration', {
            sessionId,
            msisdn: '+8613800138000',
            operatorId: 'op-1',
          })
        ).error?.code,
      ).toBe('conflict');
      const cancelled = await c.request('session.cancel', { sessionId });
      expect(cancelled.result).toMatchObject({ sessionId, state: 'cancelled' });
      expect((await c.event('session.state', (f) => f.seq === 2)).data).toMatchObject({
        state: 'cancelled',
        step: 'done',
      });
      // Cancelling a session in a final state answers conflict (docs/protocol.md, session.cancel).
      const again = await c.request('session.cancel', { sessionId });
      expect(again.error).toMatchObject({ code: 'conflict', data: { state: 'cancelled' } });
      c.close();
    });

    it('shows a terminal only its own sessions', async () => {
      const mine = await RawClient.hello(d.url, d.token);
      const other = await RawClient.hello(d.url, d.pair('till-other'));
      const started = await mine.request('session.start', { consent: CONSENT });
      const sessionId = (started.result as { sessionId: string }).sessionId;
      expect((await other.request('session.get', { sessionId })).error?.code).toBe('not_found');
      expect((await other.request('session.cancel', { sessionId })).error?.code).toBe('not_found');
      expect((await mine.request('session.get', { sessionId })).result).toMatchObject({
        sessionId,
      });
      await mine.request('session.cancel', { sessionId });
      mine.close();
      other.close();
    });

    it('resumes after a reconnect: every missed event once, in order', async () => {
      const first = await RawClient.hello(d.url, d.token);
      const started = await first.request('session.start', { consent: CONSENT });
      const sessionId = (started.result as { sessionId: string }).sessionId;
      await first.event('session.state');
      first.close();
      await first.waitClose();
      // The session moves on while nobody listens.
      const second = await RawClient.hello(d.url, d.token);
      await second.request('session.provideMrz', { sessionId, can: '123456' });
      const resumed = await second.request('session.resume', { sessionId, afterSeq: 1 });
      expect(resumed.result).toMatchObject({
        replayed: 1,
        snapshot: { sessionId, state: 'document.reading', lastSeq: 2 },
      });
      await second.event('session.state', (f) => f.seq === 2);
      const seqs = second.frames
        .filter((f) => f.event !== undefined && f.sessionId === sessionId)
        .map((f) => f.seq);
      expect(seqs).toEqual([2]);
      // The daemon answers first, then replays (docs/protocol.md, session.resume).
      const responseAt = second.frames.indexOf(resumed);
      const replayAt = second.frames.findIndex((f) => f.sessionId === sessionId && f.seq === 2);
      expect(responseAt).toBeGreaterThanOrEqual(0);
      expect(replayAt).toBeGreaterThan(responseAt);
      await second.request('session.cancel', { sessionId });
      await second.event('session.state', (f) => f.seq === 3);
      expect(second.frames.filter((f) => f.sessionId === sessionId).map((f) => f.seq)).toEqual([
        2, 3,
      ]);
      expect(
        (await second.request('session.resume', { sessionId, afterSeq: 99 })).error?.code,
      ).toBe('invalid_params');
      second.close();
    });

    it('answers not_found for unknown sessions', async () => {
      const c = await RawClient.hello(d.url, d.token);
      expect((await c.request('session.get', { sessionId: 'nope' })).error?.code).toBe('not_found');
      c.close();
    });
  });

  describe('session expiry', () => {
    it('ends an idle session as expired after session.expireAfterMs, and tells the client', async () => {
      const own = await startTestDaemon({
        wiring: scriptedWiring(),
        config: { session: { expireAfterMs: 1000 } },
      });
      try {
        const c = await RawClient.hello(own.url, own.token);
        const started = await c.request('session.start', { consent: CONSENT });
        const sessionId = (started.result as { sessionId: string }).sessionId;
        // Nobody does anything: the session waits for a document until it runs out of time.
        const expired = await c.event(
          'session.state',
          (f) => (f.data as { state: string }).state === 'expired',
        );
        expect(expired).toMatchObject({
          sessionId,
          data: { state: 'expired', step: 'done', reason: { code: 'session_expired' } },
        });
        expect((await c.request('session.get', { sessionId })).result).toMatchObject({
          state: 'expired',
          failure: { code: 'session_expired' },
        });
        expect((await c.request('session.cancel', { sessionId })).error?.code).toBe('conflict');
        expect(own.daemon.store.sessions.get(sessionId)).toMatchObject({ state: 'expired' });
        c.close();
      } finally {
        await own.close();
      }
    });
  });

  describe('forbidden, device_unavailable, internal', () => {
    it('answers forbidden (not unknown_method) to sim.* on a daemon started without --sim, with the id, whatever the params', async () => {
      const c = await RawClient.hello(d.url, d.token);
      const res = await c.request('sim.setCarrier', { mode: 'stall' });
      expect(res.error).toMatchObject({ code: 'forbidden', data: { method: 'sim.setCarrier' } });
      expect(res.error?.message).toContain('--sim');
      expect((await c.request('sim.plug', { wrong: true })).error?.code).toBe('forbidden');
      expect((await c.request('sim.noSuchThing', {})).error?.code).toBe('unknown_method');
      expect(c.closed).toBeUndefined();
      c.close();
    });

    it('answers device_unavailable to session.start while every camera or reader is absent or failed', async () => {
      const own = await startTestDaemon({ wiring: scriptedWiring() });
      try {
        const { devices } = own.daemon;
        devices.add(
          { id: 'cam-1', kind: 'camera', name: 'test camera', simulated: true },
          { attached: false },
        );
        devices.add({ id: 'reader-1', kind: 'pcsc-reader', name: 'test reader', simulated: true });
        const c = await RawClient.hello(own.url, own.token);
        const refused = await c.request('session.start', { consent: CONSENT });
        expect(refused.error).toMatchObject({
          code: 'device_unavailable',
          data: {
            missing: [
              { need: 'camera', devices: [{ id: 'cam-1', kind: 'camera', state: 'absent' }] },
            ],
          },
        });
        // Asking only for a passport/eID (the reader is fine): the camera is still missing.
        expect(
          (await c.request('session.start', { consent: CONSENT, documentKinds: ['emrtd'] })).error
            ?.code,
        ).toBe('device_unavailable');
        devices.attach('cam-1');
        await c.event(
          'device.changed',
          (f) =>
            (f.data as { device: { id: string; state: string } }).device.id === 'cam-1' &&
            (f.data as { device: { state: string } }).device.state !== 'absent',
        );
        const started = await c.request('session.start', { consent: CONSENT });
        expect(started.error).toBeUndefined();
        await c.request('session.cancel', {
          sessionId: (started.result as { sessionId: string }).sessionId,
        });
        // The reader fails and is given up: no session can read a document.
        devices.detach('reader-1');
        await c.event(
          'device.changed',
          (f) =>
            (f.data as { device: { id: string; state: string } }).device.id === 'reader-1' &&
            (f.data as { device: { state: string } }).device.state === 'absent',
        );
        const noReader = await c.request('session.start', { consent: CONSENT });
        expect(noReader.error).toMatchObject({
          code: 'device_unavailable',
          data: { missing: [{ need: 'documentReader' }] },
        });
        c.close();
      } finally {
        await own.close();
      }
    });

    it('answers internal to an unexpected handler failure: no stack or secret on the wire, the connection stays healthy', async () => {
      const own = await startTestDaemon({ wiring: failingServiceWiring() });
      try {
        const c = await RawClient.hello(own.url, own.token);
        const started = await c.request('session.start', { consent: CONSENT });
        const sessionId = (started.result as { sessionId: string }).sessionId;
        await c.event(
          'session.state',
          (f) => (f.data as { state: string }).state === 'document.waiting',
        );
        const failed = await c.request('session.provideMrz', { sessionId, can: '123456' });
        expect(failed.id).toBeDefined();
        expect(failed.error).toEqual({
          code: 'internal',
          message: 'internal error; see the daemon log',
        });
        const wire = JSON.stringify(c.frames);
        expect(wire).not.toContain(SECRET);
        expect(wire).not.toMatch(/TypeError|\.ts:\d+|\bat /);
        // The details are in the daemon log, for the operator.
        expect(
          own.logs.some((l) => l.includes(SECRET) && l.includes('request failed unexpectedly')),
        ).toBe(true);
        // Same connection, next request: still served.
        expect(c.closed).toBeUndefined();
        expect((await c.request('devices.list', {})).result).toEqual({ devices: [] });
        expect((await c.request('session.cancel', { sessionId })).result).toMatchObject({
          state: 'cancelled',
        });
        c.close();
      } finally {
        await own.close();
      }
    });
  });

  it('has answered every wire error code of the registry somewhere above', () => {
    expect([...REQUEST_ERROR_CODES].filter((code) => !seenCodes.has(code))).toEqual([]);
  });
});
