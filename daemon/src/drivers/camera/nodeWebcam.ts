import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { platform } from 'node:os';
import type { CameraDeviceInfo } from './CameraDeviceInfo.js';
import { isVirtualCamera } from './isVirtualCamera.js';

/** Options node-webcam's `create` takes (the subset kycd uses). */
export interface NodeWebcamOptions {
  readonly width: number;
  readonly height: number;
  readonly quality: number;
  readonly output: 'jpeg';
  /** Device: `/dev/videoN` (Linux, fswebcam), a name (macOS, imagesnap), a number (Windows, CommandCam). */
  readonly device: string | false;
  readonly callbackReturn: 'buffer';
  readonly saveShots: false;
  readonly verbose: false;
  readonly delay: 0;
}

/** A node-webcam camera: `capture` runs the platform's still-capture tool once. */
export interface NodeWebcamCamera {
  capture(location: string, callback: (err: Error | null, data?: Buffer | string) => void): unknown;
}

/** The part of the `node-webcam` module kycd uses (injectable: tests pass a fake). */
export interface NodeWebcamModule {
  create(options: NodeWebcamOptions): NodeWebcamCamera;
  list(callback: (cameras: string[]) => void): void;
}

/** Load the `node-webcam` package (CommonJS, untyped); its shape is checked. */
export function loadNodeWebcam(): NodeWebcamModule {
  const mod: unknown = createRequire(import.meta.url)('node-webcam');
  if (
    typeof mod !== 'object' ||
    mod === null ||
    typeof (mod as NodeWebcamModule).create !== 'function' ||
    typeof (mod as NodeWebcamModule).list !== 'function'
  ) {
    throw new Error('node-webcam does not have the expected create/list API');
  }
  return mod as NodeWebcamModule;
}

/**
 * A device string node-webcam may be given. node-webcam builds a shell command line from it,
 * so only plain names pass: a device node, a camera number, or a name of letters, digits,
 * spaces and `._()-`.
 */
export function isSafeNodeWebcamDevice(device: string): boolean {
  return (
    /^\/dev\/[\w./-]{1,64}$/.test(device) ||
    /^\d{1,3}$/.test(device) ||
    /^[\w][\w .()-]{0,127}$/.test(device)
  );
}

/**
 * Cameras as node-webcam lists them: the discovery fallback on platforms without V4L2 sysfs
 * (macOS through imagesnap, Windows through CommandCam). Names only: no USB identity and no
 * formats, so production mode (which needs the pinned USB identity) cannot accept any of them —
 * `kycd doctor` still shows them. Names that are unsafe for node-webcam's shell are dropped.
 */
export function listNodeWebcamCameras(
  options: { webcam?: NodeWebcamModule; timeoutMs?: number; platform?: NodeJS.Platform } = {},
): Promise<CameraDeviceInfo[]> {
  const os = options.platform ?? platform();
  return new Promise((resolve) => {
    let webcam: NodeWebcamModule;
    try {
      webcam = options.webcam ?? loadNodeWebcam();
    } catch {
      resolve([]);
      return;
    }
    // node-webcam's Windows listing throws from a callback when CommandCam.exe is missing.
    if (os === 'win32' && options.webcam === undefined && !commandCamInstalled()) {
      resolve([]);
      return;
    }
    const timer = setTimeout(() => resolve([]), options.timeoutMs ?? 5000);
    timer.unref();
    try {
      webcam.list((names) => {
        clearTimeout(timer);
        const list = Array.isArray(names)
          ? names.filter((n): n is string => typeof n === 'string').map((n) => n.trim())
          : [];
        resolve(
          list
            .filter((n) => isSafeNodeWebcamDevice(n))
            .slice(0, 64)
            .map((name) => ({ path: name, name, formats: [], virtual: isVirtualCamera({ name }) })),
        );
      });
    } catch {
      clearTimeout(timer);
      resolve([]);
    }
  });
}

function commandCamInstalled(): boolean {
  try {
    const require = createRequire(import.meta.url);
    const dir = require.resolve('node-webcam').replace(/index\.js$/, '');
    return existsSync(`${dir}src/bindings/CommandCam/CommandCam.exe`);
  } catch {
    return false;
  }
}
