import { DEFAULT_SESSION_FLOW_CONFIG, resolveSessionFlowConfig } from '@kycd/state-machines';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../config/loadConfig.js';
import { sessionFlowConfigOf } from './sessionFlowConfigOf.js';

describe('sessionFlowConfigOf', () => {
  it('gives the machine its own defaults when the section is empty (every key set, no drift)', () => {
    const flow = sessionFlowConfigOf(parseConfig({}));
    expect(resolveSessionFlowConfig(flow)).toEqual({
      ...DEFAULT_SESSION_FLOW_CONFIG,
      sessionMs: 600_000,
    });
    expect(Object.keys(flow).sort()).toEqual(Object.keys(DEFAULT_SESSION_FLOW_CONFIG).sort());
  });

  it('passes every configured step timeout and limit through', () => {
    const flow = sessionFlowConfigOf(
      parseConfig({
        session: {
          credentialAttempts: 1,
          documentReadMs: 12_345,
          faceMs: 45_000,
          suspendedMs: 5_000,
          faceRetryDelayMs: 0,
          expireAfterMs: 90_000,
        },
      }),
    );
    expect(flow).toMatchObject({
      credentialAttempts: 1,
      documentReadMs: 12_345,
      faceMs: 45_000,
      suspendedMs: 5_000,
      faceRetryDelayMs: 0,
      sessionMs: 90_000,
    });
  });

  it('rejects timeouts the machine cannot run', () => {
    for (const session of [
      { documentReadMs: 10 },
      { faceMs: 2 ** 31 },
      { suspendedMs: 1.5e3 + 0.5 },
      { credentialAttempts: 0 },
      { matchMs: 'soon' },
    ]) {
      expect(() => parseConfig({ session }), JSON.stringify(session)).toThrow();
    }
  });
});
