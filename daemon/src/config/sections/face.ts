import { Type, type Static } from '@sinclair/typebox';

/** `face`: settings of the face subsystem (every key has a documented default). */
export const FaceConfigSchema = Type.Object({}, { default: {}, additionalProperties: false });

export type FaceConfig = Static<typeof FaceConfigSchema>;
