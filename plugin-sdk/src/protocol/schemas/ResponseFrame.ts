import { Type, type Static } from '@sinclair/typebox';
import { RequestId } from './RequestFrame.js';

/** The `error` member of an error response: a registered code, a message, optional details. */
export const ErrorObject = Type.Object(
  {
    code: Type.String({
      minLength: 1,
      maxLength: 64,
      description: 'Stable error code (docs/errors.md).',
    }),
    message: Type.String({ maxLength: 4096, description: 'Human-readable explanation (English).' }),
    data: Type.Optional(
      Type.Record(Type.String(), Type.Unknown(), {
        description: 'Structured details, e.g. the failing schema paths.',
      }),
    ),
  },
  { additionalProperties: false, title: 'ErrorObject' },
);

/** The `error` member of an error response. */
export type ErrorObject = Static<typeof ErrorObject>;

/** A successful response `{id, result}`. */
export const SuccessResponseFrame = Type.Object(
  { id: RequestId, result: Type.Unknown({ description: "The method's result (see METHODS)." }) },
  { additionalProperties: false, title: 'SuccessResponseFrame' },
);

/**
 * An error response `{id, error}`. `id` is `null` when the request's id could not be read
 * (unparseable JSON, a frame that is not an object, a bad id).
 */
export const ErrorResponseFrame = Type.Object(
  { id: Type.Union([RequestId, Type.Null()]), error: ErrorObject },
  { additionalProperties: false, title: 'ErrorResponseFrame' },
);

/** A response: `{id, result}` or `{id, error: {code, message, data?}}`. */
export const ResponseFrame = Type.Union([SuccessResponseFrame, ErrorResponseFrame], {
  title: 'ResponseFrame',
});

/** A response frame. */
export type ResponseFrame = Static<typeof ResponseFrame>;
