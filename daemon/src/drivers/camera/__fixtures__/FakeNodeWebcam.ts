import { writeFile } from 'node:fs/promises';
import sharp from 'sharp';
import type { NodeWebcamModule, NodeWebcamOptions } from '../nodeWebcam.js';

/** A JPEG still of `width`×`height` with a horizontal red ramp (what a camera tool would write). */
export async function rampJpeg(width: number, height: number): Promise<Buffer> {
  const raw = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) raw[(y * width + x) * 3] = Math.round((x / (width - 1)) * 255);
  return sharp(raw, { raw: { width, height, channels: 3 } })
    .jpeg({ quality: 95 })
    .toBuffer();
}

/**
 * node-webcam, faked at its interface: `create(options).capture(location, cb)` writes the still
 * to `location` and calls back with its bytes (callbackReturn `buffer`), or with an error;
 * `list(cb)` answers with the configured names.
 */
export class FakeNodeWebcam implements NodeWebcamModule {
  readonly created: NodeWebcamOptions[] = [];
  readonly locations: string[] = [];
  /** When each capture was started (`performance.now()`). */
  readonly startedAt: number[] = [];
  /** The next captures' outcome: a JPEG, raw bytes, or an error. */
  next: () => Promise<Buffer | Error> = async () => new Error('no still configured');
  cameras: unknown = [];

  create(options: NodeWebcamOptions): {
    capture(location: string, callback: (err: Error | null, data?: Buffer) => void): void;
  } {
    this.created.push(options);
    return {
      capture: (location, callback) => {
        this.locations.push(location);
        this.startedAt.push(performance.now());
        void this.next().then(async (out) => {
          if (out instanceof Error) return callback(out);
          await writeFile(location, out);
          callback(null, out);
        });
      },
    };
  }

  list(callback: (cameras: string[]) => void): void {
    setImmediate(() => callback(this.cameras as string[]));
  }
}
