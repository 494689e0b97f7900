import { Type, type Static } from '@sinclair/typebox';

/** `registration`: the signed registration record and its delivery to the carrier back end. */
export const RegistrationConfigSchema = Type.Object(
  {
    endpoint: Type.String({
      default: '',
      description:
        'Carrier back-end URL that receives registrations (POST). HTTPS; plain http only to a loopback address (the reference carrier of the simulator). Empty: registrations are queued and not delivered until one is configured.',
    }),
    tls: Type.Object(
      {
        caFile: Type.String({
          default: '',
          description:
            "PEM file of the certificate authorities that may sign the carrier's HTTPS certificate (a private CA or the carrier's own self-signed certificate). Empty: the system's trusted CAs.",
        }),
        pinnedCertificateSha256: Type.String({
          default: '',
          pattern: '^$|^[0-9A-Fa-f]{2}(:?[0-9A-Fa-f]{2}){31}$',
          description:
            "SHA-256 fingerprint of the carrier's certificate (hex, colons allowed, as `openssl x509 -fingerprint -sha256` prints it). When set, a certificate that chains to a trusted CA but has another fingerprint is refused too.",
        }),
      },
      {
        default: {},
        additionalProperties: false,
        description:
          'How the carrier endpoint is authenticated. A certificate that is not trusted keeps the registration queued (retried, with the reason in its last error) and sends nothing to the impostor.',
      },
    ),
    requestTimeoutMs: Type.Integer({
      minimum: 100,
      maximum: 300_000,
      default: 10_000,
      description:
        'A delivery attempt that has not been answered by then counts as a time-out and is retried.',
    }),
    concurrency: Type.Integer({
      minimum: 1,
      maximum: 32,
      default: 2,
      description: 'Deliveries in flight at once.',
    }),
    retry: Type.Object(
      {
        initialDelayMs: Type.Integer({
          minimum: 10,
          default: 1000,
          description: 'Wait before the first retry.',
        }),
        maxDelayMs: Type.Integer({
          minimum: 10,
          default: 300_000,
          description: 'Longest wait between retries.',
        }),
        multiplier: Type.Number({
          minimum: 1,
          maximum: 10,
          default: 2,
          description: 'Each retry waits this many times longer than the one before.',
        }),
        heldDelayMs: Type.Integer({
          minimum: 10,
          default: 900_000,
          description:
            "Wait before retrying after the carrier refused the terminal's credentials (HTTP 401/403: its key not yet registered or pinned there). The registration is held, never dropped, until the carrier trusts the key.",
        }),
        jitter: Type.Number({
          minimum: 0,
          maximum: 1,
          default: 0.2,
          description:
            'Random share (±) applied to each wait so that terminals do not retry in step.',
        }),
      },
      {
        default: {},
        additionalProperties: false,
        description:
          'Exponential backoff for 5xx answers, time-outs and network errors. A confirmed registration is never dropped: 4xx other than 401/403/408/425/429 is the only final outcome besides delivery.',
      },
    ),
    record: Type.Object(
      {
        maskFields: Type.Array(
          Type.Union(
            ['documentNumber', 'personalNumber', 'address', 'birthDate', 'mrz'].map((f) =>
              Type.Literal(f),
            ),
          ),
          {
            default: [],
            description:
              'Document fields sent to the carrier masked (see maskIdNumber) instead of in full.',
          },
        ),
        omitFields: Type.Array(
          Type.Union(
            ['mrz', 'address', 'ethnicity', 'issuingAuthority', 'personalNumber'].map((f) =>
              Type.Literal(f),
            ),
          ),
          { default: ['mrz'], description: 'Document fields left out of the record altogether.' },
        ),
        includeChipPhoto: Type.Boolean({
          default: false,
          description:
            'Embed the chip photo (base64) in the signed record. Its SHA-256 is always included.',
        }),
      },
      {
        default: {},
        additionalProperties: false,
        description: 'What the signed registration record carries.',
      },
    ),
  },
  { default: {}, additionalProperties: false },
);

export type RegistrationConfig = Static<typeof RegistrationConfigSchema>;
