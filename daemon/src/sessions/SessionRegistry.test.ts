import { describe, expect, it } from 'vitest';
import { SessionRegistry } from './SessionRegistry.js';
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
