import { KycdError } from '@kycd/plugin-sdk';
import type { CameraDeviceInfo } from './CameraDeviceInfo.js';

/** How a camera is chosen (the `camera` config section's device keys). */
export interface CameraSelection {
  /** Device node to use, or `auto` (the first acceptable camera). */
  readonly device: string;
  /** USB identity the camera must have; required in production mode. */
  readonly pin?: { readonly vendorId: string; readonly productId: string; readonly serial?: string };
  /** Allow virtual cameras (never honoured in production mode). */
  readonly allowVirtual: boolean;
}

/**
 * Choose the camera for a session. In `production` mode only the camera pinned by USB
 * vendor/product id (and serial, when configured) is accepted and virtual camera drivers are
 * refused with `camera_virtual_refused`; otherwise `camera_not_found`.
 */
export function selectCamera(cameras: readonly CameraDeviceInfo[], selection: CameraSelection, mode: 'production' | 'simulator'): CameraDeviceInfo {
  const production = mode === 'production';
  if (production && selection.pin === undefined) {
    throw new KycdError('camera_not_found', 'production mode needs camera.pin (USB vendorId, productId and serial) in the configuration');
  }
  const candidates = cameras.filter((c) => selection.device === 'auto' || c.path === selection.device);
  const pinned = selection.pin === undefined ? candidates : candidates.filter((c) => matchesPin(c, selection.pin!));
  const allowVirtual = selection.allowVirtual && !production;
  const virtual = pinned.find((c) => c.virtual);
  const chosen = pinned.find((c) => !c.virtual || allowVirtual);
  if (chosen !== undefined) return chosen;
  if (virtual !== undefined) {
    throw new KycdError('camera_virtual_refused', `refusing virtual camera "${virtual.name}" (${virtual.path}, driver ${virtual.driver ?? 'unknown'})${production ? ' in production mode' : ''}`, {
      data: { path: virtual.path, name: virtual.name, ...(virtual.driver === undefined ? {} : { driver: virtual.driver }) },
    });
  }
  const wanted = selection.pin === undefined ? selection.device : `USB ${selection.pin.vendorId}:${selection.pin.productId}${selection.pin.serial === undefined ? '' : ` serial ${selection.pin.serial}`}`;
  throw new KycdError('camera_not_found', `no camera matches ${wanted} (found ${cameras.length}: ${cameras.map((c) => c.path).join(', ') || 'none'})`);
}

function matchesPin(c: CameraDeviceInfo, pin: NonNullable<CameraSelection['pin']>): boolean {
  if (c.usb === undefined) return false;
  if (c.usb.vendorId !== pin.vendorId.toLowerCase() || c.usb.productId !== pin.productId.toLowerCase()) return false;
  return pin.serial === undefined || c.usb.serial === pin.serial;
}
