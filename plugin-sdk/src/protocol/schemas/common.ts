import { Type, type TInteger, type TString } from '@sinclair/typebox';

/**
 * Small schema building blocks shared by the method and event schemas. Every string a client
 * can send is length-bounded; numbers are finite (TypeBox rejects NaN and ±Infinity).
 */

/** A bounded string: `maxLength` is required so no unbounded string slips into a schema. */
export function BoundedString(
  maxLength: number,
  options: { minLength?: number; pattern?: string; description?: string } = {},
): TString {
  return Type.String({ minLength: options.minLength ?? 0, maxLength, ...options });
}

/** Session ids are daemon-issued opaque strings. */
export const SessionId = Type.String({
  minLength: 1,
  maxLength: 64,
  pattern: '^[A-Za-z0-9_-]+$',
  description: 'Daemon-issued opaque session id.',
});

/** An ISO 8601 timestamp in UTC, e.g. `2026-11-22T13:40:00.000Z`. */
export const IsoTimestamp = Type.String({
  maxLength: 40,
  description: 'ISO 8601 timestamp (UTC).',
});

/** A date in the MRZ's `YYMMDD` form. */
export const MrzDate = Type.String({
  pattern: '^[0-9]{2}(0[1-9]|1[0-2])(0[1-9]|[12][0-9]|3[01])$',
  minLength: 6,
  maxLength: 6,
  description: 'Date as printed in the MRZ: YYMMDD.',
});

/** A sequence number or counter: a non-negative safe integer. */
export function SeqNumber(description: string): TInteger {
  return Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER, description });
}

/** The kinds of identity document kycd reads. */
export const DocumentKind = Type.Union([Type.Literal('emrtd'), Type.Literal('cn-resident-id')], {
  description:
    '`emrtd`: ICAO 9303 passport or eID over PC/SC; `cn-resident-id`: Chinese second-generation resident ID over a SAM reader.',
});

/** Which access control protocol ran on the chip. */
export const AccessControl = Type.Union(
  [Type.Literal('PACE'), Type.Literal('BAC'), Type.Literal('SAM')],
  {
    description: 'Access control that ran: PACE or BAC (eMRTD), SAM (resident ID).',
  },
);

/** A failure or refusal reason: a registered error code and an English message. */
export const Reason = Type.Object(
  {
    code: Type.String({
      minLength: 1,
      maxLength: 64,
      description: 'A code from the error registry (docs/errors.md).',
    }),
    message: Type.String({
      maxLength: 4096,
      description: 'Human-readable explanation (English), safe to log.',
    }),
  },
  { additionalProperties: false },
);

/** Outcome of the 1:1 face comparison. */
export const MatchDecision = Type.Union(
  [Type.Literal('match'), Type.Literal('no_match'), Type.Literal('inconclusive')],
  {
    description:
      '`match` clearly at or above the threshold, `no_match` clearly below it, `inconclusive` within the margin around it (manual review when policy allows).',
  },
);

/** Delivery status of a registration record. */
export const RegistrationStatus = Type.Union(
  [Type.Literal('queued'), Type.Literal('delivered'), Type.Literal('rejected')],
  {
    description:
      '`queued` in the durable outbox, `delivered` acknowledged by the carrier, `rejected` refused by the carrier.',
  },
);

/** Liveness challenge a customer is asked to perform. */
export const LivenessChallengeKind = Type.Union(
  [Type.Literal('turnLeft'), Type.Literal('turnRight'), Type.Literal('blink'), Type.Literal('nod')],
  { description: 'What the customer is asked to do.' },
);
