import { Writable } from 'node:stream';
import { SESSION_EXPIRED_REASON } from '@kycd/state-machines';
import { describe, expect, it, vi } from 'vitest';
import { createLogger } from '../logging/createLogger.js';
import { createSessionFlow } from './createSessionFlow.js';
import { EXPIRY_GRACE_MS, SessionRegistry } from './SessionRegistry.js';
import type { SessionFlow } from './SessionFlow.js';

const CONFIG = {
  consentVersions: ['2026-01'],
  maxActivePerTerminal: 1,
  expireAfterMs: 60_000,
  keepFinishedMs: 0,
  faceAttempts: 3,
  documentRetries: 2,
  manualReview: false,
};

function registry(accepts: boolean) {
  const warnings: { obj: Record<string, unknown>; msg: string }[] = [];
  const sent: string[] = [];
  const flow: SessionFlow = {
    accepts: () => accepts,
    send: (e) => void sent.push(e.type),
    stop: () => undefined,
  };
  const sessions = new SessionRegistry({
    config: CONFIG as never,
    flowFactory: () => flow,
    logger: {
      warn: ((obj: Record<string, unknown>, msg: string) =>
        void warnings.push({ obj, msg })) as never,
    },
  });
  return { sessions, warnings, sent };
}

describe('SessionRegistry.send', () => {
  it('logs a refused event with the session id, event type and state, and no payload', () => {
    const { sessions, warnings, sent } = registry(false);
    const session = sessions.start('till-1', {});
    expect(() =>
      sessions.send('till-1', session.id, {
        type: 'CREDENTIALS.PROVIDED',
        credentials: { kind: 'can', can: '123456' },
      }),
    ).toThrow(expect.objectContaining({ code: 'conflict' }) as Error);
    expect(sent).toEqual([]);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.obj).toEqual({
      session: session.id,
      event: 'CREDENTIALS.PROVIDED',
      state: 'consent',
    });
    expect(JSON.stringify(warnings)).not.toContain('123456');
  });

  it('delivers an accepted event without a warning', () => {
    const { sessions, warnings, sent } = registry(true);
    const session = sessions.start('till-1', {});
    sessions.send('till-1', session.id, { type: 'CANCEL' });
    expect(sent).toEqual(['CANCEL']);
    expect(warnings).toEqual([]);
  });
});

describe('SessionRegistry.sweep', () => {
  function clocked(flowStops: string[]) {
    let nowMs = Date.parse('2026-01-01T00:00:00Z');
    const flow: SessionFlow = {
      accepts: () => true,
      send: () => undefined,
      stop: () => void flowStops.push('stop'),
    };
    const sessions = new SessionRegistry({
      config: CONFIG as never,
      flowFactory: () => flow,
      now: () => new Date(nowMs),
    });
    return { sessions, advance: (ms: number) => (nowMs += ms) };
  }

  it('leaves expiry to the flow at the deadline, and expires a stuck flow after the grace with the machine’s reason', () => {
    const stops: string[] = [];
    const { sessions, advance } = clocked(stops);
    const session = sessions.start('till-1', {});
    advance(CONFIG.expireAfterMs);
    sessions.sweep();
    expect(session.state).toBe('consent');
    advance(EXPIRY_GRACE_MS);
    sessions.sweep();
    expect(session.state).toBe('expired');
    expect(session.failure).toEqual(SESSION_EXPIRED_REASON);
    expect(stops.length).toBeGreaterThan(0);
  });
});

describe('a session ended by the registry (expiry backstop, daemon shutdown)', () => {
  it('reaches its final state while the flow still holds the face evidence, for the store to keep', () => {
    let nowMs = 0;
    const kept: number[] = [];
    const sessions = new SessionRegistry({
      config: CONFIG as never,
      // like the real flow: stopping it releases the session's evidence
      flowFactory: (session) => ({
        accepts: () => true,
        send: () => undefined,
        stop: () => void (session.faceEvidence.length = 0),
      }),
      now: () => new Date(nowMs),
      onStateChange: (s) => {
        if (s.finished) kept.push(s.faceEvidence.length);
      },
    });
    const stuck = sessions.start('till-1', {});
    stuck.faceEvidence.push({ passed: false });
    nowMs += CONFIG.expireAfterMs + EXPIRY_GRACE_MS;
    sessions.sweep();
    expect(stuck.state).toBe('expired');
    const running = sessions.start('till-2', {});
    running.faceEvidence.push({ passed: false }, { passed: false });
    sessions.stopAll('shutting down');
    expect(running.state).toBe('cancelled');
    expect(kept).toEqual([1, 2]);
    expect(running.faceEvidence).toHaveLength(0);
  });
});

describe('the session machine as the expirer', () => {
  it('expires a running flow at expireAfterMs with the same reason the sweep uses', async () => {
    vi.useFakeTimers();
    try {
      const sessions = new SessionRegistry({
        config: { ...CONFIG, expireAfterMs: 5_000 } as never,
        flowFactory: (session, start) =>
          createSessionFlow(session, start, {
            services: {
              presentDocument: () => undefined,
              watchDocument: () => () => undefined,
              readDocument: () => new Promise(() => undefined),
              captureFace: () => new Promise(() => undefined),
              matchFace: () => new Promise(() => undefined),
              submitRegistration: () => new Promise(() => undefined),
            },
            logger: createLogger({
              level: 'silent',
              destination: new Writable({ write: (_c, _e, cb) => cb() }),
              pretty: false,
            }),
            flowConfig: { sessionMs: 5_000 },
          }),
      });
      const session = sessions.start('till-1', {
        consent: { textVersion: 'v1', givenAt: new Date() },
      });
      await vi.advanceTimersByTimeAsync(5_001);
      expect(session.state).toBe('expired');
      expect(session.failure).toEqual(SESSION_EXPIRED_REASON);
    } finally {
      vi.useRealTimers();
    }
  });
});
