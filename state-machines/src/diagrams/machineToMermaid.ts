import type { AnyStateMachine } from 'xstate';

/** The structural view of a state node the renderer reads (a subset of XState's `StateNode`). */
interface NodeView {
  readonly id: string;
  readonly key: string;
  readonly type: 'atomic' | 'compound' | 'parallel' | 'final' | 'history';
  readonly initial?: { readonly target: readonly NodeView[] } | undefined;
  readonly states: Readonly<Record<string, NodeView>>;
  readonly transitions: ReadonlyMap<string, readonly TransitionView[]>;
  readonly always?: readonly TransitionView[] | undefined;
  readonly invoke: readonly { readonly id: string; readonly src: unknown }[];
}

interface TransitionView {
  readonly eventType: string;
  readonly target?: readonly NodeView[] | undefined;
  readonly guard?: unknown;
  readonly actions: readonly unknown[];
}

/** One row of a machine's transition table. */
export interface TransitionRow {
  /** Source state path, e.g. `active.document.reading`. */
  readonly from: string;
  /** Readable event: `CANCEL`, `after documentReadMs`, `done readDocument`, `error readDocument`, `always`. */
  readonly event: string;
  readonly guard: string;
  /** Target state path, or empty for a targetless transition. */
  readonly to: string;
  readonly actions: string;
}

const mermaidId = (node: NodeView): string => node.id.replace(/[^A-Za-z0-9_]/g, '_');

function pathOf(node: NodeView, machineId: string): string {
  return node.id === machineId ? '(root)' : node.id.slice(machineId.length + 1);
}

function eventLabel(eventType: string, node: NodeView): string {
  if (eventType === '') return 'always';
  const after = /^xstate\.after\.(.+)$/.exec(eventType);
  if (after?.[1] !== undefined) {
    const suffix = `.${node.id}`;
    return `after ${after[1].endsWith(suffix) ? after[1].slice(0, -suffix.length) : after[1]}`;
  }
  const actor = /^xstate\.(done|error)\.actor\.(.+)$/.exec(eventType);
  if (actor !== null) return `${actor[1]} ${actor[2]}`;
  return eventType;
}

function guardLabel(guard: unknown): string {
  if (guard === undefined) return '';
  if (typeof guard === 'string') return guard;
  if (typeof guard === 'object' && guard !== null && 'type' in guard)
    return String((guard as { type: unknown }).type);
  if (typeof guard === 'function') {
    const g = guard as { name?: string; check?: { name?: string }; guards?: unknown[] };
    const parts = (g.guards ?? []).map(guardLabel);
    // xstate's and()/or()/not() are functions named so, with a `check` named checkAnd/…
    const kind = ['and', 'or', 'not'].includes(g.name ?? '')
      ? g.name
      : g.check?.name?.replace(/^check/, '').toLowerCase();
    switch (kind) {
      case 'and':
        return parts.join(' && ');
      case 'or':
        return parts.join(' || ');
      case 'not':
        return `!${parts[0] ?? '?'}`;
      default:
        return 'inline';
    }
  }
  return '?';
}

function actionLabel(action: unknown): string {
  if (typeof action === 'string') return action;
  if (typeof action === 'function') return String((action as { type?: unknown }).type ?? 'inline');
  if (typeof action === 'object' && action !== null && 'type' in action) {
    const { type, params } = action as { type: unknown; params?: unknown };
    const code =
      typeof params === 'object' && params !== null
        ? (params as { code?: unknown }).code
        : undefined;
    const state =
      typeof params === 'object' && params !== null
        ? (params as { state?: unknown }).state
        : undefined;
    const detail = typeof code === 'string' ? code : typeof state === 'string' ? state : undefined;
    return detail === undefined ? String(type) : `${String(type)}(${detail})`;
  }
  return '?';
}

function walk(node: NodeView, visit: (node: NodeView) => void): void {
  visit(node);
  for (const child of Object.values(node.states)) walk(child, visit);
}

function transitionsOf(node: NodeView): TransitionView[] {
  return [...[...node.transitions.values()].flat(), ...(node.always ?? [])];
}

/**
 * Every transition of `machine`, in document order, as table rows (event, guard, target and
 * named actions, with the reason code of `setReason`-style actions).
 */
export function machineTransitionRows(machine: AnyStateMachine): TransitionRow[] {
  const root = machine.root as unknown as NodeView;
  const rows: TransitionRow[] = [];
  walk(root, (node) => {
    for (const t of transitionsOf(node)) {
      const targets = t.target ?? [];
      const base = {
        from: pathOf(node, root.id),
        event: eventLabel(t.eventType, node),
        guard: guardLabel(t.guard),
        actions: t.actions.map(actionLabel).join(', '),
      };
      if (targets.length === 0) rows.push({ ...base, to: '' });
      for (const target of targets) rows.push({ ...base, to: pathOf(target, root.id) });
    }
  });
  return rows;
}

/**
 * Renders `machine`'s definition as a Mermaid `stateDiagram-v2`: compound states as
 * composites with their initial state, finals to `[*]`, history states as `H*`, invoked actors
 * in the state's label, and every targeted transition labelled `event [guard]`.
 */
export function machineToMermaid(machine: AnyStateMachine): string {
  const root = machine.root as unknown as NodeView;
  const lines: string[] = ['stateDiagram-v2'];
  const declare = (node: NodeView, indent: string): void => {
    const id = mermaidId(node);
    const invokes = node.invoke.map((i) => i.id).join(', ');
    const label =
      node.type === 'history'
        ? 'H*'
        : invokes === ''
          ? node.key
          : `${node.key} · invoke ${invokes}`;
    const children = Object.values(node.states);
    if (children.length === 0) {
      lines.push(`${indent}state "${label}" as ${id}`);
      if (node.type === 'final') lines.push(`${indent}${id} --> [*]`);
      return;
    }
    lines.push(`${indent}state "${label}" as ${id} {`);
    const initial = node.initial?.target[0];
    if (initial !== undefined) lines.push(`${indent}  [*] --> ${mermaidId(initial)}`);
    for (const child of children) declare(child, `${indent}  `);
    lines.push(`${indent}}`);
  };
  const initial = root.initial?.target[0];
  if (initial !== undefined) lines.push(`  [*] --> ${mermaidId(initial)}`);
  for (const child of Object.values(root.states)) declare(child, '  ');
  walk(root, (node) => {
    for (const t of transitionsOf(node)) {
      const guard = guardLabel(t.guard);
      const label = `${eventLabel(t.eventType, node)}${guard === '' ? '' : ` [${guard}]`}`.replace(
        /[:;#]/g,
        ' ',
      );
      const source = node === root ? 'ROOT' : mermaidId(node);
      for (const target of t.target ?? []) {
        // transitions of the root apply in every state: draw them from a note-like pseudo state
        lines.push(`  ${source} --> ${mermaidId(target)} : ${label}`);
      }
    }
  });
  if (lines.some((l) => l.startsWith('  ROOT '))) lines.splice(1, 0, '  state "any state" as ROOT');
  return `${lines.join('\n')}\n`;
}
