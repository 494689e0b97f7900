import { Type, type Static } from '@sinclair/typebox';

/** `camera`: settings of the camera subsystem (every key has a documented default). */
export const CameraConfigSchema = Type.Object({}, { default: {}, additionalProperties: false });

export type CameraConfig = Static<typeof CameraConfigSchema>;
