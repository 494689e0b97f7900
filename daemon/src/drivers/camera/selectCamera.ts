import { KycdError } from '@kycd/plugin-sdk';
import type { CameraDeviceInfo } from './CameraDeviceInfo.js';

/** How a camera is chosen (the `camera` config section's device keys). */
export interface CameraSelection {
  /** Device node to use, or `auto` (the first acceptable camera). */
  readonly device: string;
  /** USB identity the camera must have; required (with the serial) in production mode. */
  readonly pin?: {
    readonly vendorId: string;
    readonly productId: string;
    readonly serial?: string;
  };
  /** Allow virtual cameras (never honoured in production mode). */
  readonly allowVirtual: boolean;
}

/** The selection keys of a `camera` config section (which has more keys than these). */
export function cameraSelectionOf(config: {
  readonly device: string;
  readonly allowVirtual: boolean;
  readonly pin?: CameraSelection['pin'] | undefined;
}): CameraSelection {
  return {
    device: config.device,
    allowVirtual: config.allowVirtual,
    ...(config.pin === undefined ? {} : { pin: config.pin }),
  };
}

/**
 * Choose the camera for a session. In `production` mode only the camera pinned by USB
 * vendor/product id and serial is accepted (a pin without a serial is refused: the ids alone
 * match every camera of that model) and `allowVirtual` is ignored. A virtual camera driver that
 * would otherwise be chosen (it carries the pinned identity, or it sits at the configured device
 * node) is refused with `camera_virtual_refused`; anything else that does not match is
 * `camera_not_found`, whose message names the cameras seen and the virtual ones ignored.
 */
export function selectCamera(
  cameras: readonly CameraDeviceInfo[],
  selection: CameraSelection,
  mode: 'production' | 'simulator',
): CameraDeviceInfo {
  const production = mode === 'production';
  if (production && (selection.pin === undefined || selection.pin.serial === undefined)) {
    throw new KycdError(
      'camera_not_found',
      'production mode needs camera.pin with the USB vendorId, productId and serial of the camera in the configuration',
    );
  }
  const candidates = cameras.filter(
    (c) => selection.device === 'auto' || c.path === selection.device,
  );
  const pinned =
    selection.pin === undefined
      ? candidates
      : candidates.filter((c) => matchesPin(c, selection.pin!));
  const allowVirtual = selection.allowVirtual && !production;
  const chosen = pinned.find((c) => !c.virtual || allowVirtual);
  if (chosen !== undefined) return chosen;
  const virtual =
    pinned.find((c) => c.virtual) ??
    (selection.device === 'auto' || allowVirtual ? undefined : candidates.find((c) => c.virtual));
  if (virtual !== undefined) {
    throw new KycdError(
      'camera_virtual_refused',
      `refusing virtual camera "${virtual.name}" (${virtual.path}, driver ${virtual.driver ?? 'unknown'})${production ? ' in production mode' : ''}`,
      {
        data: {
          path: virtual.path,
          name: virtual.name,
          ...(virtual.driver === undefined ? {} : { driver: virtual.driver }),
        },
      },
    );
  }
  const wanted =
    selection.pin === undefined
      ? selection.device
      : `USB ${selection.pin.vendorId.toLowerCase()}:${selection.pin.productId.toLowerCase()}${selection.pin.serial === undefined ? '' : ` serial ${selection.pin.serial}`}${selection.device === 'auto' ? '' : ` at ${selection.device}`}`;
  const ignored = cameras.filter((c) => c.virtual && !allowVirtual);
  const ignoredText =
    ignored.length === 0
      ? ''
      : `; virtual cameras ignored: ${ignored.map((c) => `"${c.name}" (${c.path})`).join(', ')}`;
  throw new KycdError(
    'camera_not_found',
    `no camera matches ${wanted} (found ${cameras.length}: ${cameras.map((c) => c.path).join(', ') || 'none'}${ignoredText})`,
    {
      data: { found: cameras.length },
    },
  );
}

/** True when the camera carries the pinned USB identity (ids case-insensitive, serial exact). */
export function matchesPin(c: CameraDeviceInfo, pin: NonNullable<CameraSelection['pin']>): boolean {
  if (c.usb === undefined) return false;
  if (
    c.usb.vendorId !== pin.vendorId.toLowerCase() ||
    c.usb.productId !== pin.productId.toLowerCase()
  )
    return false;
  return pin.serial === undefined || c.usb.serial === pin.serial;
}
