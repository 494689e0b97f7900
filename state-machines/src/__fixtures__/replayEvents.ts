import {
  initialTransition,
  transition,
  type AnyEventObject,
  type AnyStateMachine,
  type EventObject,
  type InputFrom,
  type SnapshotFrom,
} from 'xstate';

/** What {@link replayEvents} observed: every snapshot, and the events emitted after each step. */
export interface Replay<TMachine extends AnyStateMachine> {
  readonly snapshot: SnapshotFrom<TMachine>;
  readonly snapshots: readonly SnapshotFrom<TMachine>[];
  /** Emitted events in order. */
  readonly emitted: readonly EventObject[];
  /** Emitted events, grouped per step (index 0 = the initial transition). */
  readonly emittedPerStep: readonly (readonly EventObject[])[];
}

/** The events among `actions` (as `transition()` returns them) that the machine emits. */
export function emittedOf(actions: readonly unknown[]): EventObject[] {
  return (actions as readonly { type: string; params: unknown }[])
    .filter((a) => a.type === 'xstate.emit')
    .map((a) => (a.params as { event: EventObject }).event);
}

/**
 * Replays `events` through the machine with XState's pure `initialTransition` / `transition`
 * (no actors run, no timers), collecting what the machine emits. Done / error / after events
 * are sent like any other, which is exactly how `xstate/graph` paths describe them.
 */
export function replayEvents<TMachine extends AnyStateMachine>(
  machine: TMachine,
  input: InputFrom<TMachine>,
  events: readonly AnyEventObject[],
): Replay<TMachine> {
  const [first, firstActions] = initialTransition(machine, input);
  let snapshot = first as SnapshotFrom<TMachine>;
  const snapshots = [snapshot];
  const emittedPerStep: EventObject[][] = [emittedOf(firstActions)];
  for (const event of events) {
    if (event.type === 'xstate.init') continue;
    const [next, actions] = transition(machine, snapshot, event as never);
    snapshot = next as SnapshotFrom<TMachine>;
    snapshots.push(snapshot);
    emittedPerStep.push(emittedOf(actions));
  }
  return { snapshot, snapshots, emitted: emittedPerStep.flat(), emittedPerStep };
}
