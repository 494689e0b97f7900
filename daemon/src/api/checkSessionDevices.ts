import type { DeviceInfo, DeviceKind, DeviceState } from '../devices/DeviceRegistry.js';

/** States in which a device cannot serve a session (unplugged, or failed and not recovering). */
const UNUSABLE: ReadonlySet<DeviceState> = new Set(['absent', 'error']);

/** The reader kind each document kind is read with. */
const READER_OF: Readonly<Record<string, DeviceKind>> = {
  emrtd: 'pcsc-reader',
  'cn-resident-id': 'sam-reader',
};

/** Why a session cannot start: the device roles with no usable device, and those devices' states. */
export interface DevicesUnavailable {
  readonly missing: ReadonlyArray<{
    readonly need: 'camera' | 'documentReader';
    readonly devices: ReadonlyArray<Pick<DeviceInfo, 'id' | 'kind' | 'state'>>;
  }>;
}

/**
 * Check, before a session starts, that the devices it needs can serve it: a camera, and a reader
 * for at least one of the accepted document kinds. A role is unavailable when the daemon knows
 * devices for it and every one of them is absent or failed; a role the daemon has no device for
 * at all (services that need none, as in API tests) is not checked. Returns undefined when the
 * session may start.
 */
export function checkSessionDevices(
  devices: readonly DeviceInfo[],
  documentKinds: readonly string[] | undefined,
): DevicesUnavailable | undefined {
  const readerKinds = new Set(
    (documentKinds ?? Object.keys(READER_OF))
      .map((k) => READER_OF[k])
      .filter((k) => k !== undefined),
  );
  const roles = [
    { need: 'camera' as const, devices: devices.filter((d) => d.kind === 'camera') },
    { need: 'documentReader' as const, devices: devices.filter((d) => readerKinds.has(d.kind)) },
  ];
  const missing = roles
    .filter((role) => role.devices.length > 0 && role.devices.every((d) => UNUSABLE.has(d.state)))
    .map((role) => ({
      need: role.need,
      devices: role.devices.map((d) => ({ id: d.id, kind: d.kind, state: d.state })),
    }));
  return missing.length === 0 ? undefined : { missing };
}
