import { Type, type Static } from '@sinclair/typebox';

/** `privacy`: what the POS sees, what is kept on disk and for how long. */
export const PrivacyConfigSchema = Type.Object(
  {
    posResult: Type.Union(
      [Type.Literal('verdict'), Type.Literal('summary'), Type.Literal('full')],
      {
        default: 'summary',
        description:
          'What the POS client receives about the document: verdict (genuine or not), summary (name, masked ID number, document type) or full data. Never the photo.',
      },
    ),
    evidence: Type.Object(
      {
        retain: Type.Boolean({
          default: false,
          description:
            'Keep raw images (chip photo, liveness frames) as evidence. Off: no image is ever written to disk.',
        }),
        days: Type.Integer({
          minimum: 1,
          maximum: 3650,
          default: 30,
          description: 'Evidence older than this is purged (automatically and by `kycd purge`).',
        }),
        keyFile: Type.String({
          default: '',
          description:
            'AES-256 key file for evidence (32 random bytes, mode 0600). Empty: <dataDir>/keys/evidence.key, created at first use.',
        }),
      },
      { default: {}, additionalProperties: false },
    ),
    sessionRetentionDays: Type.Integer({
      minimum: 1,
      maximum: 3650,
      default: 30,
      description: 'Session rows and their replay events older than this are purged.',
    }),
    recordRetentionDays: Type.Integer({
      minimum: 1,
      maximum: 3650,
      default: 30,
      description:
        'Days a delivered or rejected registration keeps its record body; afterwards only its id, status and timestamps stay. Queued ones are never purged.',
    }),
    purgeIntervalMinutes: Type.Integer({
      minimum: 1,
      default: 60,
      description: 'How often the daemon purges what retention allows.',
    }),
  },
  { default: {}, additionalProperties: false },
);

export type PrivacyConfig = Static<typeof PrivacyConfigSchema>;
