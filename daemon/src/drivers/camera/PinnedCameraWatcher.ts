import { EventEmitter } from 'node:events';
import { existsSync } from 'node:fs';
import { KycdError } from '@kycd/plugin-sdk';
import type { CameraDeviceInfo, CameraFormat } from './CameraDeviceInfo.js';
import { selectCamera, type CameraSelection } from './selectCamera.js';
import type { UsbHotplugSource } from './usbHotplug.js';

/** Whether the configured camera can be used now, and if not, why (a registered code). */
export type CameraAvailability =
  | { readonly status: 'ready'; readonly camera: CameraDeviceInfo }
  | { readonly status: 'unavailable'; readonly error: KycdError };

/** Options of {@link PinnedCameraWatcher}. */
export interface PinnedCameraWatcherOptions {
  readonly selection: CameraSelection;
  readonly mode: 'production' | 'simulator';
  /** Lists the cameras present now (sysfs on Linux; formats may be left empty). */
  readonly discover: () => Promise<readonly CameraDeviceInfo[]>;
  /** Lists a chosen camera's formats (ffmpeg), once per (re)appearance; default: keep `discover`'s. */
  readonly listFormats?: (path: string) => Promise<readonly CameraFormat[]>;
  /** Whether a device node exists (a camera listed without its node is gone). Default `existsSync`. */
  readonly exists?: (path: string) => boolean;
  /** Rediscovery period in ms (the fallback when no hot-plug events arrive); 0 disables. Default 1000. */
  readonly pollMs?: number;
  /**
   * After a USB hot-plug event, scan again this many ms later too (the video node appears a
   * little after the USB device, once the UVC driver has probed it). Default 300.
   */
  readonly settleMs?: number;
}

/** Events of {@link PinnedCameraWatcher}. */
export interface PinnedCameraWatcherEvents {
  /** The availability changed: the camera became usable, moved to another node, or went away / was refused. */
  change: [availability: CameraAvailability];
}

/**
 * Keeps track of the configured camera. Every (re)discovery runs the whole selection again —
 * pin (USB vendor/product id and serial) and virtual-driver refusal — so a device node that
 * reappears is never trusted because of its path: a v4l2loopback device created as
 * `/dev/video0` after the real camera left is refused, and the pinned camera is found when it
 * comes back as `/dev/video2`. Rediscovery runs on USB hot-plug events ({@link useHotplug}), on a
 * poll (the fallback), and whenever {@link rescan} is called; scans never overlap and a burst of
 * requests costs one scan.
 *
 * @example
 * ```ts
 * const watcher = new PinnedCameraWatcher({ selection, mode: 'production', discover: () => listV4l2Cameras({ ffmpegPath: false }) });
 * watcher.on('change', (a) => (a.status === 'ready' ? use(a.camera) : report(a.error)));
 * await watcher.start();
 * ```
 */
export class PinnedCameraWatcher extends EventEmitter<PinnedCameraWatcherEvents> {
  private current: CameraAvailability = {
    status: 'unavailable',
    error: new KycdError('camera_not_found', 'camera discovery has not run yet'),
  };
  private readonly options: PinnedCameraWatcherOptions;
  private readonly exists: (path: string) => boolean;
  private tail: Promise<unknown> = Promise.resolve();
  private queued: Promise<CameraAvailability> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private readonly settleTimers = new Set<NodeJS.Timeout>();
  private unsubscribeHotplug: (() => Promise<void>) | undefined;
  private closed = false;
  /** Bumped by {@link markLost}: a scan that started before the loss must not undo it. */
  private generation = 0;

  constructor(options: PinnedCameraWatcherOptions) {
    super();
    const pollMs = options.pollMs ?? 1000;
    if (!Number.isInteger(pollMs) || pollMs < 0)
      throw new RangeError(`pollMs must be a non-negative integer, got ${pollMs}`);
    this.options = options;
    this.exists = options.exists ?? existsSync;
  }

  /** The availability as of the last scan (or the last reported loss). */
  get availability(): CameraAvailability {
    return this.current;
  }

  /** The first scan, then the poll. Resolves with the first scan's outcome. */
  async start(): Promise<CameraAvailability> {
    const first = await this.rescan();
    const pollMs = this.options.pollMs ?? 1000;
    if (pollMs > 0 && !this.closed && this.timer === undefined) {
      this.timer = setInterval(() => void this.rescan().catch(() => undefined), pollMs);
      this.timer.unref();
    }
    return first;
  }

  /**
   * The capture found the camera gone (ffmpeg exits within milliseconds of an unplug, long
   * before the next poll): report it unavailable now — synchronously, so listeners learn of it
   * before the frame iterator rejects — then rediscover.
   */
  markLost(error: KycdError): void {
    if (this.closed) return;
    this.generation++;
    if (this.current.status === 'ready') {
      this.current = { status: 'unavailable', error };
      this.emit('change', this.current);
    }
    void this.rescan().catch(() => undefined);
  }

  /**
   * Discover the cameras and run the selection again. Calls made while a scan is waiting to run
   * share it; a call made while a scan is running queues one more (it may see a newer state).
   */
  rescan(): Promise<CameraAvailability> {
    if (this.queued !== undefined) return this.queued;
    const next = this.tail.then(() => {
      this.queued = undefined;
      return this.scanOnce();
    });
    this.queued = next;
    this.tail = next.catch(() => undefined);
    return next;
  }

  /**
   * Rediscover on every USB hot-plug event (at once, and again after `settleMs`), so an unplug
   * or a replug is seen without waiting for the poll, which stays as the fallback. Rejects when
   * the source cannot subscribe (no libusb, no permission): polling alone then.
   */
  async useHotplug(source: UsbHotplugSource): Promise<void> {
    if (this.closed || this.unsubscribeHotplug !== undefined) return;
    const settleMs = this.options.settleMs ?? 300;
    const unsubscribe = await source(() => {
      if (this.closed) return;
      void this.rescan().catch(() => undefined);
      const t = setTimeout(() => {
        this.settleTimers.delete(t);
        void this.rescan().catch(() => undefined);
      }, settleMs);
      t.unref();
      this.settleTimers.add(t);
    });
    if (this.closed) await unsubscribe();
    else this.unsubscribeHotplug = unsubscribe;
  }

  /** Stop polling and hot-plug; no more `change` events. */
  close(): void {
    this.closed = true;
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    for (const t of this.settleTimers) clearTimeout(t);
    this.settleTimers.clear();
    void this.unsubscribeHotplug?.().catch(() => undefined);
    this.unsubscribeHotplug = undefined;
    this.removeAllListeners();
  }

  private async scanOnce(): Promise<CameraAvailability> {
    if (this.closed) return this.current;
    const generation = this.generation;
    let next: CameraAvailability;
    try {
      const cameras = (await this.options.discover()).filter((c) => this.exists(c.path));
      const camera = selectCamera(cameras, this.options.selection, this.options.mode);
      const was = this.current;
      if (was.status === 'ready' && sameCamera(was.camera, camera)) return was;
      const formats =
        this.options.listFormats === undefined
          ? camera.formats
          : await this.options.listFormats(camera.path);
      next = { status: 'ready', camera: { ...camera, formats } };
    } catch (err) {
      next = { status: 'unavailable', error: asCameraError(err) };
    }
    // Closed, or the camera was reported lost meanwhile (markLost queued a fresh scan).
    if (this.closed || generation !== this.generation) return this.current;
    this.set(next);
    return this.current;
  }

  private set(next: CameraAvailability): void {
    const was = this.current;
    if (next.status === 'unavailable') {
      // The camera that was in use is gone: that is an unplug, whatever the scan calls it.
      if (was.status === 'ready' && next.error.code === 'camera_not_found') {
        next = {
          status: 'unavailable',
          error: new KycdError(
            'camera_unplugged',
            `camera ${was.camera.path} (${was.camera.name}) is gone: ${next.error.message}`,
            { data: { device: was.camera.path } },
          ),
        };
      }
      // Still missing after an unplug: keep the unplug as the reason.
      if (
        was.status === 'unavailable' &&
        was.error.code === 'camera_unplugged' &&
        next.error.code === 'camera_not_found'
      )
        return;
      if (
        was.status === 'unavailable' &&
        was.error.code === next.error.code &&
        was.error.message === next.error.message
      )
        return;
    }
    this.current = next;
    this.emit('change', next);
  }
}

function sameCamera(a: CameraDeviceInfo, b: CameraDeviceInfo): boolean {
  return (
    a.path === b.path &&
    a.name === b.name &&
    a.driver === b.driver &&
    a.virtual === b.virtual &&
    a.usb?.vendorId === b.usb?.vendorId &&
    a.usb?.productId === b.usb?.productId &&
    a.usb?.serial === b.usb?.serial
  );
}

function asCameraError(err: unknown): KycdError {
  if (err instanceof KycdError) return err;
  return new KycdError(
    'camera_not_found',
    `camera discovery failed: ${err instanceof Error ? err.message : String(err)}`,
    { cause: err },
  );
}
