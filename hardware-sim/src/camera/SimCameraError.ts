/**
 * Failure codes of the simulated camera. The strings are also registered in
 * `@kycd/plugin-sdk`'s device error codes, so they travel unchanged to the wire.
 */
export type SimCameraErrorCode =
  | 'sim_photo_unknown'
  | 'sim_photo_no_face'
  | 'camera_unplugged'
  | 'camera_closed'
  | 'camera_stream_failed';

/** An error of the simulated camera (hardware-sim may not import plugin-sdk's KycdError). */
export class SimCameraError extends Error {
  override readonly name = 'SimCameraError';
  readonly code: SimCameraErrorCode;

  constructor(code: SimCameraErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}
