/**
 * Device failure codes. Stable: never rename one; add new ones at the end, each with a comment
 * that says when it happens. Carried by events and CLI output, see docs/errors.md.
 */
export const DEVICE_ERROR_CODES = [
  'device_open_failed', // opening the device failed
  'device_open_timeout', // opening the device took longer than openTimeoutMs
  'device_fault', // the device reported a failure while open
  'device_detached', // the device was unplugged
  'device_recovery_exhausted', // every recovery attempt failed; the device is given up until re-plugged
] as const;
