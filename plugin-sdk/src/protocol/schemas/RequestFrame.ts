import { Type, type Static } from '@sinclair/typebox';
import { FRAME_LIMITS } from '../protocolConstants.js';

/** A request id: chosen by the client, echoed in the response. A string (≤ 128 chars) or a finite number. */
export const RequestId = Type.Union(
  [Type.String({ maxLength: FRAME_LIMITS.maxIdLength }), Type.Number()],
  {
    description:
      'Client-chosen id echoed in the response: a string of at most 128 characters or a finite number.',
  },
);

/** A request id. */
export type RequestId = Static<typeof RequestId>;

/**
 * The request envelope `{id, method, params?}`. The params are checked separately against the
 * method's own schema (see {@link METHODS}); a missing `params` means `{}`.
 */
export const RequestFrame = Type.Object(
  {
    id: RequestId,
    method: Type.String({
      minLength: 1,
      maxLength: FRAME_LIMITS.maxMethodLength,
      description: 'A method name from METHODS.',
    }),
    params: Type.Optional(
      Type.Unknown({ description: 'The method parameters (an object); omitted means {}.' }),
    ),
  },
  { additionalProperties: false, title: 'RequestFrame' },
);

/** The request envelope. */
export type RequestFrame = Static<typeof RequestFrame>;
