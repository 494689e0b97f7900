import { Type, type Static } from '@sinclair/typebox';
import {
  AccessControl,
  DocumentKind,
  IsoTimestamp,
  MatchDecision,
  Reason,
  RegistrationStatus,
  SeqNumber,
  SessionId,
} from './common.js';

/**
 * The final session states: once a session is in one of these, nothing more happens to it.
 * `completed` is success; the others end {@link Session.completed} with a rejection.
 */
export const SESSION_FINAL_STATES = ['completed', 'failed', 'cancelled', 'expired'] as const;

/** One of {@link SESSION_FINAL_STATES}. */
export type SessionFinalState = (typeof SESSION_FINAL_STATES)[number];

/** True when `state` is one of {@link SESSION_FINAL_STATES}. */
export function isSessionFinalState(state: string): state is SessionFinalState {
  return (SESSION_FINAL_STATES as readonly string[]).includes(state);
}

/**
 * The coarse step a session is in, for a progress indicator: consent → document → face → match
 * → registration → done.
 */
export const SessionStep = Type.Union(
  [
    Type.Literal('consent'),
    Type.Literal('document'),
    Type.Literal('face'),
    Type.Literal('match'),
    Type.Literal('registration'),
    Type.Literal('done'),
  ],
  {
    description:
      'Coarse step for a progress indicator: consent, document, face, match, registration, done.',
  },
);

/** One session step. */
export type SessionStep = Static<typeof SessionStep>;

/** The session's flow state as a dotted path (the session machine of the state-machines package). */
export const SessionStateName = Type.String({
  minLength: 1,
  maxLength: 64,
  description:
    'Dotted flow state, e.g. consent, document.waiting, document.credentials (send session.provideMrz), document.reading.accessControl, document.reading.files, document.reading.authenticity, document.retryWait, document.verifying, face.capturing.positioning, face.capturing.liveness, face.capturing.bestFrame, face.retryWait, match, review (send session.review), registration.awaitingConfirmation (send session.confirmRegistration), registration.submitting, suspended; and the finals completed, failed, cancelled, expired.',
});

/** A short summary of a document for display: field name → value (no photo, no raw data groups). */
export const DocumentSummary = Type.Record(
  Type.String({ maxLength: 64 }),
  Type.String({ maxLength: 1024 }),
  {
    description:
      'Display fields, e.g. fullName, documentNumber, birthDate (ISO), expiryDate (ISO), nationality.',
  },
);

/** The whole observable state of one session, as `session.get` and friends answer it. */
export const SessionSnapshot = Type.Object(
  {
    sessionId: SessionId,
    state: SessionStateName,
    step: SessionStep,
    createdAt: IsoTimestamp,
    updatedAt: IsoTimestamp,
    expiresAt: IsoTimestamp,
    lastSeq: SeqNumber('Seq of the last event emitted for this session (0 when none yet).'),
    document: Type.Optional(
      Type.Object(
        {
          kind: DocumentKind,
          summary: DocumentSummary,
          accessControl: Type.Optional(AccessControl),
          genuine: Type.Optional(
            Type.Boolean({ description: 'True only when the chip proved authentic.' }),
          ),
        },
        { additionalProperties: false },
      ),
    ),
    liveness: Type.Optional(
      Type.Object(
        {
          passed: Type.Boolean(),
          reasons: Type.Array(Type.String({ maxLength: 64 }), {
            maxItems: 32,
            description: 'Registered codes explaining a failure (empty when passed).',
          }),
        },
        { additionalProperties: false },
      ),
    ),
    match: Type.Optional(
      Type.Object(
        { score: Type.Number(), threshold: Type.Number(), decision: MatchDecision },
        { additionalProperties: false },
      ),
    ),
    registration: Type.Optional(
      Type.Object(
        { registrationId: Type.String({ maxLength: 128 }), status: RegistrationStatus },
        { additionalProperties: false },
      ),
    ),
    review: Type.Optional(
      Type.Object(
        {
          operatorId: Type.String({
            minLength: 1,
            maxLength: 128,
            description: 'The operator who decided.',
          }),
          approve: Type.Boolean({
            description:
              'True: the inconclusive match was approved and the session went on to registration.',
          }),
          note: Type.Optional(Type.String({ maxLength: 1000 })),
          decidedAt: IsoTimestamp,
        },
        {
          additionalProperties: false,
          description: 'The manual-review decision (session.review), when an operator made one.',
        },
      ),
    ),
    failure: Type.Optional(Reason),
  },
  { additionalProperties: false, title: 'SessionSnapshot' },
);

/** The whole observable state of one session. */
export type SessionSnapshot = Static<typeof SessionSnapshot>;
