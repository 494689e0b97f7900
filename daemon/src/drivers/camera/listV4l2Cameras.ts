import { execFile } from 'node:child_process';
import { readdir, readFile, readlink, realpath } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { CameraDeviceInfo, CameraFormat } from './CameraDeviceInfo.js';
import { isVirtualCamera } from './isVirtualCamera.js';
import { parseV4l2Formats } from './parseV4l2Formats.js';

/** Options of {@link listV4l2Cameras}. */
export interface ListV4l2CamerasOptions {
  /** sysfs root (tests point it at a fake tree). Default `/sys`. */
  readonly sysRoot?: string;
  /** Directory of the device nodes. Default `/dev`. */
  readonly devRoot?: string;
  /** ffmpeg binary; `false` skips the format listing. Default `ffmpeg`. */
  readonly ffmpegPath?: string | false;
  /** Per-device timeout of the format listing. Default 3000 ms. */
  readonly timeoutMs?: number;
}

async function readTrimmed(path: string): Promise<string | undefined> {
  try {
    return (await readFile(path, 'utf8')).trim().slice(0, 256);
  } catch {
    return undefined;
  }
}

/** Walk up from the video device's sysfs node to the USB device (the folder with idVendor). */
async function usbIdentity(deviceDir: string): Promise<CameraDeviceInfo['usb']> {
  let dir: string;
  try {
    dir = await realpath(deviceDir);
  } catch {
    return undefined;
  }
  for (let i = 0; i < 6 && dir !== '/' && dir !== '.'; i++) {
    const vendorId = await readTrimmed(join(dir, 'idVendor'));
    const productId = await readTrimmed(join(dir, 'idProduct'));
    if (
      vendorId !== undefined &&
      productId !== undefined &&
      /^[0-9a-f]{4}$/i.test(vendorId) &&
      /^[0-9a-f]{4}$/i.test(productId)
    ) {
      const serial = await readTrimmed(join(dir, 'serial'));
      return {
        vendorId: vendorId.toLowerCase(),
        productId: productId.toLowerCase(),
        ...(serial === undefined ? {} : { serial }),
      };
    }
    dir = dirname(dir);
  }
  return undefined;
}

/** List one device's formats with `ffmpeg -f v4l2 -list_formats all` (stderr; ffmpeg exits non-zero by design). */
export function listV4l2Formats(
  devicePath: string,
  ffmpegPath = 'ffmpeg',
  timeoutMs = 3000,
): Promise<CameraFormat[]> {
  return new Promise((resolve) => {
    execFile(
      ffmpegPath,
      ['-hide_banner', '-nostdin', '-f', 'v4l2', '-list_formats', 'all', '-i', devicePath],
      { timeout: timeoutMs, maxBuffer: 256 * 1024 },
      (_err, _stdout, stderr) => resolve(parseV4l2Formats(String(stderr))),
    );
  });
}

/**
 * Discover V4L2 capture devices on Linux from `/sys/class/video4linux`: name, kernel driver,
 * USB vendor/product/serial (for pinning) and formats (through ffmpeg). Devices that vanish
 * while listing are skipped; a system without V4L2 yields an empty list.
 */
export async function listV4l2Cameras(
  options: ListV4l2CamerasOptions = {},
): Promise<CameraDeviceInfo[]> {
  const sysRoot = options.sysRoot ?? '/sys';
  const devRoot = options.devRoot ?? '/dev';
  const classDir = join(sysRoot, 'class', 'video4linux');
  let entries: string[];
  try {
    entries = (await readdir(classDir)).filter((e) => /^video\d{1,4}$/.test(e));
  } catch {
    return [];
  }
  entries.sort((a, b) => Number(a.slice(5)) - Number(b.slice(5)));
  const cameras: CameraDeviceInfo[] = [];
  for (const entry of entries) {
    const dir = join(classDir, entry);
    const name = (await readTrimmed(join(dir, 'name'))) ?? entry;
    let driver: string | undefined;
    try {
      driver = basename(await readlink(join(dir, 'device', 'driver')));
    } catch {
      driver = undefined;
    }
    const usb = await usbIdentity(join(dir, 'device'));
    const path = join(devRoot, entry);
    const formats =
      options.ffmpegPath === false
        ? []
        : await listV4l2Formats(path, options.ffmpegPath ?? 'ffmpeg', options.timeoutMs ?? 3000);
    const info = {
      path,
      name,
      ...(driver === undefined ? {} : { driver }),
      ...(usb === undefined ? {} : { usb }),
      formats,
    };
    cameras.push({ ...info, virtual: isVirtualCamera(info) });
  }
  return cameras;
}
