import {
  EVENT_NAMES,
  KycdClient,
  KycdError,
  validateEvent,
  type EventName,
  type Session,
  type WebSocketConstructor,
} from '@kycd/plugin-sdk';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { fakeServicesWiring } from '../helpers/fakeServicesWiring.js';
import { startTestDaemon, type TestDaemon } from '../helpers/startTestDaemon.js';
import { TcpCutter } from './TcpCutter.js';

const consent = { accepted: true as const, textVersion: '2026-01' };

async function until(predicate: () => boolean): Promise<void> {
  while (!predicate()) await new Promise((r) => setTimeout(r, 5));
}

function wsWithHost(host: string): WebSocketConstructor {
  class HostWebSocket extends WebSocket {
    constructor(url: string, protocols?: string | string[]) {
      super(url, protocols, { headers: { host } });
    }
  }
  return HostWebSocket as unknown as WebSocketConstructor;
}

/** Every event of a session, by seq, checked against the strict schema. */
function record(session: Session): { seqs: number[]; names: string[]; offContract: unknown[] } {
  const log = { seqs: [] as number[], names: [] as string[], offContract: [] as unknown[] };
  for (const name of EVENT_NAMES) {
    if (name === 'device.changed') continue;
    session.on(
      name as Exclude<EventName, 'device.changed'>,
      (data: unknown, meta: { sessionId?: string; seq: number }) => {
        log.seqs.push(meta.seq);
        log.names.push(name);
        const checked = validateEvent({ event: name, data, sessionId: session.id, seq: meta.seq });
        if (!checked.ok) log.offContract.push({ name, data, issues: checked.issues });
      },
    );
  }
  return log;
}

describe('a whole session through the SDK (real machine, fake services), with network cuts', () => {
  let d: TestDaemon | undefined;
  let cutter: TcpCutter | undefined;
  let client: KycdClient | undefined;
  afterEach(async () => {
    client?.close();
    await cutter?.close();
    await d?.close();
  });

  it('completes with every event exactly once, in order, across two cuts', async () => {
    d = await startTestDaemon({
      wiring: fakeServicesWiring({ firstReadError: 'document_credentials_required' }),
    });
    cutter = await TcpCutter.start(d.port);
    client = new KycdClient({
      url: `ws://127.0.0.1:${cutter.port}/v1`,
      token: d.token,
      WebSocket: wsWithHost(`127.0.0.1:${d.port}`),
      reconnect: { initialDelayMs: 10, maxDelayMs: 40 },
    });
    client.on('error', () => undefined);
    let opens = 0;
    client.on('open', () => opens++);
    await client.connect();
    const session = await client.startSession({ consent });
    const startSeq = session.snapshot.lastSeq; // events up to here are already in the snapshot
    const log = record(session);

    await until(() => session.state === 'document.credentials');
    cutter.cut(); // 1st cut: the POS sends the MRZ while the client is reconnecting
    await until(() => client!.state !== 'open');
    expect(
      await session.provideMrz({
        documentNumber: 'L898902C3',
        birthDate: '740812',
        expiryDate: '300415',
      }),
    ).toEqual({ accepted: true });
    await until(() => session.state === 'registration.awaitingConfirmation' || session.isSettled);
    expect(session.state).toBe('registration.awaitingConfirmation');

    cutter.cut(); // 2nd cut: confirm while reconnecting
    await until(() => client!.state !== 'open');
    const confirmed = await session.confirmRegistration({
      msisdn: '+8613800138000',
      operatorId: 'op-1',
    });
    expect(confirmed.status).toBe('queued');
    const done = await session.completed;

    expect(done.state).toBe('completed');
    expect(done.match?.decision).toBe('match');
    expect(done.document?.genuine).toBe(true);
    expect(opens).toBe(3);
    // Contiguous from the first event after the start snapshot to the last one the daemon logged.
    const first = log.seqs[0]!;
    expect(first).toBeLessThanOrEqual(startSeq + 1);
    expect(log.seqs).toEqual(Array.from({ length: log.seqs.length }, (_, i) => first + i));
    expect(log.seqs.at(-1)).toBe((await client.getSession(session.id)).lastSeq);
    expect(log.names).toEqual(
      expect.arrayContaining([
        'document.progress',
        'document.read',
        'liveness.challenge',
        'liveness.result',
        'match.result',
      ]),
    );
    expect(log.offContract).toEqual([]);
  });

  it('a face that does not match rejects completed with session_face_no_match', async () => {
    d = await startTestDaemon({ wiring: fakeServicesWiring({ matchScore: 0.05 }) });
    client = new KycdClient({ url: d.url, token: d.token });
    client.on('error', () => undefined);
    await client.connect();
    const session = await client.startSession({ consent });
    const err = await session.completed.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(KycdError);
    expect((err as KycdError).code).toBe('session_face_no_match');
    expect(session.snapshot.failure?.code).toBe('session_face_no_match');
  });
});
