import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { createLogger, parseConfig, startDaemon, type Session, type Wiring } from '@kycd/daemon';
import WebSocket, { WebSocketServer } from 'ws';
import { quantile, type BenchContext } from './harness.js';

const CONSENT = { accepted: true, textVersion: '2026-01' };
/** What a fanned-out event looks like on the wire (a guidance hint, the most frequent event). */
const GUIDANCE = { code: 'face_too_far', message: { en: 'Move closer', 'zh-CN': '请靠近一点' } };

/**
 * `pnpm bench api [--json] [--quick]`: round trip of `session.get` with 1 and 50 clients against
 * a bare `ws` echo server in the same process (the floor), and how fast one session's events
 * fan out to 20 subscribers against a bare `ws` broadcast of the same frames (its floor). Both
 * servers are warmed up, and floor and daemon are measured in alternating slices so drift on a
 * busy machine hits both alike.
 *
 * Targets (PASS/FAIL printed): p99 within 2× the floor; ≥ 20 000 event deliveries/s fanned out
 * (on 2 cores).
 */
export default async function bench(ctx: BenchContext): Promise<void> {
  const quick = ctx.args.includes('--quick');
  const sessions: Session[] = [];
  const wiring: Wiring = {
    flowFactory: () => (session) => {
      sessions.push(session);
      return { accepts: () => true, send: () => undefined, stop: () => undefined };
    },
  };
  const dataDir = mkdtempSync(join(tmpdir(), 'kycd-bench-'));
  const logger = createLogger({
    level: 'warn',
    destination: new Writable({ write: (_c, _e, cb) => cb() }),
    pretty: false,
  });
  const config = parseConfig({
    server: { port: 0, maxConnections: 1000, rateLimit: { requestsPerSecond: 1e9, burst: 1e9 } },
    session: { maxActivePerTerminal: 1000 },
  });
  const daemon = await startDaemon({ config, dataDir, logger, ...wiring });
  const token = daemon.store.terminals.pair('bench').token;
  const echo = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false });
  echo.on('connection', (ws) => ws.on('message', (m) => ws.send(String(m))));
  await new Promise((r) => echo.once('listening', r));
  const echoUrl = `ws://127.0.0.1:${(echo.address() as { port: number }).port}`;

  try {
    for (const clients of [1, 50]) {
      // Requests per client, in slices alternating floor / daemon. One client gets 10 000 so its
      // p99 rests on 100 samples, not on a handful of scheduler hiccups.
      const perClient = quick ? (clients === 1 ? 300 : 20) : clients === 1 ? 10_000 : 200;
      const slices = 20;
      const floorClients = await openMany(echoUrl, clients, []);
      const kycdClients = await openMany(daemon.url, clients, ['kycd.v1']);
      for (const ws of kycdClients) await call(ws, { id: 0, method: 'hello', params: { token } });
      const started = await call(kycdClients[0]!, {
        id: 0,
        method: 'session.start',
        params: { consent: CONSENT },
      });
      const sessionId = (started as { result: { sessionId: string } }).result.sessionId;
      const floorFrame = (i: number): object => ({
        id: i,
        method: 'session.get',
        params: { sessionId },
      });
      const kycdFrame = floorFrame;

      ctx.log(`round trips, ${clients} client(s): warming up`);
      await roundTrips(floorClients, Math.ceil(perClient / 5), floorFrame);
      await roundTrips(kycdClients, Math.ceil(perClient / 5), kycdFrame);
      const floor: number[] = [];
      const kycd: number[] = [];
      for (let slice = 0; slice < slices; slice++) {
        const n = Math.ceil(perClient / slices);
        // Alternate which goes first so neither always runs right after the other's GC.
        const order = slice % 2 === 0 ? [true, false] : [false, true];
        for (const isFloor of order) {
          if (isFloor) floor.push(...(await roundTrips(floorClients, n, floorFrame)));
          else kycd.push(...(await roundTrips(kycdClients, n, kycdFrame)));
        }
      }
      for (const [name, q] of [
        ['p50', 0.5],
        ['p99', 0.99],
      ] as const) {
        ctx.report({
          metric: `session.get round trip ${name}, ${clients} client(s)`,
          value: quantile(kycd, q),
          unit: 'ms',
          baseline: quantile(floor, q),
          note: `baseline: bare ws echo, same process; ${kycd.length} + ${floor.length} samples, interleaved`,
          ...(name === 'p99'
            ? { target: { maxRatio: 2, description: 'p99 ≤ 2× the bare ws floor' } }
            : {}),
        });
      }
      await call(kycdClients[0]!, { id: 1, method: 'session.cancel', params: { sessionId } });
      for (const ws of [...floorClients, ...kycdClients]) ws.close();
    }

    // Fan-out: 20 subscribers of one session; each event is serialised once and sent to all.
    const subscribers = 20;
    const events = quick ? 1000 : 5000;
    const fanClients = await openMany(daemon.url, subscribers, ['kycd.v1']);
    for (const ws of fanClients) await call(ws, { id: 0, method: 'hello', params: { token } });
    const start = await call(fanClients[0]!, {
      id: 1,
      method: 'session.start',
      params: { consent: CONSENT },
    });
    const sessionId = (start as { result: { sessionId: string } }).result.sessionId;
    for (const ws of fanClients.slice(1))
      await call(ws, { id: 2, method: 'session.resume', params: { sessionId, afterSeq: 0 } });
    const session = sessions.at(-1)!;
    await received(fanClients, 1, () => session.publish('face.guidance', GUIDANCE)); // settle the subscriptions
    const frame = JSON.stringify({ event: 'face.guidance', data: GUIDANCE, sessionId, seq: 1 });

    const floorServer = new WebSocketServer({
      host: '127.0.0.1',
      port: 0,
      perMessageDeflate: false,
    });
    await new Promise((r) => floorServer.once('listening', r));
    const floorFan = await openMany(
      `ws://127.0.0.1:${(floorServer.address() as { port: number }).port}`,
      subscribers,
      [],
    );
    const broadcast = (): void => {
      for (const ws of floorServer.clients) ws.send(frame);
    };

    ctx.log('fan-out: warming up');
    await received(floorFan, events / 5, broadcast);
    await received(fanClients, events / 5, () => session.publish('face.guidance', GUIDANCE));
    const slices = 4;
    let floorSeconds = 0;
    let kycdSeconds = 0;
    for (let slice = 0; slice < slices; slice++) {
      const n = events / slices;
      const order = slice % 2 === 0 ? [true, false] : [false, true];
      for (const isFloor of order) {
        if (isFloor) floorSeconds += await received(floorFan, n, broadcast);
        else
          kycdSeconds += await received(fanClients, n, () =>
            session.publish('face.guidance', GUIDANCE),
          );
      }
    }
    const note = `${subscribers} subscribers, ${events} events; baseline: bare ws broadcast of the same frame, interleaved`;
    ctx.report({
      metric: `fan-out: distinct events/s (each to ${subscribers} subscribers)`,
      value: events / kycdSeconds,
      unit: 'events/s',
      baseline: events / floorSeconds,
      note,
    });
    ctx.report({
      metric: `fan-out: deliveries/s (events × ${subscribers} subscribers)`,
      value: (events * subscribers) / kycdSeconds,
      unit: 'deliveries/s',
      baseline: (events * subscribers) / floorSeconds,
      note,
      target: { min: 20_000, description: '≥ 20 000 events/s fanned out (deliveries), 2 cores' },
    });
    for (const ws of [...fanClients, ...floorFan]) ws.close();
    floorServer.close();
  } finally {
    echo.close();
    await daemon.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function openMany(url: string, n: number, protocols: string[]): Promise<WebSocket[]> {
  return Promise.all(
    Array.from(
      { length: n },
      () =>
        new Promise<WebSocket>((resolve, reject) => {
          const ws = new WebSocket(url, protocols, { perMessageDeflate: false });
          ws.once('open', () => resolve(ws));
          ws.once('error', reject);
        }),
    ),
  );
}

function call(ws: WebSocket, frame: object): Promise<unknown> {
  return new Promise((resolve) => {
    ws.once('message', (m) => resolve(JSON.parse(String(m))));
    ws.send(JSON.stringify(frame));
  });
}

/** Every client sends `perClient` sequential requests, concurrently with the others; ms per round trip. */
async function roundTrips(
  clients: readonly WebSocket[],
  perClient: number,
  frame: (i: number) => object,
): Promise<number[]> {
  const samples: number[] = [];
  await Promise.all(
    clients.map(async (ws) => {
      for (let i = 0; i < perClient; i++) {
        const t0 = performance.now();
        await call(ws, frame(i));
        samples.push(performance.now() - t0);
      }
    }),
  );
  return samples;
}

/** Run `send` `n` times and wait until every client got `n` messages; seconds taken. */
async function received(
  clients: readonly WebSocket[],
  n: number,
  send: () => void,
): Promise<number> {
  let left = n * clients.length;
  const listeners = new Map<WebSocket, () => void>();
  const done = new Promise<void>((resolve) => {
    for (const ws of clients) {
      const onMessage = (): void => {
        if (--left === 0) resolve();
      };
      listeners.set(ws, onMessage);
      ws.on('message', onMessage);
    }
  });
  const t0 = performance.now();
  for (let i = 0; i < n; i++) send();
  await done;
  const seconds = (performance.now() - t0) / 1000;
  for (const [ws, onMessage] of listeners) ws.off('message', onMessage);
  return seconds;
}
