import type { FailureReason } from '../errors/failureReasonOf.js';

/**
 * Why a session ended `expired`: the session machine's overall timeout (`sessionMs`). The daemon's
 * backstop sweep uses the same reason, so a POS sees one reason whoever ended the session.
 */
export const SESSION_EXPIRED_REASON: FailureReason = Object.freeze({
  code: 'session_expired',
  message: 'the session timed out',
});
