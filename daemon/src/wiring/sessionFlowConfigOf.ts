import type { SessionFlowConfig } from '@kycd/state-machines';
import type { KycdConfig } from '../config/KycdConfig.js';

/** The session machine's knobs from the `session` config section: limits, every step timeout and the overall one. */
export function sessionFlowConfigOf(config: KycdConfig): Partial<SessionFlowConfig> {
  const s = config.session;
  return {
    faceAttempts: s.faceAttempts,
    documentRetries: s.documentRetries,
    credentialAttempts: s.credentialAttempts,
    manualReview: s.manualReview,
    consentWaitMs: s.consentWaitMs,
    documentWaitMs: s.documentWaitMs,
    credentialsWaitMs: s.credentialsWaitMs,
    documentReadMs: s.documentReadMs,
    documentRetryDelayMs: s.documentRetryDelayMs,
    faceMs: s.faceMs,
    faceRetryDelayMs: s.faceRetryDelayMs,
    matchMs: s.matchMs,
    reviewWaitMs: s.reviewWaitMs,
    confirmWaitMs: s.confirmWaitMs,
    registrationMs: s.registrationMs,
    suspendedMs: s.suspendedMs,
    sessionMs: s.expireAfterMs,
  };
}
