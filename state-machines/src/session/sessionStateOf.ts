import type { SessionStep } from './sessionTypes.js';

/** The dotted state path and step of a session, exactly as `session.state` reports them. */
export interface SessionStateView {
  /** e.g. `document.reading`, `face.retryWait`, `suspended`, `completed`. */
  readonly state: string;
  readonly step: SessionStep;
}

/** The part of a session snapshot {@link sessionStateOf} reads. */
export interface SessionSnapshotLike {
  readonly value: unknown;
  readonly context: { readonly suspendedStep: SessionStep | undefined };
}

const STEP_OF_TOP_STATE: Readonly<Record<string, SessionStep>> = {
  consent: 'consent',
  document: 'document',
  face: 'face',
  match: 'match',
  review: 'match',
  registration: 'registration',
  completed: 'done',
  failed: 'done',
  cancelled: 'done',
  expired: 'done',
};

function pathOf(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (typeof value === 'object' && value !== null) {
    const [first] = Object.entries(value as Record<string, unknown>);
    if (first !== undefined) return [first[0], ...pathOf(first[1])];
  }
  return [];
}

/**
 * Turns a session actor snapshot into the state string and step `session.state` carries:
 * the dotted path of the active state without the internal `active.` prefix.
 *
 * @example
 * ```ts
 * sessionStateOf(actor.getSnapshot()) // { state: 'document.reading', step: 'document' }
 * ```
 */
export function sessionStateOf(snapshot: SessionSnapshotLike): SessionStateView {
  const path = pathOf(snapshot.value);
  if (path[0] === 'active') path.shift();
  const state = path.join('.');
  const top = path[0] ?? '';
  const step =
    top === 'suspended'
      ? (snapshot.context.suspendedStep ?? 'document')
      : (STEP_OF_TOP_STATE[top] ?? 'consent');
  return { state, step };
}
