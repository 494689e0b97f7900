import { KycdError } from '@kycd/plugin-sdk';

/** @throws {RangeError} unless the frame size is whole pixels within 16..4096 on both sides. */
export function assertFrameSize(width: number, height: number): void {
  const ok = (n: number): boolean => Number.isInteger(n) && n >= 16 && n <= 4096;
  if (!ok(width) || !ok(height))
    throw new RangeError(`frame size must be 16..4096 integers, got ${width}×${height}`);
}

/** What a capture reports when its device node is gone: the camera was unplugged. */
export function cameraUnplugged(device: string): KycdError {
  return new KycdError('camera_unplugged', `camera ${device} was unplugged`, { data: { device } });
}
