import { Type, type Static } from '@sinclair/typebox';

/** `registration`: settings of the registration subsystem (every key has a documented default). */
export const RegistrationConfigSchema = Type.Object({}, { default: {}, additionalProperties: false });

export type RegistrationConfig = Static<typeof RegistrationConfigSchema>;
