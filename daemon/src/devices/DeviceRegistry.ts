import { EventEmitter } from 'node:events';
import { deviceMachine, type ManagedDevice } from '@kycd/state-machines';
import { createActor, fromPromise, type Actor } from 'xstate';

export type DeviceKind = 'camera' | 'pcsc-reader' | 'sam-reader';
export type DeviceState = 'absent' | 'present' | 'opening' | 'ready' | 'busy' | 'error' | 'recovering';

/** A device as the API shows it. */
export interface DeviceInfo {
  readonly id: string;
  readonly kind: DeviceKind;
  readonly name: string;
  readonly state: DeviceState;
  readonly simulated: boolean;
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

const MANAGED_KIND: Record<DeviceKind, ManagedDevice['kind']> = { camera: 'camera', 'pcsc-reader': 'documentReader', 'sam-reader': 'samReader' };

/**
 * The devices the daemon knows. Each runs a `deviceMachine` (absent → present → opening →
 * ready ⇄ busy → error → recovering with backoff); the machine's state is what `devices.list`
 * shows and what the `changed` event reports. Drivers report hot-plug with {@link attach} /
 * {@link detach} and failures with {@link fault}.
 */
export class DeviceRegistry extends EventEmitter<DeviceRegistryEvents> {
  private readonly devices = new Map<string, { info: DeviceInfo; actor: Actor<typeof deviceMachine> }>();

  /** Add a device (attached unless said otherwise) or rename a known one. */
  add(info: Omit<DeviceInfo, 'state'>, options: { driver?: DeviceDriver; attached?: boolean } = {}): void {
    const known = this.devices.get(info.id);
    if (known !== undefined) {
      known.info = { ...known.info, name: info.name };
      return;
    }
    const driver = options.driver ?? {};
    const machine = deviceMachine.provide({
      actors: {
        openDevice: fromPromise(async ({ signal }) => driver.open?.(signal)),
        recoverDevice: fromPromise(async ({ signal }) => (driver.recover ?? driver.open)?.call(driver, signal)),
      },
    });
    const attached = options.attached ?? true;
    const actor = createActor(machine, { input: { device: { kind: MANAGED_KIND[info.kind], id: info.id }, attached } });
    const entry = { info: { ...info, state: (attached ? 'present' : 'absent') as DeviceState }, actor };
    this.devices.set(info.id, entry);
    actor.on('device.state', (e) => {
      if (entry.info.state === e.state) return;
      entry.info = { ...entry.info, state: e.state };
      this.emit('changed', entry.info);
    });
    actor.start();
    this.emit('changed', entry.info);
  }

  /** The device was plugged in (again). */
  attach(id: string): void {
    this.devices.get(id)?.actor.send({ type: 'DEVICE.ATTACHED' });
  }

  /** The device was unplugged. */
  detach(id: string): void {
    this.devices.get(id)?.actor.send({ type: 'DEVICE.DETACHED' });
  }

  /** The device failed; the machine recovers it with backoff. */
  fault(id: string, error: { code: string; message: string }): void {
    this.devices.get(id)?.actor.send({ type: 'DEVICE.FAULT', error });
  }

  get(id: string): DeviceInfo | undefined {
    return this.devices.get(id)?.info;
  }

  list(): DeviceInfo[] {
    return [...this.devices.values()].map((d) => d.info);
  }

  /** Stop every device's machine (daemon shutdown). */
  close(): void {
    for (const { actor } of this.devices.values()) actor.stop();
    this.devices.clear();
  }
}
