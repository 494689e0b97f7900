/** Options for one APDU exchange. */
export interface TransmitOptions {
  /** Aborting rejects the exchange with `document_aborted` (the card may still finish it). */
  readonly signal?: AbortSignal;
}

/**
 * The whole transport interface of the eMRTD stack: send one command APDU, get the response
 * APDU (data ‖ SW1 SW2). Implementations handle the transport's own details (T=0 GET RESPONSE,
 * 6Cxx re-send) so callers only ever see complete responses. Failures reject with an
 * `EmrtdError` (`document_card_removed`, `document_transmission_failed`, `document_aborted`).
 */
export interface CardTransport {
  transmit(command: Uint8Array, opts?: TransmitOptions): Promise<Uint8Array>;
  /** Whether the card/reader accepts extended-length APDUs (from the ATR or EF.ATR/INFO), if known. */
  readonly extendedLengthSupported?: boolean;
}
