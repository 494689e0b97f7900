/** One pixel format a camera offers, with its frame sizes. */
export interface CameraFormat {
  /** `raw` or `compressed`, as ffmpeg lists them. */
  readonly kind: 'raw' | 'compressed';
  /** ffmpeg's name (e.g. `yuyv422`, `mjpeg`), usable as `-input_format`. */
  readonly ffmpegName: string;
  readonly description: string;
  /** Frame sizes, e.g. `640x480`. */
  readonly sizes: readonly string[];
}

/** A video capture device found on the system. */
export interface CameraDeviceInfo {
  /** Device node, e.g. `/dev/video0`. */
  readonly path: string;
  /** Human name (sysfs `name`). */
  readonly name: string;
  /** Kernel driver (e.g. `uvcvideo`, `v4l2loopback`), when known. */
  readonly driver?: string;
  /** USB identity when the camera is a USB device (4 lowercase hex digits each). */
  readonly usb?: {
    readonly vendorId: string;
    readonly productId: string;
    readonly serial?: string;
  };
  readonly formats: readonly CameraFormat[];
  /** True when the driver or name marks a virtual camera (see `isVirtualCamera`). */
  readonly virtual: boolean;
}
