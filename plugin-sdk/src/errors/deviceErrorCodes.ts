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
  'camera_not_found', // no camera device matches the configuration (path or pinned USB ids/serial)
  'camera_virtual_refused', // production mode refuses a virtual camera driver (v4l2loopback, OBS-style)
  'camera_unplugged', // the camera disappeared while streaming (a typed event; the session suspends)
  'camera_stalled', // no frame arrived within frameTimeoutMs, or the stream ended unexpectedly
  'camera_stream_failed', // the capture process (ffmpeg) failed to start or exited with an error
  'sim_photo_unknown', // the simulator was asked for a face photo it does not have
  'sim_photo_no_face', // the simulator found no face in the photo it was given
  'sim_vpcd_unreachable', // the virtual eMRTD could not reach vpcd (pcscd with the vpcd driver is not running / not listening)
] as const;
