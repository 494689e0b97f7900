import { Type, type Static } from '@sinclair/typebox';

/** `session`: the flow's limits. The state machines take these as input. */
export const SessionConfigSchema = Type.Object(
  {
    consentVersions: Type.Array(Type.String({ minLength: 1 }), {
      default: ['2026-01'],
      description: 'Consent text versions the daemon accepts in session.start.',
    }),
    maxActivePerTerminal: Type.Integer({ minimum: 1, default: 1 }),
    expireAfterMs: Type.Integer({ minimum: 1000, default: 10 * 60_000, description: 'Overall session timeout.' }),
    keepFinishedMs: Type.Integer({ minimum: 0, default: 15 * 60_000, description: 'How long a finished session stays readable with session.get / resume.' }),
    faceAttempts: Type.Integer({ minimum: 1, maximum: 10, default: 3 }),
    documentRetries: Type.Integer({ minimum: 0, maximum: 10, default: 2 }),
    manualReview: Type.Boolean({ default: false, description: 'Allow an operator decision when a check is inconclusive.' }),
  },
  { default: {}, additionalProperties: false },
);

export type SessionConfig = Static<typeof SessionConfigSchema>;
