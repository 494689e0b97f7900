import { readdir } from 'node:fs/promises';
import { KycdError } from '@kycd/plugin-sdk';
import { SerialPort } from 'serialport';
import { ByteQueue } from '../../documents/sam/ByteQueue.js';
import { SamError } from '../../documents/sam/SamError.js';
import type { SamTransport } from '../../documents/sam/SamTransport.js';

/** Options of {@link SerialSamTransport.open}. */
export interface SerialSamTransportOptions {
  /** Line speed; SAM readers default to 115200 (some are set to 9600–57600). */
  readonly baudRate?: number;
}

/** A serial port as the OS lists it. */
export interface SerialPortInfo {
  readonly path: string;
  readonly manufacturer?: string;
  readonly serialNumber?: string;
  readonly vendorId?: string;
  readonly productId?: string;
}

/**
 * A {@link SamTransport} on a serial line (RS-232, USB-serial such as `/dev/ttyUSB0` /
 * `/dev/ttyACM0` / `COM3`, or the simulator's pty) through the `serialport` package, 8N1 at
 * 115200 baud by default. Opening a missing or busy device rejects with
 * `document_reader_unavailable`; a link that fails later ends {@link incoming} with
 * `document_sam_transport_failed`.
 *
 * @example
 * ```ts
 * const transport = await SerialSamTransport.open('/dev/ttyUSB0');
 * try { await readResidentId(transport, { signal }) } finally { await transport.close() }
 * ```
 */
export class SerialSamTransport implements SamTransport {
  /** Line settings of SAM readers. */
  static readonly DEFAULTS = {
    baudRate: 115200,
    dataBits: 8,
    parity: 'none',
    stopBits: 1,
  } as const;

  readonly description: string;
  readonly incoming: AsyncIterable<Uint8Array>;
  private readonly queue: ByteQueue;
  private closed = false;

  private constructor(
    private readonly port: SerialPort,
    path: string,
  ) {
    this.description = `serial:${path}`;
    this.queue = new ByteQueue();
    this.incoming = this.queue;
    port.on('data', (chunk: Buffer) =>
      this.queue.push(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength)),
    );
    port.on('error', (err: Error) => {
      this.queue.end(
        new SamError(
          'document_sam_transport_failed',
          `serial port ${path} failed: ${err.message}`,
          { step: 'frame', cause: err },
        ),
      );
    });
    port.on('close', (err: (Error & { disconnected?: boolean }) | null) => {
      this.queue.end(
        err?.disconnected === true
          ? new SamError('document_sam_transport_failed', `serial port ${path} was disconnected`, {
              step: 'frame',
              cause: err,
            })
          : undefined,
      );
    });
  }

  /** Opens a serial SAM reader at `path`. */
  static async open(
    path: string,
    options: SerialSamTransportOptions = {},
  ): Promise<SerialSamTransport> {
    if (typeof path !== 'string' || path.length === 0)
      throw new TypeError('serial port path must be a non-empty string');
    const baudRate = options.baudRate ?? SerialSamTransport.DEFAULTS.baudRate;
    if (!Number.isInteger(baudRate) || baudRate <= 0)
      throw new RangeError('baudRate must be a positive integer');
    const port = new SerialPort({
      path,
      baudRate,
      dataBits: 8,
      parity: 'none',
      stopBits: 1,
      autoOpen: false,
    });
    await new Promise<void>((resolve, reject) => {
      port.open((err) => {
        if (err === null) resolve();
        else
          reject(
            new KycdError(
              'document_reader_unavailable',
              `cannot open SAM reader serial port ${path}: ${err.message}`,
              { data: { protocol: 'SAM', path }, cause: err },
            ),
          );
      });
    });
    return new SerialSamTransport(port, path);
  }

  /** Lists the machine's serial ports (candidates for a SAM reader). */
  static async list(): Promise<SerialPortInfo[]> {
    let ports: Awaited<ReturnType<typeof SerialPort.list>>;
    try {
      ports = await SerialPort.list();
    } catch (err) {
      // serialport enumerates through udevadm on Linux; without it, list the USB-serial device nodes.
      if (process.platform !== 'linux') throw err;
      const names = await readdir('/dev').catch(() => [] as string[]);
      return names
        .filter((n) => /^tty(USB|ACM)\d+$/u.test(n))
        .sort()
        .map((n) => ({ path: `/dev/${n}` }));
    }
    return ports.map((p) => ({
      path: p.path,
      ...(p.manufacturer === undefined ? {} : { manufacturer: p.manufacturer }),
      ...(p.serialNumber === undefined ? {} : { serialNumber: p.serialNumber }),
      ...(p.vendorId === undefined ? {} : { vendorId: p.vendorId }),
      ...(p.productId === undefined ? {} : { productId: p.productId }),
    }));
  }

  async write(bytes: Uint8Array): Promise<void> {
    if (this.closed || !this.port.isOpen)
      throw new SamError('document_sam_transport_failed', `${this.description} is closed`, {
        step: 'frame',
      });
    await new Promise<void>((resolve, reject) => {
      this.port.write(Buffer.from(bytes), (err) => {
        if (err !== null && err !== undefined) {
          reject(
            new SamError(
              'document_sam_transport_failed',
              `writing to ${this.description} failed: ${err.message}`,
              { step: 'frame', cause: err },
            ),
          );
          return;
        }
        this.port.drain((drainErr) => {
          if (drainErr === null) resolve();
          else
            reject(
              new SamError(
                'document_sam_transport_failed',
                `draining ${this.description} failed: ${drainErr.message}`,
                { step: 'frame', cause: drainErr },
              ),
            );
        });
      });
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (!this.port.isOpen) {
      this.queue.end();
      return;
    }
    await new Promise<void>((resolve) => {
      this.port.close(() => resolve());
    });
    this.queue.end();
  }
}
