import { errorCodeOf } from '../errors/failureReasonOf.js';

/**
 * Rejection codes of `readDocument` / `captureFace` that mean the device went away mid-step
 * (`camera_unplugged` from a camera stream, `device_detached` from any driver). The session
 * suspends on them like on `DEVICE.LOST` instead of spending a retry or failing.
 */
export const DEVICE_LOST_CODES: readonly string[] = Object.freeze([
  'camera_unplugged',
  'device_detached',
]);

/** True when an actor rejected with one of {@link DEVICE_LOST_CODES}. */
export function isDeviceLostError(error: unknown): boolean {
  const code = errorCodeOf(error);
  return code !== undefined && DEVICE_LOST_CODES.includes(code);
}
