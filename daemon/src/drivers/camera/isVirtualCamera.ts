/** Kernel drivers of virtual (software-fed) video devices. */
export const VIRTUAL_CAMERA_DRIVERS: readonly string[] = [
  'v4l2loopback',
  'v4l2 loopback',
  'akvcam',
  'vivid',
  'v4l2-loopback',
];

/** Device names of well-known virtual cameras (OBS, ManyCam, Snap, XSplit, Droidcam …). */
export const VIRTUAL_CAMERA_NAME_PATTERN =
  /obs|virtual|loopback|dummy|akvcam|manycam|snap camera|xsplit|droidcam|e2esoft|splitcam|vcam|fake/i;

/**
 * True when a device is (or claims to be) a virtual camera: a software source that can inject
 * arbitrary frames. Production mode refuses these (`camera_virtual_refused`).
 */
export function isVirtualCamera(device: {
  readonly name: string;
  readonly driver?: string;
  readonly usb?: unknown;
}): boolean {
  if (device.driver !== undefined && VIRTUAL_CAMERA_DRIVERS.includes(device.driver.toLowerCase()))
    return true;
  return VIRTUAL_CAMERA_NAME_PATTERN.test(device.name);
}
