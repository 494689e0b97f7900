import { Type, type Static } from '@sinclair/typebox';

/** `documents`: settings of the documents subsystem (every key has a documented default). */
export const DocumentsConfigSchema = Type.Object({}, { default: {}, additionalProperties: false });

export type DocumentsConfig = Static<typeof DocumentsConfigSchema>;
