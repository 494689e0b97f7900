import { spawn, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { existsSync } from 'node:fs';
import { KycdError } from '@kycd/plugin-sdk';
import { assertFrameSize, cameraUnplugged } from './captureLimits.js';

/** What ffmpeg reads. */
export type FfmpegCameraInput =
  /**
   * A V4L2 device (Linux). `inputFormat` is ffmpeg's name, e.g. `mjpeg` or `yuyv422`;
   * `videoSize` the capture size (`WxH`, default the output size), see `chooseCaptureFormat`.
   */
  | {
      readonly kind: 'v4l2';
      readonly device: string;
      readonly inputFormat?: string;
      readonly videoSize?: string;
    }
  /** A lavfi graph, e.g. `testsrc=size=640x480:rate=30` (tests and diagnostics only). */
  | { readonly kind: 'lavfi'; readonly graph: string };

/** Options of {@link FfmpegCameraStream}; defaults in {@link FFMPEG_CAMERA_DEFAULTS}. */
export interface FfmpegCameraStreamOptions {
  readonly input: FfmpegCameraInput;
  readonly width?: number;
  readonly height?: number;
  /** 15–30. */
  readonly fps?: number;
  readonly ffmpegPath?: string;
}

/** Defaults of {@link FfmpegCameraStreamOptions}. */
export const FFMPEG_CAMERA_DEFAULTS = {
  width: 640,
  height: 480,
  fps: 30,
  ffmpegPath: 'ffmpeg',
} as const;

/** A frame from the stream: packed RGB with the arrival time (ms, `performance.now()` clock). */
export interface CameraFrame {
  readonly data: Uint8Array;
  readonly width: number;
  readonly height: number;
  readonly timestampMs: number;
}

/** Events of {@link FfmpegCameraStream}. */
export interface FfmpegCameraStreamEvents {
  /**
   * The device node disappeared while streaming (camera unplugged). Emitted synchronously before
   * the frame iterator rejects, so a listener can report the device lost first.
   */
  unplugged: [error: KycdError];
  /** ffmpeg failed or exited unexpectedly for another reason. */
  error: [error: KycdError];
  /** The capture process ended (after `stop()` or a failure). */
  end: [];
}

/** Frame counters of a stream. */
export interface CameraStreamStats {
  /** Complete frames read from ffmpeg. */
  received: number;
  /** Frames handed to a consumer. */
  delivered: number;
  /** Frames replaced by a newer one before anybody took them. */
  dropped: number;
}

/**
 * Streaming capture through an ffmpeg child process: ffmpeg reads the device and writes
 * rawvideo rgb24 frames to a pipe. The pipe is always drained (ffmpeg never blocks on us); only
 * the newest complete frame is kept, so a slow consumer gets fresh frames and memory stays at
 * two frames whatever happens. Unplugging the camera ends the stream with `camera_unplugged`.
 *
 * @example
 * ```ts
 * const stream = new FfmpegCameraStream({ input: { kind: 'v4l2', device: '/dev/video0', inputFormat: 'mjpeg' } });
 * stream.on('error', log.warn);
 * for await (const frame of stream.frames({ signal })) analyse(frame);
 * ```
 */
export class FfmpegCameraStream extends EventEmitter<FfmpegCameraStreamEvents> {
  readonly width: number;
  readonly height: number;
  readonly fps: number;
  readonly stats: CameraStreamStats = { received: 0, delivered: 0, dropped: 0 };
  private readonly options: FfmpegCameraStreamOptions;
  private readonly frameBytes: number;
  private child: ChildProcess | undefined;
  private partial: Buffer;
  private filled = 0;
  private latest: CameraFrame | undefined;
  private failure: KycdError | undefined;
  private ended = false;
  private stopping = false;
  private readonly wakers = new Set<() => void>();
  private stderrTail = '';

  constructor(options: FfmpegCameraStreamOptions) {
    super();
    const o = { ...FFMPEG_CAMERA_DEFAULTS, ...options };
    assertFrameSize(o.width, o.height);
    if (!(o.fps >= 15 && o.fps <= 30))
      throw new RangeError(`fps must be within 15–30, got ${o.fps}`);
    if (o.input.kind === 'v4l2' && !/^\/dev\/[\w./-]+$/.test(o.input.device))
      throw new RangeError(`not a device path: ${o.input.device}`);
    if (
      o.input.kind === 'v4l2' &&
      o.input.inputFormat !== undefined &&
      !/^\w{1,32}$/.test(o.input.inputFormat)
    ) {
      throw new RangeError(`not an ffmpeg pixel format name: ${o.input.inputFormat}`);
    }
    if (
      o.input.kind === 'v4l2' &&
      o.input.videoSize !== undefined &&
      !/^\d{2,4}x\d{2,4}$/.test(o.input.videoSize)
    ) {
      throw new RangeError(`not a capture size (WxH): ${o.input.videoSize}`);
    }
    this.options = o;
    this.width = o.width;
    this.height = o.height;
    this.fps = o.fps;
    this.frameBytes = o.width * o.height * 3;
    this.partial = Buffer.allocUnsafe(this.frameBytes);
  }

  /** The ffmpeg arguments (exposed for diagnostics). */
  get ffmpegArgs(): string[] {
    const { input } = this.options;
    const size = `${this.width}x${this.height}`;
    const head = ['-hide_banner', '-nostdin', '-loglevel', 'error'];
    const source =
      input.kind === 'v4l2'
        ? [
            '-f',
            'v4l2',
            ...(input.inputFormat === undefined ? [] : ['-input_format', input.inputFormat]),
            '-framerate',
            String(this.fps),
            '-video_size',
            input.videoSize ?? size,
            '-i',
            input.device,
          ]
        : ['-re', '-f', 'lavfi', '-i', input.graph];
    return [
      ...head,
      ...source,
      '-an',
      '-vf',
      `scale=${size},fps=${this.fps}`,
      '-pix_fmt',
      'rgb24',
      '-f',
      'rawvideo',
      'pipe:1',
    ];
  }

  /** Start ffmpeg (idempotent). */
  start(): void {
    if (this.child !== undefined || this.ended) return;
    const child = spawn(this.options.ffmpegPath ?? 'ffmpeg', this.ffmpegArgs, {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    child.stdout!.on('data', (chunk: Buffer) => this.onData(chunk));
    child.stderr!.on('data', (chunk: Buffer) => {
      this.stderrTail = (this.stderrTail + chunk.toString('utf8')).slice(-2000);
    });
    child.on('error', (err) =>
      this.fail(
        new KycdError('camera_stream_failed', `ffmpeg could not start: ${err.message}`, {
          cause: err,
        }),
      ),
    );
    child.on('close', (code, sig) => {
      if (!this.stopping && this.failure === undefined) {
        const input = this.options.input;
        if (input.kind === 'v4l2' && !existsSync(input.device)) {
          this.fail(cameraUnplugged(input.device));
        } else {
          this.fail(
            new KycdError(
              'camera_stream_failed',
              `ffmpeg exited (${sig ?? code}) : ${this.stderrTail.trim().split('\n').at(-1) ?? ''}`,
              {
                data: { exitCode: code ?? -1 },
              },
            ),
          );
        }
      }
      this.ended = true;
      this.wake();
      this.emit('end');
    });
  }

  /** Stop ffmpeg; open iterators end. */
  stop(): void {
    this.stopping = true;
    this.child?.kill('SIGTERM');
    if (this.child === undefined) this.ended = true;
    this.wake();
  }

  /**
   * The newest frames, as an async iterator (starts ffmpeg). Ends on `signal` or `stop()`;
   * rejects with `camera_unplugged` / `camera_stream_failed`.
   */
  async *frames(
    options: { signal?: AbortSignal } = {},
  ): AsyncGenerator<CameraFrame, void, undefined> {
    const { signal } = options;
    this.start();
    const onAbort = (): void => this.wake();
    signal?.addEventListener('abort', onAbort);
    try {
      for (;;) {
        if (signal?.aborted === true) return;
        if (this.latest !== undefined) {
          const frame = this.latest;
          this.latest = undefined;
          this.stats.delivered++;
          yield frame;
          continue;
        }
        if (this.failure !== undefined) throw this.failure;
        if (this.ended || this.stopping) return;
        await new Promise<void>((resolve) => {
          const done = (): void => {
            this.wakers.delete(done);
            resolve();
          };
          this.wakers.add(done);
        });
      }
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }

  private onData(chunk: Buffer): void {
    let offset = 0;
    while (offset < chunk.length) {
      const n = Math.min(chunk.length - offset, this.frameBytes - this.filled);
      chunk.copy(this.partial, this.filled, offset, offset + n);
      this.filled += n;
      offset += n;
      if (this.filled === this.frameBytes) {
        this.stats.received++;
        if (this.latest !== undefined) this.stats.dropped++;
        this.latest = {
          data: new Uint8Array(this.partial.buffer, this.partial.byteOffset, this.frameBytes),
          width: this.width,
          height: this.height,
          timestampMs: performance.now(),
        };
        this.partial = Buffer.allocUnsafe(this.frameBytes);
        this.filled = 0;
        this.wake();
      }
    }
  }

  private fail(error: KycdError): void {
    if (this.failure !== undefined) return;
    this.failure = error;
    if (error.code === 'camera_unplugged') this.emit('unplugged', error);
    else this.emit('error', error);
    this.wake();
  }

  private wake(): void {
    for (const w of [...this.wakers]) w();
  }
}
