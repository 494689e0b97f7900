import { Type, type Static } from '@sinclair/typebox';

/** `privacy`: settings of the privacy subsystem (every key has a documented default). */
export const PrivacyConfigSchema = Type.Object({}, { default: {}, additionalProperties: false });

export type PrivacyConfig = Static<typeof PrivacyConfigSchema>;
