import { EventEmitter } from 'node:events';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import { parseConfig } from '../config/loadConfig.js';
import { DeviceRegistry } from '../devices/DeviceRegistry.js';
import { SessionRegistry } from '../sessions/SessionRegistry.js';
import { ApiConnection, type CallContext } from './ApiConnection.js';
import { createDispatcher } from './createDispatcher.js';

/** Just enough of a `ws` socket: records what is sent. */
class FakeSocket extends EventEmitter {
  readonly OPEN = 1;
  readyState = 1;
  bufferedAmount = 0;
  readonly sent: string[] = [];
  send(frame: string): void {
    this.sent.push(frame);
  }
  close(code: number): void {
    this.readyState = 3;
    this.emit('close', code);
  }
  pause(): void {}
  resume(): void {}
}

describe('session.resume ordering', () => {
  it('answers first, then replays the missed events, then the live events that came meanwhile', async () => {
    const config = parseConfig({});
    const sessions = new SessionRegistry({
      config: config.session,
      flowFactory: () => ({ accepts: () => false, send: () => undefined, stop: () => undefined }),
    });
    const dispatch = createDispatcher({
      sessions,
      devices: new DeviceRegistry(),
      sessionConfig: config.session,
      newRegistrationId: () => 'r-1',
    });
    const terminal = { id: 't-1', name: 'till' };
    const session = sessions.start(terminal.id, {
      consent: { textVersion: '2026-01', givenAt: new Date() },
    });
    for (let i = 1; i <= 3; i++)
      session.publish('document.progress', { file: 'DG2', bytesRead: i, totalBytes: 3 });

    const ws = new FakeSocket();
    const connection = new ApiConnection(
      ws as unknown as WebSocket,
      {
        config: config.server,
        authenticator: { authenticate: () => terminal },
        hello: () => ({}),
        dispatch,
        logger: pino({ level: 'silent' }),
        sim: false,
        onClose: () => undefined,
      },
      'test',
    );
    const after: Array<() => void> = [];
    const ctx: CallContext = { terminal, connection, afterResponse: (a) => after.push(a) };
    const result = (await dispatch(
      'session.resume',
      { sessionId: session.id, afterSeq: 1 },
      ctx,
    )) as { replayed: number; snapshot: { lastSeq: number } };
    expect(result).toMatchObject({ replayed: 2, snapshot: { lastSeq: 3 } });

    // A live event between the handler and the response is held, not sent ahead of the response.
    session.publish('document.progress', { file: 'DG2', bytesRead: 4, totalBytes: 4 });
    expect(ws.sent).toEqual([]);
    ws.sent.push('RESPONSE'); // what the connection sends before it runs the afterResponse actions
    for (const action of after) action();
    const seqs = ws.sent.map((f) =>
      f === 'RESPONSE' ? f : (JSON.parse(f) as { seq: number }).seq,
    );
    expect(seqs).toEqual(['RESPONSE', 2, 3, 4]);

    // From now on live events go straight out.
    session.publish('document.progress', { file: 'DG2', bytesRead: 5, totalBytes: 5 });
    expect((JSON.parse(ws.sent.at(-1)!) as { seq: number }).seq).toBe(5);
    connection.close(1000, 'done');
  });
});
