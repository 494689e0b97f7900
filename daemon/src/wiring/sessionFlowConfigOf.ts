import type { SessionFlowConfig } from '@kycd/state-machines';
import type { KycdConfig } from '../config/KycdConfig.js';

/** The session machine's knobs from the `session` config section. */
export function sessionFlowConfigOf(config: KycdConfig): Partial<SessionFlowConfig> {
  const s = config.session;
  return { faceAttempts: s.faceAttempts, documentRetries: s.documentRetries, manualReview: s.manualReview, sessionMs: s.expireAfterMs };
}
