import { Writable } from 'node:stream';
import type { SessionDevice } from '@kycd/state-machines';
import { describe, expect, it } from 'vitest';
import { KycdError } from '@kycd/plugin-sdk';
import type { DocumentReadResult } from '../documents/DocumentReadResult.js';
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
    device({ type: 'restored', device: { kind: 'camera', id: 'cam-0' } }); // never lost
    device({ type: 'lost', device: { kind: 'camera', id: 'cam-0' } }); // recorded for the face step
    device({ type: 'lost', device: { kind: 'camera', id: 'cam-0' } }); // already known
    await tick();
    expect(session.state).toBe('document.waiting');
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

/** A made-up passport as a reader returns it (no real person). */
const DOCUMENT: DocumentReadResult = {
  kind: 'emrtd',
  accessControl: 'PACE',
  fields: {
    documentType: 'P',
    documentNumber: 'X0000001',
    fullName: 'TEST PERSON',
    issuingState: 'UTO',
    expiryDate: '2030-04-15',
  },
  photo: {
    format: 'jpeg',
    encoded: new Uint8Array([0xff, 0xd8]),
    rgb: { data: new Uint8Array(12), width: 2, height: 2 },
  },
  authenticity: {
    passiveAuthentication: { status: 'passed' },
    chipAuthentication: { status: 'passed' },
    activeAuthentication: { status: 'not_supported' },
    genuine: true,
  },
  timing: { total: 1 },
};

describe('createSessionFlow: devices lost during the face step', () => {
  function faceServices(captures: (attempt: number) => Promise<never>) {
    let onDevice: ((e: { type: 'lost' | 'restored'; device: SessionDevice }) => void) | undefined;
    const attempts: number[] = [];
    const services: SessionServices = {
      watchDevices(onEvent) {
        onDevice = onEvent;
        return () => (onDevice = undefined);
      },
      presentDocument: () => 'emrtd',
      watchDocument(onEvent) {
        queueMicrotask(() => onEvent({ type: 'presented', kind: 'emrtd' }));
        return () => undefined;
      },
      readDocument: async () => DOCUMENT,
      captureFace: ({ attempt }) => {
        attempts.push(attempt);
        return captures(attempt);
      },
      matchFace: () => new Promise(() => undefined),
      submitRegistration: () => new Promise(() => undefined),
    };
    return {
      services,
      attempts,
      device: (e: { type: 'lost' | 'restored'; device: SessionDevice }) => onDevice?.(e),
    };
  }

  it('suspends when the capture rejects with camera_unplugged (no attempt spent), and captures again when the camera is back', async () => {
    const { logger } = capturedLogger();
    let first = true;
    const { services, attempts, device } = faceServices(() => {
      if (!first) return new Promise<never>(() => undefined);
      first = false;
      return Promise.reject(new KycdError('camera_unplugged', 'camera /dev/video0 was unplugged'));
    });
    const session = new Session('s-3', 'till-1', new Date(), new Date(Date.now() + 60_000));
    const states: string[] = [];
    session.subscribe({
      deliver: (frame) =>
        void states.push(String((JSON.parse(frame) as { data: { state?: string } }).data.state)),
    });
    const flow = createSessionFlow(
      session,
      { consent: { textVersion: 'v1', givenAt: new Date() } },
      { services, logger, flowConfig: { faceAttempts: 1 } },
    );
    for (let i = 0; i < 10 && session.state !== 'suspended'; i++) await tick();
    expect(session.state).toBe('suspended');
    expect(session.step).toBe('face');
    expect(states).not.toContain('failed');
    device({ type: 'restored', device: { kind: 'camera', id: 'cam-0' } });
    await tick();
    expect(session.state).toBe('face.capturing.positioning');
    expect(attempts).toEqual([1, 1]);
    flow.stop();
  });

  it('suspends at the face step when the camera was already reported lost while the document was read', async () => {
    const { logger } = capturedLogger();
    const { services, attempts, device } = faceServices(() => new Promise<never>(() => undefined));
    const session = new Session('s-4', 'till-1', new Date(), new Date(Date.now() + 60_000));
    device({ type: 'lost', device: { kind: 'camera', id: 'cam-0' } }); // no watcher yet: ignored
    const flow = createSessionFlow(
      session,
      { consent: { textVersion: 'v1', givenAt: new Date() } },
      { services, logger, flowConfig: {} },
    );
    device({ type: 'lost', device: { kind: 'camera', id: 'cam-0' } });
    for (let i = 0; i < 10 && session.state !== 'suspended'; i++) await tick();
    expect(session.state).toBe('suspended');
    expect(attempts).toEqual([]);
    device({ type: 'restored', device: { kind: 'camera', id: 'cam-0' } });
    await tick();
    expect(session.state).toBe('face.capturing.positioning');
    expect(attempts).toEqual([1]);
    flow.stop();
  });
});
