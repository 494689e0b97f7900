import { assign, emit, fromPromise, setup } from 'xstate';
import { MachineError } from '../errors/MachineError.js';
import { failureReasonOf, type FailureReason } from '../errors/failureReasonOf.js';
import { deviceBackoffMs } from './deviceBackoffMs.js';
import {
  DEFAULT_DEVICE_LIFECYCLE_CONFIG,
  type DeviceContext,
  type DeviceEvent,
  type DeviceInput,
  type DeviceLifecycleConfig,
  type DeviceStateEmitted,
  type DeviceStateName,
  type OpenDeviceInput,
} from './deviceTypes.js';

function notProvided(slot: string): MachineError {
  return new MachineError(
    'session_actor_not_provided',
    `device actor "${slot}" is a placeholder: call deviceMachine.provide({ actors: { ${slot} } })`,
  );
}

function resolveConfig(overrides: Partial<DeviceLifecycleConfig> = {}): DeviceLifecycleConfig {
  const config = { ...DEFAULT_DEVICE_LIFECYCLE_CONFIG, ...overrides };
  for (const key of [
    'maxRecoveryAttempts',
    'backoffBaseMs',
    'backoffMaxMs',
    'openTimeoutMs',
  ] as const) {
    const v = config[key];
    if (!Number.isInteger(v) || v < 0 || v > 2_147_483_647) {
      throw new RangeError(
        `DeviceLifecycleConfig.${key} must be an integer in 0..2^31−1, got ${String(v)}`,
      );
    }
  }
  if (typeof config.autoOpen !== 'boolean')
    throw new TypeError('DeviceLifecycleConfig.autoOpen must be a boolean');
  return Object.freeze(config);
}

/**
 * The lifecycle of one device: absent → present → opening → ready ⇄ busy; a fault or a failed
 * open → error → (after the `backoff` delay) recovering → ready, or absent once
 * `maxRecoveryAttempts` are used up. Hot-plug: `DEVICE.ATTACHED` / `DEVICE.DETACHED` from
 * anywhere. Actor slots `openDevice` and `recoverDevice` (promises) are placeholders the
 * daemon's drivers replace with `.provide({ actors })`. Every state entry emits `device.state`.
 *
 * @example
 * ```ts
 * const reader = createActor(deviceMachine.provide({ actors: { openDevice, recoverDevice } }), {
 *   input: { device: { kind: 'documentReader', id: 'ACS ACR122U 00 00' }, attached: true },
 * });
 * reader.on('device.state', (e) => log.info(e));
 * reader.start();
 * ```
 */
export const deviceMachine = setup({
  types: {
    context: {} as DeviceContext,
    events: {} as DeviceEvent,
    input: {} as DeviceInput,
    emitted: {} as DeviceStateEmitted,
  },
  actors: {
    openDevice: fromPromise<void, OpenDeviceInput>(() => Promise.reject(notProvided('openDevice'))),
    recoverDevice: fromPromise<void, OpenDeviceInput>(() =>
      Promise.reject(notProvided('recoverDevice')),
    ),
  },
  guards: {
    isAttached: ({ context }) => context.attached,
    autoOpen: ({ context }) => context.config.autoOpen,
    canRecover: ({ context }) => context.attempts <= context.config.maxRecoveryAttempts,
    ownerWellFormed: (_, params: { owner: unknown }) =>
      typeof params.owner === 'string' && params.owner.length > 0 && params.owner.length <= 128,
  },
  actions: {
    emitState: emit(({ context }, params: { state: DeviceStateName }): DeviceStateEmitted => ({
      type: 'device.state',
      device: context.device,
      state: params.state,
      attempt: context.attempts,
      ...(context.owner === undefined ? {} : { owner: context.owner }),
      ...(context.reason === undefined ? {} : { reason: context.reason }),
    })),
    markAttached: assign({ attached: true, attempts: 0, reason: undefined }),
    markDetached: assign({
      attached: false,
      owner: undefined,
      reason: ({ context }): FailureReason => ({
        code: 'device_detached',
        message: `${context.device.id} was unplugged`,
      }),
    }),
    setReason: assign({ reason: (_, params: FailureReason) => params }),
    setReasonFromError: assign({
      reason: (_, params: { error: unknown; fallbackCode: string }) =>
        failureReasonOf(params.error, params.fallbackCode),
    }),
    clearReason: assign({ reason: undefined }),
    giveUp: assign({
      attached: false,
      reason: ({ context }): FailureReason => ({
        code: 'device_recovery_exhausted',
        message: `gave up after ${context.attempts} recovery attempts (last: ${context.reason?.code ?? 'unknown'})`,
      }),
    }),
    countAttempt: assign({ attempts: ({ context }) => context.attempts + 1 }),
    resetAttempts: assign({ attempts: 0 }),
    setOwner: assign({ owner: (_, params: { owner: string }) => params.owner }),
    clearOwner: assign({ owner: undefined }),
  },
  delays: {
    backoff: ({ context }) => deviceBackoffMs(context.attempts, context.config),
    openTimeout: ({ context }) => context.config.openTimeoutMs,
  },
}).createMachine({
  id: 'device',
  context: ({ input }) => ({
    device: input.device,
    config: resolveConfig(input.config),
    attached: input.attached === true,
    attempts: 0,
    owner: undefined,
    reason: undefined,
  }),
  initial: 'absent',
  states: {
    absent: {
      entry: { type: 'emitState', params: { state: 'absent' } },
      always: { guard: 'isAttached', target: 'attached' },
      on: { 'DEVICE.ATTACHED': { target: 'attached', actions: 'markAttached' } },
    },
    attached: {
      initial: 'present',
      on: { 'DEVICE.DETACHED': { target: 'absent', actions: 'markDetached' } },
      states: {
        present: {
          entry: { type: 'emitState', params: { state: 'present' } },
          always: { guard: 'autoOpen', target: 'opening' },
          on: { OPEN: 'opening' },
        },
        opening: {
          entry: { type: 'emitState', params: { state: 'opening' } },
          invoke: {
            id: 'openDevice',
            src: 'openDevice',
            input: ({ context }) => ({ device: context.device, attempt: 0 }),
            onDone: { target: 'ready', actions: ['resetAttempts', 'clearReason'] },
            onError: {
              target: 'error',
              actions: {
                type: 'setReasonFromError',
                params: ({ event }) => ({ error: event.error, fallbackCode: 'device_open_failed' }),
              },
            },
          },
          after: {
            openTimeout: {
              target: 'error',
              actions: {
                type: 'setReason',
                params: { code: 'device_open_timeout', message: 'opening the device timed out' },
              },
            },
          },
        },
        ready: {
          entry: { type: 'emitState', params: { state: 'ready' } },
          on: {
            ACQUIRE: {
              guard: { type: 'ownerWellFormed', params: ({ event }) => ({ owner: event.owner }) },
              target: 'busy',
              actions: { type: 'setOwner', params: ({ event }) => ({ owner: event.owner }) },
            },
            'DEVICE.FAULT': {
              target: 'error',
              actions: {
                type: 'setReasonFromError',
                params: ({ event }) => ({ error: event.error, fallbackCode: 'device_fault' }),
              },
            },
          },
        },
        busy: {
          entry: { type: 'emitState', params: { state: 'busy' } },
          exit: 'clearOwner',
          on: {
            RELEASE: 'ready',
            'DEVICE.FAULT': {
              target: 'error',
              actions: {
                type: 'setReasonFromError',
                params: ({ event }) => ({ error: event.error, fallbackCode: 'device_fault' }),
              },
            },
          },
        },
        error: {
          entry: ['countAttempt', { type: 'emitState', params: { state: 'error' } }],
          after: {
            backoff: [
              { guard: 'canRecover', target: 'recovering' },
              {
                target: '#device.absent',
                actions: 'giveUp',
              },
            ],
          },
        },
        recovering: {
          entry: { type: 'emitState', params: { state: 'recovering' } },
          invoke: {
            id: 'recoverDevice',
            src: 'recoverDevice',
            input: ({ context }) => ({ device: context.device, attempt: context.attempts }),
            onDone: { target: 'ready', actions: ['resetAttempts', 'clearReason'] },
            onError: {
              target: 'error',
              actions: {
                type: 'setReasonFromError',
                params: ({ event }) => ({ error: event.error, fallbackCode: 'device_open_failed' }),
              },
            },
          },
          after: {
            openTimeout: {
              target: 'error',
              actions: {
                type: 'setReason',
                params: { code: 'device_open_timeout', message: 'recovering the device timed out' },
              },
            },
          },
        },
      },
    },
  },
});
