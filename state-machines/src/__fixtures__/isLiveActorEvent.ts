import type { EventObject } from 'xstate';

const ACTOR_EVENT = /^xstate\.(?:done|error)\.actor\.(.+)$/;

/**
 * Traversal filter: send an actor's done / error event only while that actor is running (it is
 * a child of the snapshot). XState treats an unhandled `xstate.error.actor.*` as the machine's
 * own failure, which no real run can produce for an actor that is not running.
 */
export function isLiveActorEvent(
  snapshot: { children: Record<string, unknown> },
  event: EventObject,
): boolean {
  const match = ACTOR_EVENT.exec(event.type);
  return match === null || (match[1] !== undefined && snapshot.children[match[1]] !== undefined);
}
