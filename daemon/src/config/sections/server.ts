import { Type, type Static } from '@sinclair/typebox';

/** `server`: where the WebSocket API listens and how it protects itself. */
export const ServerConfigSchema = Type.Object(
  {
    host: Type.String({
      default: '127.0.0.1',
      description: 'Address to bind. Keep it on loopback unless you know why.',
    }),
    port: Type.Integer({
      minimum: 0,
      maximum: 65535,
      default: 7450,
      description: 'TCP port (0 picks a free one).',
    }),
    allowedOrigins: Type.Array(Type.String({ minLength: 1 }), {
      default: [],
      description:
        'Browser Origins allowed to connect (exact match, e.g. "https://pos.example.com"). Clients without an Origin header (native apps) are always allowed.',
    }),
    maxFrameBytes: Type.Integer({
      minimum: 1024,
      maximum: 16 * 1024 * 1024,
      default: 256 * 1024,
      description: 'Largest accepted frame; bigger ones close the socket with 1009.',
    }),
    helloTimeoutMs: Type.Integer({
      minimum: 100,
      default: 5000,
      description: 'A connection that has not sent a valid hello by then is closed (1008).',
    }),
    maxBadTokens: Type.Integer({
      minimum: 1,
      default: 3,
      description: 'Bad tokens on one connection before it is closed (1008).',
    }),
    rateLimit: Type.Object(
      {
        requestsPerSecond: Type.Number({ exclusiveMinimum: 0, default: 50 }),
        burst: Type.Integer({ minimum: 1, default: 100 }),
      },
      {
        default: {},
        additionalProperties: false,
        description: 'Token bucket per connection; excess requests answer rate_limited.',
      },
    ),
    maxConnections: Type.Integer({ minimum: 1, default: 64 }),
  },
  { default: {}, additionalProperties: false },
);

export type ServerConfig = Static<typeof ServerConfigSchema>;
