import { VirtualSamReader } from '@kycd/hardware-sim';
import { describe, expect, it } from 'vitest';
import { readResidentId } from '../../documents/sam/readResidentId.js';
import { UsbSamTransport, type SamUsbDevice } from './UsbSamTransport.js';

/** A fake WebUSB device whose bulk endpoints lead to a virtual SAM; IN transfers return at most 64 bytes (one packet). */
function fakeUsbSam(
  sim: VirtualSamReader,
  options: { failInAfter?: number } = {},
): SamUsbDevice & { claimed: number[]; closedCount: number } {
  const pending: Uint8Array[] = [];
  let waiter: (() => void) | undefined;
  let opened = false;
  let inTransfers = 0;
  sim.attach((bytes) => {
    for (let i = 0; i < bytes.length; i += 64) pending.push(bytes.slice(i, i + 64));
    waiter?.();
  });
  const device = {
    vendorId: 0x0400,
    productId: 0xc35a,
    claimed: [] as number[],
    closedCount: 0,
    get opened() {
      return opened;
    },
    configuration: {
      interfaces: [
        {
          interfaceNumber: 0,
          alternate: {
            endpoints: [
              {
                endpointNumber: 3,
                direction: 'in' as const,
                type: 'interrupt' as const,
                packetSize: 8,
              },
            ],
          },
        },
        {
          interfaceNumber: 1,
          alternate: {
            endpoints: [
              {
                endpointNumber: 1,
                direction: 'out' as const,
                type: 'bulk' as const,
                packetSize: 64,
              },
              {
                endpointNumber: 2,
                direction: 'in' as const,
                type: 'bulk' as const,
                packetSize: 64,
              },
            ],
          },
        },
      ],
    },
    async open() {
      opened = true;
    },
    async close() {
      opened = false;
      device.closedCount++;
      waiter?.();
    },
    async selectConfiguration() {},
    async claimInterface(n: number) {
      device.claimed.push(n);
    },
    async releaseInterface() {},
    async transferOut(endpointNumber: number, data: Uint8Array) {
      expect(endpointNumber).toBe(1);
      sim.receive(data);
      return { bytesWritten: data.length, status: 'ok' };
    },
    async transferIn(endpointNumber: number) {
      expect(endpointNumber).toBe(2);
      if (options.failInAfter !== undefined && ++inTransfers > options.failInAfter)
        throw new Error('LIBUSB_ERROR_NO_DEVICE');
      while (pending.length === 0) {
        if (!opened) throw new Error('LIBUSB_ERROR_NO_DEVICE');
        await new Promise<void>((r) => (waiter = r));
      }
      const chunk = pending.shift()!;
      return { data: new DataView(chunk.buffer, chunk.byteOffset, chunk.byteLength), status: 'ok' };
    },
  };
  return device;
}

describe('UsbSamTransport', () => {
  it('claims the interface with the bulk pair and reads a card through it, 64-byte packets reassembled', async () => {
    const sim = new VirtualSamReader({ card: {} });
    const device = fakeUsbSam(sim);
    const transport = await UsbSamTransport.fromDevice(device);
    expect(transport.description).toBe('usb:0400:c35a');
    expect(device.claimed).toEqual([1]);
    const result = await readResidentId(transport, { wltDecoder: sim.wltDecoder });
    expect(result.fields.documentNumber).toBe('11010519491231002X');
    expect(result.photo?.rgb?.width).toBe(102);
    await transport.close();
    expect(device.closedCount).toBe(1);
    await expect(transport.write(Uint8Array.of(1))).rejects.toMatchObject({
      code: 'document_sam_transport_failed',
    });
  });

  it('a device without a bulk pair on the asked interface → document_reader_unavailable', async () => {
    const device = fakeUsbSam(new VirtualSamReader());
    await expect(UsbSamTransport.fromDevice(device, 0)).rejects.toMatchObject({
      code: 'document_reader_unavailable',
    });
  });

  it('an unplugged device mid-read → document_sam_transport_failed', async () => {
    const sim = new VirtualSamReader({ card: {} });
    const transport = await UsbSamTransport.fromDevice(fakeUsbSam(sim, { failInAfter: 5 }));
    await expect(readResidentId(transport, {})).rejects.toMatchObject({
      code: 'document_sam_transport_failed',
    });
    await transport.close();
  });
});

describe('UsbSamTransport.open through the usb package', () => {
  it('a reader that is not connected → document_reader_unavailable', async () => {
    await expect(
      UsbSamTransport.open({ vendorId: 0xfffe, productId: 0xfffe }),
    ).rejects.toMatchObject({ code: 'document_reader_unavailable' });
  });

  it('rejects ids that are not 16-bit with a RangeError', async () => {
    await expect(UsbSamTransport.open({ vendorId: 0x10000, productId: 1 })).rejects.toThrow(
      RangeError,
    );
  });
});
