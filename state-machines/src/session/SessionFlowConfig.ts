/**
 * The knobs of the session flow: retry limits, the manual-review policy and every named
 * timeout. All durations are milliseconds.
 */
export interface SessionFlowConfig {
  /** Liveness attempts before the face step fails (first attempt included). */
  readonly faceAttempts: number;
  /** Re-reads of the chip after a transient card error (`document_card_removed`, …). */
  readonly documentRetries: number;
  /** Access-control attempts with POS-provided MRZ / CAN before the document step fails. */
  readonly credentialAttempts: number;
  /** When true, an inconclusive face match goes to an operator instead of failing. */
  readonly manualReview: boolean;
  /** How long to wait for consent when the session did not start with it. */
  readonly consentWaitMs: number;
  /** How long to wait for a document to be presented. */
  readonly documentWaitMs: number;
  /** How long to wait for the POS to provide an MRZ or CAN. */
  readonly credentialsWaitMs: number;
  /** Longest single chip read (access control, data groups, authenticity). */
  readonly documentReadMs: number;
  /** Pause before re-reading after a transient card error. */
  readonly documentRetryDelayMs: number;
  /** Longest single face capture attempt (positioning, liveness challenge, best frame). */
  readonly faceMs: number;
  /** Pause between failed liveness attempts (time to tell the customer what went wrong). */
  readonly faceRetryDelayMs: number;
  /** Longest face match. */
  readonly matchMs: number;
  /** How long the operator has to decide a manual review. */
  readonly reviewWaitMs: number;
  /** How long to wait for the POS to confirm the registration details. */
  readonly confirmWaitMs: number;
  /** Longest registration submission (outbox write; the carrier call may be queued). */
  readonly registrationMs: number;
  /** How long a session stays suspended waiting for a lost device to come back. */
  readonly suspendedMs: number;
  /** Overall session lifetime; when it runs out the session ends `expired`. */
  readonly sessionMs: number;
}

/**
 * Defaults of {@link SessionFlowConfig}: 3 face attempts, 2 document re-reads, 3 MRZ/CAN
 * attempts, no manual review; a session lives at most 10 minutes.
 */
export const DEFAULT_SESSION_FLOW_CONFIG: SessionFlowConfig = Object.freeze({
  faceAttempts: 3,
  documentRetries: 2,
  credentialAttempts: 3,
  manualReview: false,
  consentWaitMs: 60_000,
  documentWaitMs: 120_000,
  credentialsWaitMs: 120_000,
  documentReadMs: 30_000,
  documentRetryDelayMs: 1_000,
  faceMs: 60_000,
  faceRetryDelayMs: 2_000,
  matchMs: 10_000,
  reviewWaitMs: 300_000,
  confirmWaitMs: 300_000,
  registrationMs: 30_000,
  suspendedMs: 120_000,
  sessionMs: 600_000,
});

const COUNT_KEYS = ['faceAttempts', 'documentRetries', 'credentialAttempts'] as const;
const DURATION_KEYS = [
  'consentWaitMs',
  'documentWaitMs',
  'credentialsWaitMs',
  'documentReadMs',
  'documentRetryDelayMs',
  'faceMs',
  'faceRetryDelayMs',
  'matchMs',
  'reviewWaitMs',
  'confirmWaitMs',
  'registrationMs',
  'suspendedMs',
  'sessionMs',
] as const;
/** setTimeout's largest delay (2^31 − 1 ms, about 24.8 days). */
const MAX_DELAY_MS = 2_147_483_647;

/**
 * Merges `overrides` over {@link DEFAULT_SESSION_FLOW_CONFIG} and validates the result once.
 *
 * @throws RangeError when a count is not an integer in 0..100 (`faceAttempts` and
 *   `credentialAttempts` at least 1) or a duration is not an integer in 0..2^31−1 ms.
 * @throws TypeError when `manualReview` is not a boolean.
 */
export function resolveSessionFlowConfig(
  overrides: Partial<SessionFlowConfig> = {},
): SessionFlowConfig {
  const config: SessionFlowConfig = { ...DEFAULT_SESSION_FLOW_CONFIG, ...overrides };
  for (const key of COUNT_KEYS) {
    const value = config[key];
    const min = key === 'documentRetries' ? 0 : 1;
    if (!Number.isInteger(value) || value < min || value > 100) {
      throw new RangeError(
        `SessionFlowConfig.${key} must be an integer in ${min}..100, got ${String(value)}`,
      );
    }
  }
  for (const key of DURATION_KEYS) {
    const value = config[key];
    if (!Number.isInteger(value) || value < 0 || value > MAX_DELAY_MS) {
      throw new RangeError(
        `SessionFlowConfig.${key} must be an integer number of ms in 0..${MAX_DELAY_MS}, got ${String(value)}`,
      );
    }
  }
  if (typeof config.manualReview !== 'boolean') {
    throw new TypeError(
      `SessionFlowConfig.manualReview must be a boolean, got ${typeof config.manualReview}`,
    );
  }
  return Object.freeze(config);
}
