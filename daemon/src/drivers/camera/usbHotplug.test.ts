import { describe, expect, it } from 'vitest';
import { usbPackageHotplug, type UsbHotplugEvent, type UsbNativeBinding } from './usbHotplug.js';

/** The usb package's native Emitter, faked: the test plays libusb. */
function fakeBinding(options: { failDetach?: boolean } = {}): {
  binding: UsbNativeBinding;
  attach: (vid: number, pid: number) => void;
  detach: () => void;
  listening: () => number;
} {
  let onAttach: ((d: { vendorId: number; productId: number }) => void) | undefined;
  let onDetach: ((handle: string) => void) | undefined;
  class Emitter {
    async addAttach(cb: (d: { vendorId: number; productId: number }) => void): Promise<void> {
      onAttach = cb;
    }
    async removeAttach(): Promise<void> {
      onAttach = undefined;
    }
    async addDetach(cb: (handle: string) => void): Promise<void> {
      if (options.failDetach === true) throw new Error('LIBUSB_ERROR_NOT_SUPPORTED');
      onDetach = cb;
    }
    async removeDetach(): Promise<void> {
      onDetach = undefined;
    }
  }
  return {
    binding: { Emitter },
    attach: (vid, pid) => onAttach?.({ vendorId: vid, productId: pid }),
    detach: () => onDetach?.('1-2'),
    listening: () => (onAttach === undefined ? 0 : 1) + (onDetach === undefined ? 0 : 1),
  };
}

describe('usbPackageHotplug', () => {
  it('reports attach with 4-hex-digit ids and detach, until unsubscribed', async () => {
    const fake = fakeBinding();
    const events: UsbHotplugEvent[] = [];
    const unsubscribe = await usbPackageHotplug(async () => fake.binding)((e) => events.push(e));
    fake.attach(0x046d, 0x85b);
    fake.detach();
    fake.attach(-1, 0x10000); // hostile values are left out
    expect(events).toEqual([
      { type: 'attach', vendorId: '046d', productId: '085b' },
      { type: 'detach' },
      { type: 'attach' },
    ]);
    await unsubscribe();
    expect(fake.listening()).toBe(0);
  });

  it('rejects, subscribed to nothing, when libusb cannot deliver hot-plug events', async () => {
    const fake = fakeBinding({ failDetach: true });
    await expect(usbPackageHotplug(async () => fake.binding)(() => undefined)).rejects.toThrow(
      'NOT_SUPPORTED',
    );
    expect(fake.listening()).toBe(0);
    await expect(
      usbPackageHotplug(async () => Promise.reject(new Error('no native binding')))(
        () => undefined,
      ),
    ).rejects.toThrow('no native binding');
  });

  it('loads the real usb package binding', async () => {
    // Subscribing needs libusb (may be absent in a container); loading the binding must work.
    const mod = (await import('usb/index.js')) as unknown as {
      default?: UsbNativeBinding;
    } & Partial<UsbNativeBinding>;
    expect(typeof (mod.default ?? mod).Emitter).toBe('function');
  });
});
