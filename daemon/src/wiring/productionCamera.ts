import { platform } from 'node:os';
import type { KycdError } from '@kycd/plugin-sdk';
import type { Logger } from 'pino';
import type { CameraConfig } from '../config/sections/camera.js';
import type { DeviceRegistry } from '../devices/DeviceRegistry.js';
import type { CameraDeviceInfo, CameraFormat } from '../drivers/camera/CameraDeviceInfo.js';
import {
  FfmpegCameraStream,
  type CameraFrame,
  type FfmpegCameraStreamOptions,
} from '../drivers/camera/FfmpegCameraStream.js';
import { chooseCaptureFormat } from '../drivers/camera/chooseCaptureFormat.js';
import { discoverCameras } from '../drivers/camera/discoverCameras.js';
import { ffmpegAvailable } from '../drivers/camera/ffmpegVersion.js';
import { cameraSelectionOf } from '../drivers/camera/selectCamera.js';
import { listV4l2Formats } from '../drivers/camera/listV4l2Cameras.js';
import type { NodeWebcamModule } from '../drivers/camera/nodeWebcam.js';
import {
  DEFAULT_STILL_INTERVAL_MS,
  NodeWebcamStillSource,
} from '../drivers/camera/NodeWebcamStillSource.js';
import {
  PinnedCameraWatcher,
  type CameraAvailability,
} from '../drivers/camera/PinnedCameraWatcher.js';
import { usbPackageHotplug, type UsbHotplugSource } from '../drivers/camera/usbHotplug.js';

/** A running capture: frames until stopped, `unplugged` when the device goes away. */
export interface CameraCapture {
  frames(options?: { signal?: AbortSignal }): AsyncGenerator<CameraFrame, void, undefined>;
  stop(): void;
  on(event: 'unplugged', listener: (error: KycdError) => void): unknown;
  on(event: 'error', listener: (error: KycdError) => void): unknown;
}

/** Options of {@link createProductionCamera}; everything past `logger` is injectable for tests. */
export interface ProductionCameraOptions {
  readonly config: CameraConfig;
  readonly mode: 'production' | 'simulator';
  readonly devices: DeviceRegistry;
  readonly logger: Pick<Logger, 'info' | 'warn' | 'error'>;
  /** Device id in the registry. Default `camera`. */
  readonly id?: string;
  readonly discover?: () => Promise<readonly CameraDeviceInfo[]>;
  readonly listFormats?: (path: string) => Promise<readonly CameraFormat[]>;
  readonly exists?: (path: string) => boolean;
  readonly pollMs?: number;
  /** USB hot-plug events that trigger rediscovery; `false` for none (poll only). Default: the `usb` package. */
  readonly hotplug?: UsbHotplugSource | false;
  /** Open a capture of the chosen camera. Default: an ffmpeg stream, or node-webcam stills without ffmpeg. */
  readonly openCapture?: (camera: CameraDeviceInfo) => CameraCapture;
  /** Build the ffmpeg stream from its options (tests capture them). Default: `new FfmpegCameraStream`. */
  readonly createFfmpegStream?: (options: FfmpegCameraStreamOptions) => CameraCapture;
  /** Whether ffmpeg can be run (checked once, at the first capture). Default: runs `ffmpeg -version`. */
  readonly ffmpegAvailable?: () => Promise<boolean>;
  /** node-webcam, for the still-capture fallback (tests inject a fake). */
  readonly webcam?: NodeWebcamModule;
  /** Shortest time between two stills of the fallback. Default 500 ms. */
  readonly stillIntervalMs?: number;
}

/** The production camera as the session flow uses it. */
export interface ProductionCamera {
  readonly watcher: PinnedCameraWatcher;
  /** The first discovery (resolves once it has been reported to the registry). */
  readonly started: Promise<CameraAvailability>;
  /** Frames of the pinned camera for one face attempt; rejects with the camera's error code when it is not usable. */
  openFrames(signal: AbortSignal): AsyncIterable<CameraFrame>;
  close(): void;
}

/**
 * The production camera: the {@link PinnedCameraWatcher} re-runs discovery and the pin /
 * virtual-driver checks on every (re)appearance, and its verdict drives the `camera` device in
 * the registry (so `devices.list` and `device.changed` show it and a session suspends while the
 * camera is gone). Frames come from the camera the watcher accepted, never from a bare path.
 */
export function createProductionCamera(options: ProductionCameraOptions): ProductionCamera {
  const { config, devices, logger } = options;
  const id = options.id ?? 'camera';
  const watcher = new PinnedCameraWatcher({
    selection: cameraSelectionOf(config),
    mode: options.mode,
    discover: options.discover ?? (() => discoverCameras({ ffmpegPath: false })),
    listFormats: options.listFormats ?? ((path) => listV4l2Formats(path)),
    ...(options.exists === undefined ? {} : { exists: options.exists }),
    // Elsewhere than Linux each scan runs node-webcam's listing tool: poll less often there.
    pollMs: options.pollMs ?? (platform() === 'linux' ? 1000 : 10_000),
  });
  let backend: Promise<'ffmpeg' | 'stills'> | undefined;
  const chooseBackend = (): Promise<'ffmpeg' | 'stills'> =>
    (backend ??= (options.ffmpegAvailable ?? ffmpegAvailable)().then((ffmpeg) => {
      if (!ffmpeg) {
        logger.warn(
          { fps: 1000 / (options.stillIntervalMs ?? DEFAULT_STILL_INTERVAL_MS) },
          'ffmpeg not found: the camera falls back to node-webcam still capture, at most a few frames per second instead of 15–30; liveness challenges that need motion (blink, turns) will mostly fail — install ffmpeg',
        );
      }
      return ffmpeg ? 'ffmpeg' : 'stills';
    }));
  const openCapture = async (camera: CameraDeviceInfo): Promise<CameraCapture> => {
    if (options.openCapture !== undefined) return options.openCapture(camera);
    if ((await chooseBackend()) === 'stills') {
      return new NodeWebcamStillSource({
        device: camera.path,
        width: config.width,
        height: config.height,
        ...(options.stillIntervalMs === undefined ? {} : { intervalMs: options.stillIntervalMs }),
        ...(options.webcam === undefined ? {} : { webcam: options.webcam }),
      });
    }
    const format = chooseCaptureFormat(camera.formats, {
      width: config.width,
      height: config.height,
    });
    logger.info({ camera: camera.path, ...format, fps: config.fps }, 'camera capture format');
    return (options.createFfmpegStream ?? ((o) => new FfmpegCameraStream(o)))({
      input: { kind: 'v4l2', device: camera.path, ...format },
      width: config.width,
      height: config.height,
      fps: config.fps,
    });
  };

  devices.add(
    { id, kind: 'camera', name: 'camera', simulated: false },
    {
      attached: false,
      // After a capture fault the camera is ready again only once the node passes the pin and
      // virtual-driver checks again (a node taken over meanwhile is refused, not trusted).
      driver: {
        recover: async () => {
          const a = await watcher.rescan();
          if (a.status !== 'ready') throw a.error;
        },
      },
    },
  );
  const report = (a: CameraAvailability): void => {
    if (a.status === 'ready') {
      logger.info({ camera: a.camera.path, name: a.camera.name }, 'camera ready');
      devices.add({
        id,
        kind: 'camera',
        name: `${a.camera.name} (${a.camera.path})`,
        simulated: false,
      });
      devices.attach(id);
    } else {
      logger.warn({ code: a.error.code, err: a.error.message }, 'camera not usable');
      // The code reaches the POS: devices.list / device.changed carry it as the camera's error.
      devices.detach(id, { code: a.error.code, message: a.error.message });
    }
  };
  watcher.on('change', report);
  const started = watcher.start().catch((err: unknown) => {
    logger.error(
      { err: err instanceof Error ? err.message : String(err) },
      'camera discovery failed',
    );
    return watcher.availability;
  });
  const hotplug = options.hotplug ?? usbPackageHotplug();
  if (hotplug !== false) {
    watcher.useHotplug(hotplug).then(
      () => logger.info('camera rediscovery on USB hot-plug'),
      (err: unknown) =>
        logger.warn(
          { err: err instanceof Error ? err.message : String(err) },
          'USB hot-plug unavailable: camera changes are seen by polling',
        ),
    );
  }

  return {
    watcher,
    started,
    openFrames(signal) {
      return (async function* pinnedFrames(): AsyncGenerator<CameraFrame, void, undefined> {
        // Checked again right before opening: the node must still be the pinned, non-virtual camera.
        const a = await watcher.rescan();
        if (a.status !== 'ready') throw a.error;
        if (signal.aborted) return;
        const capture = await openCapture(a.camera);
        if (signal.aborted) return;
        // Before the first frame is asked for: the registry must hear of an unplug before the iterator rejects.
        capture.on('unplugged', (err) => watcher.markLost(err));
        capture.on('error', (err) =>
          logger.warn({ code: err.code, err: err.message }, 'camera capture failed'),
        );
        signal.addEventListener('abort', () => capture.stop(), { once: true });
        try {
          yield* capture.frames({ signal });
        } finally {
          capture.stop();
        }
      })();
    },
    close() {
      watcher.close();
    },
  };
}
