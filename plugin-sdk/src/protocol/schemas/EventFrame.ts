import { Type, type Static } from '@sinclair/typebox';
import { SeqNumber, SessionId } from './common.js';

/**
 * An event pushed by the daemon `{event, data, sessionId?, seq}`. For session events `seq`
 * starts at 1 and increases by one per session, so a client can `session.resume` after the last
 * seq it saw; events without a `sessionId` (`device.changed`) carry a daemon-wide counter (shared
 * by every connection, so a connection may see gaps; they are not resumable).
 */
export const EventFrame = Type.Object(
  {
    event: Type.String({ minLength: 1, maxLength: 64, description: 'An event name from EVENTS.' }),
    data: Type.Unknown({ description: "The event's data (see EVENTS)." }),
    sessionId: Type.Optional(SessionId),
    seq: SeqNumber(
      'Per-session sequence number; for events without a sessionId (`device.changed`) a daemon-wide counter shared by all connections.',
    ),
  },
  { additionalProperties: false, title: 'EventFrame' },
);

/** An event frame. */
export type EventFrame = Static<typeof EventFrame>;
