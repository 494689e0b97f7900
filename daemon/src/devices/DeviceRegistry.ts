import { EventEmitter } from 'node:events';
import { deviceMachine, errorCodeOf, type ManagedDevice } from '@kycd/state-machines';
import { createActor, fromPromise, type Actor } from 'xstate';

export type DeviceKind = 'camera' | 'pcsc-reader' | 'sam-reader';
export type DeviceState =
  'absent' | 'present' | 'opening' | 'ready' | 'busy' | 'error' | 'recovering';

/** A device as the API shows it. */
export interface DeviceInfo {
  readonly id: string;
  readonly kind: DeviceKind;
  readonly name: string;
  readonly state: DeviceState;
  readonly simulated: boolean;
  /** Why the device is not usable (registered code), while `absent`, `error` or `recovering`. */
  readonly error?: DeviceError;
}

/** A device failure as `devices.list` and `device.changed` carry it. */
export interface DeviceError {
  readonly code: string;
  readonly message: string;
}

const UNUSABLE: ReadonlySet<DeviceState> = new Set(['absent', 'error', 'recovering']);

/** Whether a session cannot use a device in `state` (`recovering` follows an `error`). */
export function isUnusableDeviceState(state: DeviceState): boolean {
  return UNUSABLE.has(state);
}

/** How a device is opened and recovered (drivers provide these; default: nothing to do). */
export interface DeviceDriver {
  open?(signal: AbortSignal): Promise<void>;
  /** Re-open after a fault; default {@link DeviceDriver.open}. */
  recover?(signal: AbortSignal): Promise<void>;
}

interface DeviceRegistryEvents {
  changed: [device: DeviceInfo];
}

const MANAGED_KIND: Record<DeviceKind, ManagedDevice['kind']> = {
  camera: 'camera',
  'pcsc-reader': 'documentReader',
  'sam-reader': 'samReader',
};

/** One device as the registry keeps it. */
interface DeviceEntry {
  info: DeviceInfo;
  readonly actor: Actor<typeof deviceMachine>;
  detachedBecause?: DeviceError | undefined;
  /** Counts acquisitions, so a late release from an earlier use cannot free a later one. */
  lease: number;
}

/**
 * The devices the daemon knows. Each runs a `deviceMachine` (absent → present → opening →
 * ready ⇄ busy → error → recovering with backoff); the machine's state is what `devices.list`
 * shows and what the `changed` event reports. Drivers report hot-plug with {@link attach} /
 * {@link detach} and failures with {@link fault}.
 */
export class DeviceRegistry extends EventEmitter<DeviceRegistryEvents> {
  private readonly devices = new Map<string, DeviceEntry>();

  /** Add a device (attached unless said otherwise) or rename a known one. */
  add(
    info: Omit<DeviceInfo, 'state' | 'error'>,
    options: { driver?: DeviceDriver; attached?: boolean } = {},
  ): void {
    const known = this.devices.get(info.id);
    if (known !== undefined) {
      known.info = { ...known.info, name: info.name };
      return;
    }
    const driver = options.driver ?? {};
    const machine = deviceMachine.provide({
      actors: {
        openDevice: fromPromise(async ({ signal }) => driver.open?.(signal)),
        recoverDevice: fromPromise(async ({ signal }) =>
          (driver.recover ?? driver.open)?.call(driver, signal),
        ),
      },
    });
    const attached = options.attached ?? true;
    const actor = createActor(machine, {
      input: { device: { kind: MANAGED_KIND[info.kind], id: info.id }, attached },
    });
    const entry: DeviceEntry = {
      // the machine starts absent (and moves on at once when attached)
      info: { ...info, state: 'absent' },
      actor,
      lease: 0,
    };
    this.devices.set(info.id, entry);
    actor.on('device.state', (e) => {
      const reason = e.state === 'absent' ? (entry.detachedBecause ?? e.reason) : e.reason;
      this.update(
        entry,
        e.state,
        UNUSABLE.has(e.state) && reason !== undefined
          ? { code: reason.code, message: reason.message }
          : undefined,
      );
    });
    // Listeners hear of the device first, then of each state its machine reaches (see update).
    const added = entry.info;
    queueMicrotask(() => {
      if (this.devices.get(info.id) === entry) this.emit('changed', added);
    });
    actor.start();
  }

  /** The device was plugged in (again). */
  attach(id: string): void {
    const entry = this.devices.get(id);
    if (entry === undefined) return;
    entry.detachedBecause = undefined;
    entry.actor.send({ type: 'DEVICE.ATTACHED' });
  }

  /**
   * The device was unplugged, or is not usable for a reason the driver knows better than
   * `device_detached` (e.g. `camera_virtual_refused`): `devices.list` / `device.changed` show
   * it as the device's `error`. Calling it again on an absent device updates the reason.
   */
  detach(id: string, reason?: DeviceError): void {
    const entry = this.devices.get(id);
    if (entry === undefined) return;
    entry.detachedBecause =
      reason === undefined ? undefined : { code: reason.code, message: reason.message };
    if (entry.info.state === 'absent') {
      if (reason !== undefined) this.update(entry, 'absent', entry.detachedBecause);
      return;
    }
    entry.actor.send({ type: 'DEVICE.DETACHED' });
  }

  /** The device failed; the machine recovers it with backoff. */
  fault(id: string, error: { code: string; message: string }): void {
    this.devices.get(id)?.actor.send({ type: 'DEVICE.FAULT', error });
  }

  private update(entry: DeviceEntry, state: DeviceState, error: DeviceError | undefined): void {
    const was = entry.info;
    if (
      was.state === state &&
      was.error?.code === error?.code &&
      was.error?.message === error?.message
    )
      return;
    const { error: _previous, ...rest } = was;
    const info = error === undefined ? { ...rest, state } : { ...rest, state, error };
    entry.info = info;
    // The machine reports its state from inside its own transition. A listener that acts on the
    // change (a session resuming when the camera is ready, then acquiring it) must not send to the
    // machine from there: XState would queue that ACQUIRE behind the running transition, and
    // `lease` could not tell whether it took. So listeners hear of it once the transition is done
    // (in order; `get` / `list` show the new state at once).
    queueMicrotask(() => {
      if (this.devices.get(info.id) === entry) this.emit('changed', info);
    });
  }

  get(id: string): DeviceInfo | undefined {
    return this.devices.get(id)?.info;
  }

  list(): DeviceInfo[] {
    return [...this.devices.values()].map((d) => d.info);
  }

  /**
   * A session starts using a ready device (`ready` → `busy`, shown in `devices.list`).
   * @returns false when the device is unknown or not ready (absent, busy with another owner, …).
   */
  acquire(id: string, owner: string): boolean {
    return this.lease(id, owner) !== undefined;
  }

  /** {@link acquire}, returning the lease number that {@link use} releases by. */
  private lease(id: string, owner: string): number | undefined {
    const entry = this.devices.get(id);
    if (entry === undefined || entry.info.state !== 'ready') return undefined;
    entry.actor.send({ type: 'ACQUIRE', owner });
    // the machine took it synchronously: the registry mirrors its new state
    if (this.get(id)?.state !== 'busy') return undefined;
    entry.lease += 1;
    return entry.lease;
  }

  /** Whether `lease` is still the device's latest acquisition (no later use took it over). */
  private holds(id: string, lease: number): boolean {
    return this.devices.get(id)?.lease === lease;
  }

  /** The session is done with the device (`busy` → `ready`); ignored in any other state (e.g. after a fault). */
  release(id: string): void {
    this.devices.get(id)?.actor.send({ type: 'RELEASE' });
  }

  /**
   * Run `work` with the device acquired for `owner`, releasing it after. When it rejects with one
   * of `faultCodes` the device is faulted (→ `error` → `recovering` with backoff) instead.
   */
  async use<T>(
    id: string,
    owner: string,
    work: () => Promise<T>,
    faultCodes: readonly string[] = [],
  ): Promise<T> {
    const lease = this.lease(id, owner);
    try {
      return await work();
    } catch (err) {
      const code = errorCodeOf(err);
      // A use that outlived an unplug and replug must not fault or free the device that a later
      // use (the resumed capture) now holds.
      const current = lease === undefined || this.holds(id, lease);
      if (current && code !== undefined && faultCodes.includes(code)) {
        this.fault(id, { code, message: err instanceof Error ? err.message : code });
      }
      throw err;
    } finally {
      if (lease !== undefined && this.holds(id, lease)) this.release(id);
    }
  }

  /** Stop every device's machine (daemon shutdown). */
  close(): void {
    for (const { actor } of this.devices.values()) actor.stop();
    this.devices.clear();
  }
}
