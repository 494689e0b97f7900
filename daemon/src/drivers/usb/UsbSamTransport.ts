import { KycdError } from '@kycd/plugin-sdk';
import { ByteQueue } from '../../documents/sam/ByteQueue.js';
import { SamError } from '../../documents/sam/SamError.js';
import type { SamTransport } from '../../documents/sam/SamTransport.js';

/** A USB endpoint as WebUSB describes it. */
export interface SamUsbEndpoint {
  readonly endpointNumber: number;
  readonly direction: 'in' | 'out';
  readonly type: 'bulk' | 'interrupt' | 'isochronous';
  readonly packetSize: number;
}

/** A USB interface as WebUSB describes it (current alternate setting). */
export interface SamUsbInterface {
  readonly interfaceNumber: number;
  readonly alternate: { readonly endpoints: readonly SamUsbEndpoint[] };
}

/**
 * The part of a WebUSB `USBDevice` (as the `usb` package implements it) the SAM transport uses.
 * Tests substitute a fake.
 */
export interface SamUsbDevice {
  readonly vendorId: number;
  readonly productId: number;
  readonly opened: boolean;
  readonly configuration: { readonly interfaces: readonly SamUsbInterface[] } | null | undefined;
  open(): Promise<void>;
  close(): Promise<void>;
  selectConfiguration(configurationValue: number): Promise<void>;
  claimInterface(interfaceNumber: number): Promise<void>;
  releaseInterface(interfaceNumber: number): Promise<void>;
  transferIn(
    endpointNumber: number,
    length: number,
  ): Promise<{ readonly data?: DataView | null; readonly status?: string }>;
  transferOut(
    endpointNumber: number,
    data: Uint8Array,
  ): Promise<{ readonly bytesWritten: number; readonly status?: string }>;
  detachKernelDriver?(interfaceNumber: number): Promise<void>;
}

/** Options of {@link UsbSamTransport.open}. */
export interface UsbSamTransportOptions {
  readonly vendorId: number;
  readonly productId: number;
  /** The interface with the bulk endpoints; default the first interface that has a bulk IN and a bulk OUT. */
  readonly interfaceNumber?: number;
}

/**
 * A {@link SamTransport} on USB bulk endpoints through the `usb` package (libusb), for readers that
 * are not USB-serial devices. The same SAM frames travel in bulk OUT transfers; bulk IN transfers
 * are read continuously and handed up as they arrive (the frame decoder reassembles them).
 * A missing device rejects with `document_reader_unavailable`; a failing endpoint ends
 * {@link incoming} with `document_sam_transport_failed`.
 *
 * Vendor and product ids differ per reader model; kycd ships none (configure them).
 */
export class UsbSamTransport implements SamTransport {
  readonly description: string;
  readonly incoming: AsyncIterable<Uint8Array>;
  private readonly queue = new ByteQueue();
  private closed = false;
  private readLoop: Promise<void> | undefined;

  private constructor(
    private readonly device: SamUsbDevice,
    private readonly interfaceNumber: number,
    private readonly endpointIn: SamUsbEndpoint,
    private readonly endpointOut: SamUsbEndpoint,
  ) {
    this.description = `usb:${hex4(device.vendorId)}:${hex4(device.productId)}`;
    this.incoming = this.queue;
    this.readLoop = this.pump();
  }

  /** Finds the reader by vendor/product id through the `usb` package and opens it. */
  static async open(options: UsbSamTransportOptions): Promise<UsbSamTransport> {
    const { vendorId, productId } = options;
    if (!isU16(vendorId) || !isU16(productId))
      throw new RangeError('vendorId and productId must be 16-bit integers');
    let device: SamUsbDevice | undefined;
    try {
      const { usb } = await import('usb');
      device = (await usb.findDeviceByIds(vendorId, productId)) as unknown as
        SamUsbDevice | undefined;
    } catch (cause) {
      throw new KycdError(
        'document_reader_unavailable',
        `USB is not usable here (libusb): ${cause instanceof Error ? cause.message : String(cause)}`,
        {
          data: { protocol: 'SAM', vendorId: hex4(vendorId), productId: hex4(productId) },
          cause,
        },
      );
    }
    if (device === undefined) {
      throw new KycdError(
        'document_reader_unavailable',
        `no USB SAM reader ${hex4(vendorId)}:${hex4(productId)} is connected`,
        {
          data: { protocol: 'SAM', vendorId: hex4(vendorId), productId: hex4(productId) },
        },
      );
    }
    return UsbSamTransport.fromDevice(device, options.interfaceNumber);
  }

  /** Opens an already-found device (a `usb` package device, or a fake in tests). */
  static async fromDevice(
    device: SamUsbDevice,
    interfaceNumber?: number,
  ): Promise<UsbSamTransport> {
    const name = `${hex4(device.vendorId)}:${hex4(device.productId)}`;
    const unavailable = (why: string, cause?: unknown): KycdError =>
      new KycdError('document_reader_unavailable', `USB SAM reader ${name}: ${why}`, {
        data: { protocol: 'SAM', device: name },
        cause,
      });
    try {
      if (!device.opened) await device.open();
      if (device.configuration === null || device.configuration === undefined)
        await device.selectConfiguration(1);
    } catch (cause) {
      throw unavailable('cannot open the device (permissions? udev rule?)', cause);
    }
    const interfaces = device.configuration?.interfaces ?? [];
    for (const iface of interfaces) {
      if (interfaceNumber !== undefined && iface.interfaceNumber !== interfaceNumber) continue;
      const endpointIn = iface.alternate.endpoints.find(
        (e) => e.type === 'bulk' && e.direction === 'in',
      );
      const endpointOut = iface.alternate.endpoints.find(
        (e) => e.type === 'bulk' && e.direction === 'out',
      );
      if (endpointIn === undefined || endpointOut === undefined) continue;
      try {
        await device.detachKernelDriver?.(iface.interfaceNumber).catch(() => undefined);
        await device.claimInterface(iface.interfaceNumber);
      } catch (cause) {
        await device.close().catch(() => undefined);
        throw unavailable(
          `cannot claim interface ${iface.interfaceNumber} (in use by another program?)`,
          cause,
        );
      }
      return new UsbSamTransport(device, iface.interfaceNumber, endpointIn, endpointOut);
    }
    await device.close().catch(() => undefined);
    throw unavailable(
      interfaceNumber === undefined
        ? 'no interface has a bulk IN and a bulk OUT endpoint'
        : `interface ${interfaceNumber} has no bulk IN/OUT pair`,
    );
  }

  async write(bytes: Uint8Array): Promise<void> {
    if (this.closed)
      throw new SamError('document_sam_transport_failed', `${this.description} is closed`, {
        step: 'frame',
      });
    let result: { readonly bytesWritten: number; readonly status?: string };
    try {
      result = await this.device.transferOut(this.endpointOut.endpointNumber, bytes);
    } catch (cause) {
      throw new SamError(
        'document_sam_transport_failed',
        `bulk OUT transfer to ${this.description} failed`,
        { step: 'frame', cause },
      );
    }
    if (
      (result.status !== undefined && result.status !== 'ok') ||
      result.bytesWritten !== bytes.length
    ) {
      throw new SamError(
        'document_sam_transport_failed',
        `bulk OUT transfer to ${this.description} ended ${result.status ?? 'short'} after ${result.bytesWritten} of ${bytes.length} bytes`,
        {
          step: 'frame',
        },
      );
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.device.releaseInterface(this.interfaceNumber).catch(() => undefined);
    await this.device.close().catch(() => undefined);
    this.queue.end();
    await this.readLoop;
  }

  private async pump(): Promise<void> {
    const length = Math.max(64, this.endpointIn.packetSize) * 32;
    while (!this.closed) {
      try {
        const result = await this.device.transferIn(this.endpointIn.endpointNumber, length);
        if (this.closed) break;
        if (result.status !== undefined && result.status !== 'ok') {
          throw new Error(`bulk IN transfer ended with status ${result.status}`);
        }
        const view = result.data;
        if (view !== null && view !== undefined && view.byteLength > 0) {
          this.queue.push(
            new Uint8Array(view.buffer.slice(view.byteOffset, view.byteOffset + view.byteLength)),
          );
        }
      } catch (cause) {
        if (this.closed) break;
        this.queue.end(
          new SamError(
            'document_sam_transport_failed',
            `bulk IN transfer from ${this.description} failed`,
            { step: 'frame', cause },
          ),
        );
        return;
      }
    }
    this.queue.end();
  }
}

function hex4(v: number): string {
  return v.toString(16).padStart(4, '0');
}

function isU16(v: number): boolean {
  return Number.isInteger(v) && v >= 0 && v <= 0xffff;
}
