import type { FailureReason } from '../errors/failureReasonOf.js';

/** The device a {@link deviceMachine} instance manages. */
export interface ManagedDevice {
  readonly kind: 'camera' | 'documentReader' | 'samReader';
  /** Stable id (PC/SC reader name, camera path, serial port). */
  readonly id: string;
}

/** Settings of the device lifecycle. Durations in ms. */
export interface DeviceLifecycleConfig {
  /** Open as soon as the device is attached. Default true. */
  readonly autoOpen: boolean;
  /** Recovery attempts after an error before giving the device up (→ absent). Default 5. */
  readonly maxRecoveryAttempts: number;
  /** First backoff before a recovery attempt; doubles per attempt. Default 500. */
  readonly backoffBaseMs: number;
  /** Longest backoff. Default 30000. */
  readonly backoffMaxMs: number;
  /** Longest open (or recovery) before it counts as failed. Default 10000. */
  readonly openTimeoutMs: number;
}

/** Defaults of {@link DeviceLifecycleConfig}. */
export const DEFAULT_DEVICE_LIFECYCLE_CONFIG: DeviceLifecycleConfig = Object.freeze({
  autoOpen: true,
  maxRecoveryAttempts: 5,
  backoffBaseMs: 500,
  backoffMaxMs: 30_000,
  openTimeoutMs: 10_000,
});

/** Input of {@link deviceMachine}. */
export interface DeviceInput {
  readonly device: ManagedDevice;
  /** True when the device is already plugged in when the machine starts. Default false. */
  readonly attached?: boolean;
  readonly config?: Partial<DeviceLifecycleConfig>;
}

/** Input of the `openDevice` and `recoverDevice` actor slots. */
export interface OpenDeviceInput {
  readonly device: ManagedDevice;
  /** 0 for the first open, then the recovery attempt (1-based). */
  readonly attempt: number;
}

/** Events the device machine accepts; anything else is ignored. */
export type DeviceEvent =
  | { readonly type: 'DEVICE.ATTACHED' }
  | { readonly type: 'DEVICE.DETACHED' }
  | { readonly type: 'OPEN' }
  | { readonly type: 'ACQUIRE'; readonly owner: string }
  | { readonly type: 'RELEASE' }
  | { readonly type: 'DEVICE.FAULT'; readonly error: FailureReason };

/** The state names `device.state` reports. */
export type DeviceStateName =
  'absent' | 'present' | 'opening' | 'ready' | 'busy' | 'error' | 'recovering';

/** Events the device machine emits. */
export interface DeviceStateEmitted {
  readonly type: 'device.state';
  readonly device: ManagedDevice;
  readonly state: DeviceStateName;
  /** Recovery attempts made since the device was last ready. */
  readonly attempt: number;
  readonly owner?: string;
  readonly reason?: FailureReason;
}

/** The device machine's context. */
export interface DeviceContext {
  readonly device: ManagedDevice;
  readonly config: DeviceLifecycleConfig;
  readonly attached: boolean;
  readonly attempts: number;
  readonly owner: string | undefined;
  readonly reason: FailureReason | undefined;
}
