import { Type, type Static } from '@sinclair/typebox';

/** `liveness`: settings of the liveness subsystem (every key has a documented default). */
export const LivenessConfigSchema = Type.Object({}, { default: {}, additionalProperties: false });

export type LivenessConfig = Static<typeof LivenessConfigSchema>;
