import { KycdError } from '@kycd/plugin-sdk';
import type { KycdConfig } from '../config/KycdConfig.js';
import type { CameraDeviceInfo } from '../drivers/camera/CameraDeviceInfo.js';
import { chooseCaptureFormat } from '../drivers/camera/chooseCaptureFormat.js';
import { discoverCameras } from '../drivers/camera/discoverCameras.js';
import { ffmpegAvailable } from '../drivers/camera/ffmpegVersion.js';
import { DEFAULT_STILL_INTERVAL_MS } from '../drivers/camera/NodeWebcamStillSource.js';
import { cameraSelectionOf, matchesPin, selectCamera } from '../drivers/camera/selectCamera.js';
import type { DoctorCheck } from './runDoctor.js';

/** Options of {@link cameraChecks}; discovery and the ffmpeg probe are injectable for tests. */
export interface CameraChecksOptions {
  readonly config: KycdConfig;
  /** The cameras with their formats. Default: {@link discoverCameras} (sysfs + ffmpeg on Linux). */
  readonly discover?: () => Promise<readonly CameraDeviceInfo[]>;
  /** Whether ffmpeg runs. Default: `ffmpeg -version`. */
  readonly ffmpegAvailable?: () => Promise<boolean>;
}

const STILL_FPS = 1000 / DEFAULT_STILL_INTERVAL_MS;

/**
 * What `kycd doctor` says about cameras: one line per camera found (name, node, USB identity,
 * driver, formats, whether it matches `camera.pin`, whether it is a virtual driver that
 * production refuses), then the verdict of the production selection — the camera the daemon
 * would use and how it would capture, or the error code it would report and how to fix it.
 */
export async function cameraChecks(options: CameraChecksOptions): Promise<DoctorCheck[]> {
  const { camera: config } = options.config;
  const [cameras, ffmpeg] = await Promise.all([
    (options.discover ?? (() => discoverCameras()))(),
    (options.ffmpegAvailable ?? ffmpegAvailable)(),
  ]);
  const listing = cameras.slice(0, 32).map((c): DoctorCheck => {
    const usb =
      c.usb === undefined
        ? 'no USB identity'
        : `USB ${c.usb.vendorId}:${c.usb.productId} serial ${c.usb.serial ?? '(none)'}`;
    const formats =
      c.formats.length === 0
        ? 'formats unknown'
        : `formats ${c.formats.map((f) => `${f.ffmpegName} ${f.sizes.slice(0, 6).join(' ')}`).join('; ')}`;
    const pin =
      config.pin === undefined
        ? 'no camera.pin set'
        : matchesPin(c, config.pin)
          ? 'matches camera.pin'
          : 'not the pinned camera';
    const parts = [c.name, usb, `driver ${c.driver ?? 'unknown'}`, formats, pin];
    if (c.virtual) parts.push('VIRTUAL camera driver: refused in production');
    return {
      name: `camera ${c.path}`,
      status: c.virtual ? 'warn' : 'ok',
      detail: parts.join(' — '),
    };
  });

  const selection = cameraSelectionOf(config);
  let verdict: DoctorCheck;
  try {
    const chosen = selectCamera(cameras, selection, 'production');
    if (ffmpeg) {
      const format = chooseCaptureFormat(chosen.formats, {
        width: config.width,
        height: config.height,
      });
      verdict = {
        name: 'camera',
        status: 'ok',
        detail: `uses ${chosen.name} (${chosen.path}); ffmpeg captures ${format.inputFormat ?? 'the driver default format'} ${format.videoSize} at ${config.fps} fps, scaled to ${config.width}x${config.height}`,
      };
    } else {
      verdict = {
        name: 'camera',
        status: 'warn',
        detail: `uses ${chosen.name} (${chosen.path}) through node-webcam still capture at about ${STILL_FPS} frames/s: ffmpeg is missing, and liveness needs 15–30 fps`,
        fix: 'install ffmpeg (apt-get install ffmpeg)',
      };
    }
  } catch (err) {
    if (!(err instanceof KycdError)) throw err;
    verdict = {
      name: 'camera',
      status: 'fail',
      detail: `${err.code}: ${err.message}`,
      fix: fixFor(err, cameras, options.config),
    };
  }
  return [...listing, verdict];
}

function fixFor(err: KycdError, cameras: readonly CameraDeviceInfo[], config: KycdConfig): string {
  const candidate = cameras.find((c) => !c.virtual && c.usb?.serial !== undefined);
  const suggestion =
    candidate?.usb === undefined
      ? ''
      : ` — e.g. for ${candidate.name}: camera: { pin: { vendorId: "${candidate.usb.vendorId}", productId: "${candidate.usb.productId}", serial: "${candidate.usb.serial}" } }`;
  if (config.camera.pin === undefined)
    return `set camera.pin to the USB identity of the shop's camera${suggestion}`;
  if (config.camera.pin.serial === undefined)
    return `add camera.pin.serial (the ids alone match every camera of that model)${suggestion}`;
  if (err.code === 'camera_virtual_refused')
    return 'remove the virtual camera driver (e.g. `modprobe -r v4l2loopback`, close OBS Virtual Camera) and plug in the pinned camera';
  if (cameras.length === 0)
    return 'plug in the pinned USB camera; the user running kycd needs the `video` group';
  return `plug in the pinned camera (USB ${config.camera.pin.vendorId}:${config.camera.pin.productId} serial ${config.camera.pin.serial}), or correct camera.pin${suggestion}`;
}
