import type { AnyStateMachine, EventObject } from 'xstate';
import { getStateNodes } from 'xstate/graph';

/**
 * The `xstate.after.*` events of every delayed transition the machine defines. `xstate/graph`
 * only sends the events it is given, so traversals add these to cover every timeout.
 */
export function delayedEventsOf(machine: AnyStateMachine): EventObject[] {
  const types = new Set<string>();
  for (const node of [machine.root, ...getStateNodes(machine.root)]) {
    for (const t of node.after) types.add(t.eventType);
  }
  return [...types].map((type) => ({ type }));
}
