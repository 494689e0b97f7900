import { platform } from 'node:os';
import type { CameraDeviceInfo } from './CameraDeviceInfo.js';
import { listV4l2Cameras, type ListV4l2CamerasOptions } from './listV4l2Cameras.js';
import { listNodeWebcamCameras, type NodeWebcamModule } from './nodeWebcam.js';

/** Options of {@link discoverCameras}. */
export interface DiscoverCamerasOptions extends ListV4l2CamerasOptions {
  /** Platform to discover for. Default: this one. */
  readonly platform?: NodeJS.Platform;
  /** node-webcam (tests inject a fake). */
  readonly webcam?: NodeWebcamModule;
}

/**
 * The cameras on this machine, through what the platform offers: V4L2 sysfs on Linux (names,
 * drivers, USB identity, formats), node-webcam's listing elsewhere (names only — no USB
 * identity, so production mode cannot pin any of them).
 */
export function discoverCameras(options: DiscoverCamerasOptions = {}): Promise<CameraDeviceInfo[]> {
  const os = options.platform ?? platform();
  if (os === 'linux') return listV4l2Cameras(options);
  return listNodeWebcamCameras({
    ...(options.webcam === undefined ? {} : { webcam: options.webcam }),
    platform: os,
  });
}
