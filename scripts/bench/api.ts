import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { createLogger, parseConfig, startDaemon, type Session, type Wiring } from '@kycd/daemon';
import WebSocket, { WebSocketServer } from 'ws';
import { quantile, type BenchContext } from './harness.js';

/**
 * `pnpm bench api`: round trip of `session.get` with 1 and 50 clients beside a bare `ws` echo
 * server (the floor), and the rate at which one session's events fan out to its subscribers.
 * Targets: p99 within 2× the floor; ≥ 20 000 events/s fanned out.
 */
export default async function bench(ctx: BenchContext): Promise<void> {
  const sessions: Session[] = [];
  const wiring: Wiring = {
    flowFactory: () => (session) => {
      sessions.push(session);
      return { accepts: () => true, send: () => undefined, stop: () => undefined };
    },
  };
  const dataDir = mkdtempSync(join(tmpdir(), 'kycd-bench-'));
  const logger = createLogger({ level: 'warn', destination: new Writable({ write: (_c, _e, cb) => cb() }), pretty: false });
  const config = parseConfig({ server: { port: 0, rateLimit: { requestsPerSecond: 1e9, burst: 1e9 } }, session: { maxActivePerTerminal: 1000 } });
  const daemon = await startDaemon({ config, dataDir, logger, ...wiring });
  const token = daemon.store.terminals.pair('bench').token;
  const echo = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  echo.on('connection', (ws) => ws.on('message', (m) => ws.send(String(m))));
  await new Promise((r) => echo.once('listening', r));
  const echoUrl = `ws://127.0.0.1:${(echo.address() as { port: number }).port}`;

  try {
    for (const clients of [1, 50]) {
      const requests = clients === 1 ? 3000 : 100;
      const floor = await roundTrips(await openMany(echoUrl, clients, []), requests, () => ({ id: 1, method: 'echo' }));
      const kycdClients = await openMany(daemon.url, clients, ['kycd.v1']);
      for (const ws of kycdClients) await call(ws, { id: 0, method: 'hello', params: { token } });
      const started = await call(kycdClients[0]!, { id: 0, method: 'session.start', params: { consent: { accepted: true, textVersion: '2026-01' } } });
      const sessionId = (started as { result: { sessionId: string } }).result.sessionId;
      const kycd = await roundTrips(kycdClients, requests, (i) => ({ id: i, method: 'session.get', params: { sessionId } }));
      for (const q of [0.5, 0.99] as const) {
        const name = q === 0.5 ? 'p50' : 'p99';
        ctx.report({ metric: `session.get round trip ${name}, ${clients} client(s)`, value: quantile(kycd, q), unit: 'ms', baseline: quantile(floor, q), note: 'baseline: bare ws echo' });
      }
      for (const ws of kycdClients) ws.close();
      await call(undefined, undefined);
    }

    // Fan-out: 20 subscribers of one session, each event serialised once and sent to all.
    const subscribers = 20;
    const fanClients = await openMany(daemon.url, subscribers, ['kycd.v1']);
    for (const ws of fanClients) await call(ws, { id: 0, method: 'hello', params: { token } });
    const start = await call(fanClients[0]!, { id: 1, method: 'session.start', params: { consent: { accepted: true, textVersion: '2026-01' } } });
    const sessionId = (start as { result: { sessionId: string } }).result.sessionId;
    for (const ws of fanClients.slice(1)) await call(ws, { id: 2, method: 'session.resume', params: { sessionId, afterSeq: 0 } });
    const session = sessions.at(-1)!;
    const events = 5000;
    let received = 0;
    const done = new Promise<void>((resolve) => {
      for (const ws of fanClients)
        ws.on('message', () => {
          if (++received === events * subscribers) resolve();
        });
    });
    const t0 = performance.now();
    for (let i = 0; i < events; i++) session.publish('face.guidance', { code: 'face_too_far', message: { en: 'Move closer', 'zh-CN': '请靠近一点' } });
    await done;
    const seconds = (performance.now() - t0) / 1000;
    ctx.report({ metric: `events delivered per second (${subscribers} subscribers)`, value: (events * subscribers) / seconds, unit: 'events/s', note: 'target ≥ 20000' });
    for (const ws of fanClients) ws.close();
  } finally {
    echo.close();
    await daemon.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function openMany(url: string, n: number, protocols: string[]): Promise<WebSocket[]> {
  return Promise.all(
    Array.from({ length: n }, () => new Promise<WebSocket>((resolve, reject) => {
      const ws = new WebSocket(url, protocols);
      ws.once('open', () => resolve(ws));
      ws.once('error', reject);
    })),
  );
}

function call(ws: WebSocket | undefined, frame: object | undefined): Promise<unknown> {
  if (ws === undefined || frame === undefined) return Promise.resolve(undefined);
  return new Promise((resolve) => {
    ws.once('message', (m) => resolve(JSON.parse(String(m))));
    ws.send(JSON.stringify(frame));
  });
}

/** Every client sends `perClient` sequential requests concurrently with the others; returns ms per round trip. */
async function roundTrips(clients: WebSocket[], total: number, frame: (i: number) => object): Promise<number[]> {
  const samples: number[] = [];
  const perClient = Math.max(1, Math.floor(total / clients.length) * (clients.length === 1 ? 1 : 10));
  await Promise.all(
    clients.map(async (ws) => {
      for (let i = 0; i < perClient; i++) {
        const t0 = performance.now();
        await call(ws, frame(i));
        samples.push(performance.now() - t0);
      }
    }),
  );
  for (const ws of clients) if (ws.readyState === ws.OPEN && ws.protocol === '') ws.close();
  return samples;
}
