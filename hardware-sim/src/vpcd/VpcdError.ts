/** Error codes of the vpcd transport; each is also registered in the kycd device error registry. */
export type VpcdErrorCode = 'sim_vpcd_unreachable';

/** A failure of the virtual card's link to vpcd, with a stable code for the wire. */
export class VpcdError extends Error {
  override readonly name = 'VpcdError';
  constructor(
    readonly code: VpcdErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
