import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  createActor,
  fromPromise,
  transition,
  type AnyEventObject,
  type EventObject,
} from 'xstate';
import { getShortestPaths, getSimplePaths, getStateNodes, type StatePath } from 'xstate/graph';
import { delayedEventsOf } from '../__fixtures__/delayedEventsOf.js';
import { isLiveActorEvent } from '../__fixtures__/isLiveActorEvent.js';
import { emittedOf, replayEvents } from '../__fixtures__/replayEvents.js';
import { deviceBackoffMs } from './deviceBackoffMs.js';
import { deviceMachine } from './deviceMachine.js';
import {
  DEFAULT_DEVICE_LIFECYCLE_CONFIG,
  type DeviceInput,
  type DeviceStateEmitted,
  type OpenDeviceInput,
} from './deviceTypes.js';

type Snap = ReturnType<typeof deviceMachine.transition>;
type Path = StatePath<Snap, EventObject>;

const reader = { kind: 'documentReader', id: 'Virtual PCD 00 00' } as const;
const input: DeviceInput = { device: reader, config: { maxRecoveryAttempts: 2 } };
const EVENTS: AnyEventObject[] = [
  { type: 'DEVICE.ATTACHED' },
  { type: 'DEVICE.DETACHED' },
  { type: 'OPEN' },
  { type: 'ACQUIRE', owner: 'session-1' },
  { type: 'RELEASE' },
  { type: 'DEVICE.FAULT', error: { code: 'device_fault', message: 'reader reset' } },
  { type: 'xstate.done.actor.openDevice' },
  {
    type: 'xstate.error.actor.openDevice',
    error: { code: 'device_open_failed', message: 'SCardConnect failed' },
  },
  { type: 'xstate.done.actor.recoverDevice' },
  {
    type: 'xstate.error.actor.recoverDevice',
    error: { code: 'device_open_failed', message: 'still broken' },
  },
  ...delayedEventsOf(deviceMachine),
];
const stateName = (s: Snap): string =>
  typeof s.value === 'string' ? s.value : (Object.values(s.value)[0] as string);
const deviceStates = (emitted: readonly EventObject[]) =>
  emitted.filter((e): e is DeviceStateEmitted => e.type === 'device.state').map((e) => e.state);

describe('deviceMachine (graph traversal)', () => {
  const paths = getShortestPaths(deviceMachine, {
    input,
    events: EVENTS as never,
    filterEvents: isLiveActorEvent,
    limit: 10_000,
  }) as Path[];

  it('never puts the machine in an error status (every actor failure is handled)', () => {
    for (const path of paths) expect(path.state.status).toBe('active');
  });

  it('reaches every state (present, with autoOpen off)', () => {
    const manual = getShortestPaths(deviceMachine, {
      input: { ...input, config: { autoOpen: false } },
      events: EVENTS as never,
      filterEvents: isLiveActorEvent,
    }) as Path[];
    const atPresent = manual.find((p) => stateName(p.state) === 'present');
    expect(atPresent).toBeDefined();
    const [opened] = transition(deviceMachine, atPresent!.state, { type: 'OPEN' });
    expect(stateName(opened)).toBe('opening');
    const reached = new Set([...paths, ...manual].map((p) => stateName(p.state)));
    const defined = getStateNodes(deviceMachine.root)
      .filter((n) => n.type === 'atomic')
      .map((n) => n.key);
    expect([...reached].sort()).toEqual(defined.sort());
  });

  it('emits device.state with the state name on every transition that changes the state', () => {
    for (const path of paths) {
      const last = path.steps.at(-1);
      const before = path.steps.at(-2);
      if (last === undefined || before === undefined) continue;
      const [next, actions] = transition(deviceMachine, before.state, last.event as never);
      const states = deviceStates(emittedOf(actions));
      if (JSON.stringify(next.value) !== JSON.stringify(before.state.value)) {
        expect(states.at(-1)).toBe(stateName(next));
      } else {
        expect(states).toEqual([]);
      }
    }
  });

  it('detaches to absent from every attached state, with device_detached', () => {
    for (const path of paths.filter((p) => stateName(p.state) !== 'absent')) {
      const [next, actions] = transition(deviceMachine, path.state, { type: 'DEVICE.DETACHED' });
      expect(next.value).toBe('absent');
      expect(emittedOf(actions)).toEqual([
        expect.objectContaining({
          type: 'device.state',
          state: 'absent',
          reason: expect.objectContaining({ code: 'device_detached' }),
        }),
      ]);
      expect(next.context.owner).toBeUndefined();
    }
  });

  it('gives up after maxRecoveryAttempts failed recoveries (→ absent, device_recovery_exhausted) and comes back on re-plug', () => {
    const giveUp = paths.find(
      (p) =>
        p.state.value === 'absent' && p.state.context.reason?.code === 'device_recovery_exhausted',
    );
    expect(giveUp).toBeDefined();
    const events = giveUp!.steps.map((s) => s.event).filter((e) => e.type !== 'xstate.init');
    expect(
      events.filter((e) => e.type === 'xstate.after.backoff.device.attached.error'),
    ).toHaveLength(3);
    const r = replayEvents(deviceMachine, input, [...events, { type: 'DEVICE.ATTACHED' }]);
    expect(deviceStates(r.emitted).slice(-2)).toEqual(['present', 'opening']);
    expect(r.snapshot.context.attempts).toBe(0);
  });

  it('getSimplePaths: every simple path to busy passes through ready and leaves the owner set', () => {
    const simple = getSimplePaths(deviceMachine, {
      input,
      events: EVENTS as never,
      filterEvents: isLiveActorEvent,
      toState: (s) => stateName(s) === 'busy',
    }) as Path[];
    expect(simple.length).toBeGreaterThanOrEqual(3);
    for (const path of simple) {
      const r = replayEvents(
        deviceMachine,
        input,
        path.steps.map((s) => s.event as AnyEventObject),
      );
      const states = deviceStates(r.emitted);
      expect(states.at(-2)).toBe('ready');
      expect(r.snapshot.context.owner).toBe('session-1');
      expect(r.emitted.at(-1)).toMatchObject({ state: 'busy', owner: 'session-1' });
    }
  });

  it('ignores ACQUIRE without a proper owner', () => {
    const ready = paths.find((p) => stateName(p.state) === 'ready')!;
    for (const owner of ['', 42, null, { toString: () => 'x' }, 'o'.repeat(200)]) {
      const [next] = transition(deviceMachine, ready.state, { type: 'ACQUIRE', owner } as never);
      expect(stateName(next)).toBe('ready');
    }
  });

  it('ignores unknown events and events that do not apply', () => {
    for (const path of paths) {
      for (const e of [{ type: 'NOPE' }, { type: 'xstate.done.actor.other' }]) {
        const [next, actions] = transition(deviceMachine, path.state, e as never);
        expect(next.value).toEqual(path.state.value);
        expect(emittedOf(actions)).toEqual([]);
      }
    }
  });
});

describe('deviceMachine (running actor)', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('backs off exponentially between recovery attempts, capped', () => {
    const config = { backoffBaseMs: 500, backoffMaxMs: 3_000 };
    expect([1, 2, 3, 4, 5].map((a) => deviceBackoffMs(a, config))).toEqual([
      500, 1_000, 2_000, 3_000, 3_000,
    ]);
    expect(deviceBackoffMs(1, DEFAULT_DEVICE_LIFECYCLE_CONFIG)).toBe(500);
  });

  it('opens on attach, recovers after a fault with the backoff delay, and reports each state', async () => {
    vi.useFakeTimers();
    let failOpens = 1;
    const opened: OpenDeviceInput[] = [];
    const machine = deviceMachine.provide({
      actors: {
        openDevice: fromPromise<void, OpenDeviceInput>(async ({ input: i }) => {
          opened.push(i);
          if (failOpens-- > 0)
            throw Object.assign(new Error('busy'), { code: 'device_open_failed' });
        }),
        recoverDevice: fromPromise<void, OpenDeviceInput>(async ({ input: i }) => {
          opened.push(i);
        }),
      },
    });
    const actor = createActor(machine, {
      input: { device: reader, config: { backoffBaseMs: 100 } },
    });
    const seen: string[] = [];
    actor.on('device.state', (e) => seen.push(e.state));
    actor.start();
    actor.send({ type: 'DEVICE.ATTACHED' });
    await vi.advanceTimersByTimeAsync(0);
    expect(seen).toEqual(['absent', 'present', 'opening', 'error']);
    await vi.advanceTimersByTimeAsync(99);
    expect(seen.at(-1)).toBe('error');
    await vi.advanceTimersByTimeAsync(1);
    expect(seen.slice(-2)).toEqual(['recovering', 'ready']);
    actor.send({ type: 'ACQUIRE', owner: 's' });
    actor.send({ type: 'DEVICE.FAULT', error: { code: 'device_fault', message: 'x' } });
    expect(actor.getSnapshot().context).toMatchObject({
      attempts: 1,
      owner: undefined,
      reason: { code: 'device_fault' },
    });
    await vi.advanceTimersByTimeAsync(100);
    expect(seen.slice(-4)).toEqual(['busy', 'error', 'recovering', 'ready']);
    expect(opened).toEqual([
      { device: reader, attempt: 0 },
      { device: reader, attempt: 1 },
      { device: reader, attempt: 1 },
    ]);
    actor.stop();
  });

  it('placeholders fail with session_actor_not_provided', async () => {
    const actor = createActor(deviceMachine, {
      input: { device: reader, attached: true, config: { maxRecoveryAttempts: 0 } },
    });
    actor.start();
    await new Promise((resolve) => setImmediate(resolve));
    expect(actor.getSnapshot().context.reason?.code).toBe('session_actor_not_provided');
    actor.stop();
  });

  it('rejects a bad config', () => {
    const [snapshot] = [
      createActor(deviceMachine, { input: { device: reader, config: { backoffBaseMs: -1 } } }),
    ];
    const errors: unknown[] = [];
    snapshot.subscribe({ error: (e) => errors.push(e) });
    snapshot.start();
    expect(errors[0]).toBeInstanceOf(RangeError);
  });
});
