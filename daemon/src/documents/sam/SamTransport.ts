/**
 * The whole byte transport under the SAM protocol: a serial line (RS-232 / USB-serial, 115200 8N1),
 * USB bulk endpoints, a pseudo-terminal to the simulator, or a scripted transport in tests.
 * Framing, timeouts and retries live above it, in {@link SamReader}.
 */
export interface SamTransport {
  /** Human-readable name for messages and logs, e.g. `serial:/dev/ttyUSB0`. */
  readonly description: string;
  /** Writes bytes to the reader; rejects with a `document_sam_transport_failed` error when the link is gone. */
  write(bytes: Uint8Array): Promise<void>;
  /**
   * Bytes from the reader as they arrive, in arbitrary chunks. Iterated once; ends when the link
   * closes and throws when it fails.
   */
  readonly incoming: AsyncIterable<Uint8Array>;
  /** Closes the link; idempotent. */
  close(): Promise<void>;
}
