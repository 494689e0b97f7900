import { Writable } from 'node:stream';
import type { SessionDevice } from '@kycd/state-machines';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../logging/createLogger.js';
import { createSessionFlow } from './createSessionFlow.js';
import { Session } from './Session.js';
import type { SessionServices } from './SessionServices.js';

/** A debug logger whose JSON lines the test can read. */
function capturedLogger() {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, cb) {
      for (const l of String(chunk).split('\n'))
        if (l !== '') lines.push(JSON.parse(l) as Record<string, unknown>);
      cb();
    },
  });
  return { logger: createLogger({ level: 'debug', destination, pretty: false }), lines };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

/** Services that never finish a read; the test drives device events by hand. */
function idleServices() {
  let onDevice: Parameters<NonNullable<SessionServices['watchDevices']>>[0] | undefined;
  const services: SessionServices = {
    watchDevices(onEvent) {
      onDevice = onEvent;
      return () => (onDevice = undefined);
    },
    presentDocument: () => undefined,
    watchDocument: () => () => undefined,
    readDocument: () => new Promise(() => undefined),
    captureFace: () => new Promise(() => undefined),
    matchFace: () => new Promise(() => undefined),
    submitRegistration: () => new Promise(() => undefined),
  };
  return {
    services,
    device: (e: { type: 'lost' | 'restored'; device: SessionDevice }) => onDevice?.(e),
  };
}

describe('createSessionFlow', () => {
  it('logs device events the machine ignores (event type and state), and still takes the ones it needs', async () => {
    const { logger, lines } = capturedLogger();
    const { services, device } = idleServices();
    const session = new Session('s-1', 'till-1', new Date(), new Date(Date.now() + 60_000));
    const flow = createSessionFlow(
      session,
      { consent: { textVersion: 'v1', givenAt: new Date() } },
      { services, logger, flowConfig: {} },
    );
    await tick();
    expect(session.state).toBe('document.waiting');
    device({ type: 'restored', device: { kind: 'camera', id: 'cam-0' } });
    device({ type: 'lost', device: { kind: 'camera', id: 'cam-0' } });
    await tick();
    const ignored = lines.filter((l) => l.msg === 'session event ignored in this state');
    expect(ignored.map((l) => [l.session, l.event, l.state, l.level])).toEqual([
      ['s-1', 'DEVICE.RESTORED', 'document.waiting', 20],
      ['s-1', 'DEVICE.LOST', 'document.waiting', 20],
    ]);
    device({ type: 'lost', device: { kind: 'documentReader', id: 'r-0' } });
    expect(session.state).toBe('suspended');
    flow.stop();
  });

  it('logs an API event sent in a state that cannot take it, without its payload, and does not deliver it', async () => {
    const { logger, lines } = capturedLogger();
    const { services } = idleServices();
    const session = new Session('s-2', 'till-1', new Date(), new Date(Date.now() + 60_000));
    const flow = createSessionFlow(
      session,
      { consent: { textVersion: 'v1', givenAt: new Date() } },
      { services, logger, flowConfig: {} },
    );
    await tick();
    flow.send({ type: 'CREDENTIALS.PROVIDED', credentials: { kind: 'can', can: '123456' } });
    expect(session.state).toBe('document.waiting');
    const warned = lines.filter((l) => l.level === 40);
    expect(warned).toHaveLength(1);
    expect(warned[0]).toMatchObject({
      session: 's-2',
      event: 'CREDENTIALS.PROVIDED',
      state: 'document.waiting',
    });
    expect(JSON.stringify(lines)).not.toContain('123456');
    flow.stop();
  });
});
