import { EventEmitter } from 'node:events';

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

interface DeviceRegistryEvents {
  changed: [device: DeviceInfo];
}

/** The devices the daemon knows, with their lifecycle state; emits `changed` on every update. */
export class DeviceRegistry extends EventEmitter<DeviceRegistryEvents> {
  private readonly devices = new Map<string, DeviceInfo>();

  /** Add or replace a device. */
  upsert(device: DeviceInfo): void {
    const before = this.devices.get(device.id);
    this.devices.set(device.id, device);
    if (before === undefined || before.state !== device.state || before.name !== device.name) this.emit('changed', device);
  }

  setState(id: string, state: DeviceState): void {
    const device = this.devices.get(id);
    if (device !== undefined) this.upsert({ ...device, state });
  }

  get(id: string): DeviceInfo | undefined {
    return this.devices.get(id);
  }

  /** The first device of a kind that is ready (or present). */
  find(kind: DeviceKind): DeviceInfo | undefined {
    return [...this.devices.values()].find((d) => d.kind === kind && (d.state === 'ready' || d.state === 'present' || d.state === 'busy'));
  }

  list(): DeviceInfo[] {
    return [...this.devices.values()];
  }
}
