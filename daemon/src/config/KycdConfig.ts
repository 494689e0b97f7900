import { Type, type Static } from '@sinclair/typebox';
import { CameraConfigSchema } from './sections/camera.js';
import { DocumentsConfigSchema } from './sections/documents.js';
import { FaceConfigSchema } from './sections/face.js';
import { LivenessConfigSchema } from './sections/liveness.js';
import { PrivacyConfigSchema } from './sections/privacy.js';
import { RegistrationConfigSchema } from './sections/registration.js';
import { ServerConfigSchema } from './sections/server.js';
import { SessionConfigSchema } from './sections/session.js';

/**
 * The daemon's configuration file (YAML or JSON). Every key is optional and has a default;
 * unknown keys are refused so that a typo never silently falls back to a default.
 */
export const KycdConfigSchema = Type.Object(
  {
    mode: Type.Union([Type.Literal('production'), Type.Literal('simulator')], {
      default: 'production',
      description:
        'production uses only configured real devices. simulator is selected by `kycd start --sim` alone: a file that says simulator without --sim is refused.',
    }),
    logLevel: Type.Union(
      ['fatal', 'error', 'warn', 'info', 'debug', 'trace'].map((l) => Type.Literal(l)),
      { default: 'info' },
    ),
    store: Type.Object(
      {
        terminalName: Type.String({ default: 'terminal-1' }),
        storeId: Type.String({ default: 'store-1' }),
      },
      { default: {}, additionalProperties: false },
    ),
    server: ServerConfigSchema,
    session: SessionConfigSchema,
    documents: DocumentsConfigSchema,
    face: FaceConfigSchema,
    camera: CameraConfigSchema,
    liveness: LivenessConfigSchema,
    registration: RegistrationConfigSchema,
    privacy: PrivacyConfigSchema,
  },
  { additionalProperties: false },
);

/** The validated configuration with every default filled in. */
export type KycdConfig = Static<typeof KycdConfigSchema>;
