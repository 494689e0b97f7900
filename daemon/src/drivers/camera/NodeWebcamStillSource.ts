import { EventEmitter } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KycdError } from '@kycd/plugin-sdk';
import { assertFrameSize, cameraUnplugged } from './captureLimits.js';
import sharp from 'sharp';
import type { CameraFrame, CameraStreamStats } from './FfmpegCameraStream.js';
import {
  isSafeNodeWebcamDevice,
  loadNodeWebcam,
  type NodeWebcamCamera,
  type NodeWebcamModule,
} from './nodeWebcam.js';

/** Options of {@link NodeWebcamStillSource}. */
/** The default shortest time between two stills: at most 2 frames/s. */
export const DEFAULT_STILL_INTERVAL_MS = 500;

export interface NodeWebcamStillSourceOptions {
  /** The camera, as node-webcam takes it (`/dev/videoN` on Linux). */
  readonly device: string;
  readonly width?: number;
  readonly height?: number;
  /** Shortest time between two stills. Default {@link DEFAULT_STILL_INTERVAL_MS}. */
  readonly intervalMs?: number;
  /** The node-webcam module (tests inject a fake). Default: the `node-webcam` package. */
  readonly webcam?: NodeWebcamModule;
  /** Whether a device node exists (an unplugged camera). Default `existsSync`. */
  readonly exists?: (path: string) => boolean;
}

/** Events of {@link NodeWebcamStillSource}: those of FfmpegCameraStream. */
export interface NodeWebcamStillSourceEvents {
  unplugged: [error: KycdError];
  error: [error: KycdError];
  end: [];
}

/**
 * The still-capture fallback, for machines without ffmpeg: node-webcam runs the platform's
 * still tool (fswebcam on Linux) once per frame, and the JPEG is decoded to RGB. This is far
 * below the 15–30 fps liveness is built for — at most `1000 / intervalMs` frames per second, in
 * practice often 1–2 — so challenges that need motion between frames (a blink) will mostly
 * time out; it keeps a camera usable for diagnostics and slow steps, and the daemon says so
 * (`kycd doctor`, logs). Stills are taken when the consumer asks for the next frame: nothing
 * queues. Same interface and failures as FfmpegCameraStream (`camera_unplugged` when the node
 * vanished, else `camera_stream_failed`).
 */
export class NodeWebcamStillSource extends EventEmitter<NodeWebcamStillSourceEvents> {
  readonly width: number;
  readonly height: number;
  /** The frame rate this source can at best deliver. */
  readonly fps: number;
  readonly stats: CameraStreamStats = { received: 0, delivered: 0, dropped: 0 };
  private readonly options: NodeWebcamStillSourceOptions;
  private readonly intervalMs: number;
  private stopped = false;
  private wake: (() => void) | undefined;

  constructor(options: NodeWebcamStillSourceOptions) {
    super();
    const width = options.width ?? 640;
    const height = options.height ?? 480;
    const intervalMs = options.intervalMs ?? DEFAULT_STILL_INTERVAL_MS;
    if (!isSafeNodeWebcamDevice(options.device))
      throw new RangeError(`not a camera node-webcam can be given: ${options.device}`);
    assertFrameSize(width, height);
    if (!Number.isInteger(intervalMs) || intervalMs < 50 || intervalMs > 10_000)
      throw new RangeError(`intervalMs must be 50..10000, got ${intervalMs}`);
    this.options = options;
    this.width = width;
    this.height = height;
    this.intervalMs = intervalMs;
    this.fps = 1000 / intervalMs;
  }

  private halted(signal: AbortSignal | undefined): boolean {
    return this.stopped || signal?.aborted === true;
  }

  /** Stop taking stills; open iterators end. */
  stop(): void {
    this.stopped = true;
    this.wake?.();
  }

  /** Stills as frames until `signal` or `stop()`; rejects with `camera_unplugged` / `camera_stream_failed`. */
  async *frames(
    options: { signal?: AbortSignal } = {},
  ): AsyncGenerator<CameraFrame, void, undefined> {
    const { signal } = options;
    let webcam: NodeWebcamModule;
    try {
      webcam = this.options.webcam ?? loadNodeWebcam();
    } catch (err) {
      throw this.failed(
        new KycdError(
          'camera_stream_failed',
          `node-webcam is not usable: ${err instanceof Error ? err.message : String(err)}`,
          { cause: err },
        ),
      );
    }
    const camera = webcam.create({
      width: this.width,
      height: this.height,
      quality: 90,
      output: 'jpeg',
      device: this.options.device,
      callbackReturn: 'buffer',
      saveShots: false,
      verbose: false,
      delay: 0,
    });
    const dir = await mkdtemp(join(tmpdir(), 'kycd-still-'));
    const onAbort = (): void => this.wake?.();
    signal?.addEventListener('abort', onAbort);
    try {
      for (let n = 0; ; n++) {
        if (this.stopped || signal?.aborted === true) return;
        const started = performance.now();
        const still = join(dir, `still-${n}.jpg`);
        // node-webcam writes each still to disk and never deletes it: a picture of the
        // customer's face must not outlive the moment it was read.
        const jpeg = await this.captureOne(camera, still).finally(() => rm(still, { force: true }));
        if (this.halted(signal)) return;
        const frame = await this.decode(jpeg);
        this.stats.received++;
        this.stats.delivered++;
        yield frame;
        // At most one still per interval: timers may fire a little early (libuv's clock is
        // whole milliseconds), so wait again for whatever is left.
        let wait: number;
        while (
          !this.halted(signal) &&
          (wait = this.intervalMs - (performance.now() - started)) > 0
        ) {
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, Math.ceil(wait));
            this.wake = () => {
              clearTimeout(timer);
              resolve();
            };
          });
          this.wake = undefined;
        }
      }
    } finally {
      signal?.removeEventListener('abort', onAbort);
      await rm(dir, { recursive: true, force: true });
      this.emit('end');
    }
  }

  private captureOne(camera: NodeWebcamCamera, location: string): Promise<Buffer> {
    if (!/^[\w./:\\-]+$/.test(location))
      return Promise.reject(
        this.failed(
          new KycdError(
            'camera_stream_failed',
            `temporary path unsafe for node-webcam: ${location}`,
          ),
        ),
      );
    return new Promise((resolve, reject) => {
      try {
        camera.capture(location, (err, data) => {
          if (err === null && Buffer.isBuffer(data) && data.length > 0) resolve(data);
          else reject(this.captureFailure(err ?? new Error('node-webcam returned no image')));
        });
      } catch (err) {
        reject(this.captureFailure(err));
      }
    });
  }

  private async decode(jpeg: Buffer): Promise<CameraFrame> {
    try {
      const { data, info } = await sharp(jpeg, { limitInputPixels: 4096 * 4096 })
        .removeAlpha()
        .resize(this.width, this.height, { fit: 'fill' })
        .raw()
        .toBuffer({ resolveWithObject: true });
      return {
        data: new Uint8Array(data.buffer, data.byteOffset, info.width * info.height * 3),
        width: info.width,
        height: info.height,
        timestampMs: performance.now(),
      };
    } catch (err) {
      throw this.failed(
        new KycdError(
          'camera_stream_failed',
          `the still is not a decodable image: ${err instanceof Error ? err.message : String(err)}`,
          { cause: err },
        ),
      );
    }
  }

  private captureFailure(err: unknown): KycdError {
    const device = this.options.device;
    const exists = this.options.exists ?? existsSync;
    if (device.startsWith('/dev/') && !exists(device)) {
      return this.failed(cameraUnplugged(device));
    }
    return this.failed(
      new KycdError(
        'camera_stream_failed',
        `still capture failed: ${err instanceof Error ? err.message : String(err)}`,
        { cause: err },
      ),
    );
  }

  /** Report a failure as FfmpegCameraStream does (`unplugged` or `error`, before the iterator rejects). */
  private failed(error: KycdError): KycdError {
    if (error.code === 'camera_unplugged') this.emit('unplugged', error);
    else if (this.listenerCount('error') > 0) this.emit('error', error);
    return error;
  }
}
