import { DEFAULT_SESSION_FLOW_CONFIG as FLOW } from '@kycd/state-machines';
import { Type, type Static } from '@sinclair/typebox';

/** setTimeout's longest delay (about 24.8 days): the session machine's timers cannot wait longer. */
const MAX_TIMER_MS = 2_147_483_647;

/** A step timeout in ms, defaulting to the session machine's own default. */
function stepTimeout(key: keyof typeof FLOW, minimum: number, description: string) {
  return Type.Integer({
    minimum,
    maximum: MAX_TIMER_MS,
    default: FLOW[key] as number,
    description,
  });
}

/**
 * `session`: the flow's limits. The state machines take these as input (see
 * `sessionFlowConfigOf`); every timeout's default is the session machine's
 * (`DEFAULT_SESSION_FLOW_CONFIG` in @kycd/state-machines).
 */
export const SessionConfigSchema = Type.Object(
  {
    consentVersions: Type.Array(Type.String({ minLength: 1 }), {
      default: ['2026-01'],
      description: 'Consent text versions the daemon accepts in session.start.',
    }),
    maxActivePerTerminal: Type.Integer({ minimum: 1, default: 1 }),
    expireAfterMs: Type.Integer({
      minimum: 1000,
      maximum: MAX_TIMER_MS,
      default: 10 * 60_000,
      description: 'Overall session timeout: the session ends `expired` (reason session_expired).',
    }),
    keepFinishedMs: Type.Integer({
      minimum: 0,
      default: 15 * 60_000,
      description: 'How long a finished session stays readable with session.get / resume.',
    }),
    faceAttempts: Type.Integer({ minimum: 1, maximum: 10, default: 3 }),
    documentRetries: Type.Integer({ minimum: 0, maximum: 10, default: 2 }),
    credentialAttempts: Type.Integer({
      minimum: 1,
      maximum: 10,
      default: FLOW.credentialAttempts,
      description:
        'MRZ / CAN attempts the POS gets when the chip refuses access before the session fails.',
    }),
    manualReview: Type.Boolean({
      default: false,
      description: 'Allow an operator decision when a check is inconclusive.',
    }),
    consentWaitMs: stepTimeout(
      'consentWaitMs',
      1000,
      'How long to wait for consent when session.start had none.',
    ),
    documentWaitMs: stepTimeout(
      'documentWaitMs',
      1000,
      'How long to wait for a document on a reader.',
    ),
    credentialsWaitMs: stepTimeout(
      'credentialsWaitMs',
      1000,
      'How long to wait for the POS to provide an MRZ or CAN.',
    ),
    documentReadMs: stepTimeout(
      'documentReadMs',
      1000,
      'Longest single chip read (access control, files, authenticity).',
    ),
    documentRetryDelayMs: stepTimeout(
      'documentRetryDelayMs',
      0,
      'Pause before re-reading after a transient card error.',
    ),
    faceMs: stepTimeout(
      'faceMs',
      1000,
      'Longest face capture attempt (positioning, liveness, best frame).',
    ),
    faceRetryDelayMs: stepTimeout('faceRetryDelayMs', 0, 'Pause between failed liveness attempts.'),
    matchMs: stepTimeout('matchMs', 1000, 'Longest face match.'),
    reviewWaitMs: stepTimeout(
      'reviewWaitMs',
      1000,
      'How long an operator has to decide a manual review.',
    ),
    confirmWaitMs: stepTimeout(
      'confirmWaitMs',
      1000,
      'How long to wait for the POS to confirm the registration details.',
    ),
    registrationMs: stepTimeout(
      'registrationMs',
      1000,
      'Longest registration submission (the outbox write).',
    ),
    suspendedMs: stepTimeout(
      'suspendedMs',
      1000,
      'How long a session waits suspended for a lost device to come back before it fails.',
    ),
  },
  { default: {}, additionalProperties: false },
);

export type SessionConfig = Static<typeof SessionConfigSchema>;
