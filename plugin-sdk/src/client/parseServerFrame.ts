import { COMPILED_TOLERANT } from '../protocol/compiledSchemas.js';
import { isEventName, type EventName } from '../protocol/EVENTS.js';
import type { ErrorObject } from '../protocol/schemas/ResponseFrame.js';
import type { RequestId } from '../protocol/schemas/RequestFrame.js';
import { validateEvent } from '../protocol/validateMessage.js';

/** A frame from the daemon, classified. The SDK treats the daemon's bytes as untrusted too. */
export type ServerFrame =
  | { readonly kind: 'result'; readonly id: RequestId; readonly result: unknown }
  | { readonly kind: 'error'; readonly id: RequestId | null; readonly error: ErrorObject }
  | {
      readonly kind: 'event';
      readonly event: EventName;
      readonly data: unknown;
      readonly sessionId?: string;
      readonly seq: number;
    }
  | { readonly kind: 'unknownEvent'; readonly event: string }
  | { readonly kind: 'invalid'; readonly reason: string };

/**
 * Classify one text frame from the daemon: a result, an error response, a known event (whose
 * data matched its schema, tolerating fields this SDK does not know), an event this SDK version
 * does not know (newer daemon), or invalid. Never throws.
 */
export function parseServerFrame(text: unknown): ServerFrame {
  if (typeof text !== 'string') return { kind: 'invalid', reason: 'binary frame from the daemon' };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { kind: 'invalid', reason: 'the daemon sent a frame that is not JSON' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return { kind: 'invalid', reason: 'the daemon sent a frame that is not an object' };
  const frame = value as Record<string, unknown>;
  if ('event' in frame) {
    if (!isEventName(frame['event'])) {
      return typeof frame['event'] === 'string'
        ? { kind: 'unknownEvent', event: frame['event'] }
        : { kind: 'invalid', reason: 'event name is not a string' };
    }
    const checked = validateEvent(frame, { tolerant: true });
    if (!checked.ok) {
      const first = checked.issues[0];
      return {
        kind: 'invalid',
        reason: `event ${frame['event']} off-schema${first === undefined ? '' : ` at ${first.path}: ${first.message}`}`,
      };
    }
    const sessionId = frame['sessionId'];
    return typeof sessionId === 'string'
      ? {
          kind: 'event',
          event: frame['event'],
          data: frame['data'],
          sessionId,
          seq: frame['seq'] as number,
        }
      : { kind: 'event', event: frame['event'], data: frame['data'], seq: frame['seq'] as number };
  }
  const isError = 'error' in frame;
  if (isError === 'result' in frame)
    return { kind: 'invalid', reason: 'a response must hold exactly one of result and error' };
  if (isError) {
    if (!COMPILED_TOLERANT.errorFrame.Check(frame))
      return { kind: 'invalid', reason: 'error response off-schema' };
    return {
      kind: 'error',
      id: frame['id'] as RequestId | null,
      error: frame['error'] as ErrorObject,
    };
  }
  if (!COMPILED_TOLERANT.successFrame.Check(frame))
    return { kind: 'invalid', reason: 'response frame off-schema' };
  return { kind: 'result', id: frame['id'] as RequestId, result: frame['result'] };
}
