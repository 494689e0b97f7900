import { Type, type Static } from '@sinclair/typebox';
import { Reason } from './common.js';

/** The lifecycle states of a device (the device machine of the state-machines package). */
export const DeviceState = Type.Union(
  [
    Type.Literal('absent'),
    Type.Literal('present'),
    Type.Literal('opening'),
    Type.Literal('ready'),
    Type.Literal('busy'),
    Type.Literal('error'),
    Type.Literal('recovering'),
  ],
  { description: 'Device lifecycle state.' },
);

/** One device state. */
export type DeviceState = Static<typeof DeviceState>;

/** A camera or card reader the daemon knows about (`devices.list`, `hello`, `device.changed`). */
export const DeviceInfo = Type.Object(
  {
    id: Type.String({
      minLength: 1,
      maxLength: 128,
      description: 'Stable device id, used by `sim.unplug` / `sim.plug`.',
    }),
    kind: Type.Union(
      [Type.Literal('camera'), Type.Literal('pcsc-reader'), Type.Literal('sam-reader')],
      {
        description: 'What the device is.',
      },
    ),
    name: Type.String({
      maxLength: 256,
      description: 'Human-readable name (the reader or camera name).',
    }),
    state: DeviceState,
    simulated: Type.Boolean({ description: 'True for a hardware-simulator device.' }),
    error: Type.Optional(
      Type.Object(Reason.properties, {
        additionalProperties: false,
        description:
          'Why the device is not usable, while it is `absent`, `error` or `recovering`: e.g. `camera_not_found` (the pinned camera is not plugged in), `camera_virtual_refused` (a virtual camera driver was refused), `camera_unplugged`, `device_detached`.',
      }),
    ),
  },
  { additionalProperties: false, title: 'DeviceInfo' },
);

/** A camera or card reader the daemon knows about. */
export type DeviceInfo = Static<typeof DeviceInfo>;
