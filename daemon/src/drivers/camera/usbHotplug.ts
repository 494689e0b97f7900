/** A USB device arrived or left. `vendorId` / `productId` (4 lowercase hex digits) when known. */
export interface UsbHotplugEvent {
  readonly type: 'attach' | 'detach';
  readonly vendorId?: string;
  readonly productId?: string;
}

/** Subscribe to USB hot-plug events; resolves with the unsubscribe function. */
export type UsbHotplugSource = (
  onEvent: (event: UsbHotplugEvent) => void,
) => Promise<() => Promise<void>>;

/**
 * The part of the `usb` package's native binding used here (`usb/index.js`, v3): the hot-plug
 * `Emitter`. Its `addAttach` / `addDetach` return promises, so a libusb without hot-plug support
 * is a catchable failure. (The package's WebUSB `addEventListener('connect')` rethrows such
 * failures from a timer, which would take the daemon down.)
 */
export interface UsbNativeBinding {
  readonly Emitter: new () => {
    addAttach(
      callback: (device: { readonly vendorId: number; readonly productId: number }) => void,
    ): Promise<void>;
    removeAttach(): Promise<void>;
    addDetach(callback: (handle: string) => void): Promise<void>;
    removeDetach(): Promise<void>;
  };
}

const hex4 = (n: number): string | undefined =>
  Number.isInteger(n) && n >= 0 && n <= 0xffff ? n.toString(16).padStart(4, '0') : undefined;

/**
 * USB hot-plug through the `usb` package: attach events carry the vendor/product id, detach
 * events none (the device is gone). `load` is injectable for tests; by default the package's
 * native binding is loaded on first use, and a failure to load or subscribe rejects (callers
 * fall back to polling).
 */
export function usbPackageHotplug(
  load: () => Promise<UsbNativeBinding> = loadUsbBinding,
): UsbHotplugSource {
  return async (onEvent) => {
    const binding = await load();
    const emitter = new binding.Emitter();
    await emitter.addAttach((device) => {
      const vendorId = hex4(device.vendorId);
      const productId = hex4(device.productId);
      onEvent({
        type: 'attach',
        ...(vendorId === undefined ? {} : { vendorId }),
        ...(productId === undefined ? {} : { productId }),
      });
    });
    try {
      await emitter.addDetach(() => onEvent({ type: 'detach' }));
    } catch (err) {
      await emitter.removeAttach().catch(() => undefined);
      throw err;
    }
    let subscribed = true;
    return async () => {
      if (!subscribed) return;
      subscribed = false;
      await emitter.removeAttach().catch(() => undefined);
      await emitter.removeDetach().catch(() => undefined);
    };
  };
}

async function loadUsbBinding(): Promise<UsbNativeBinding> {
  const mod = (await import('usb/index.js')) as unknown as {
    default?: UsbNativeBinding;
  } & Partial<UsbNativeBinding>;
  const binding = mod.default ?? (mod as UsbNativeBinding);
  if (typeof binding.Emitter !== 'function')
    throw new Error('the usb package has no hot-plug Emitter');
  return binding;
}
