import type { CommandApdu } from '../apdu/CommandApdu.js';
import { ResponseApdu } from '../apdu/ResponseApdu.js';
import { EmrtdError } from '../EmrtdError.js';
import type { CardTransport } from '../transport/CardTransport.js';
import type { SecureMessaging } from './SecureMessaging.js';

/** One traced exchange. Secrets never appear: protected APDUs are traced only as lengths. */
export interface ApduTrace {
  readonly ins: number;
  readonly protected: boolean;
  readonly commandLength: number;
  readonly responseLength: number;
  readonly sw: number;
}

/** Counters of one card session. */
export interface ApduCounters {
  apdus: number;
  bytesSent: number;
  bytesReceived: number;
}

/**
 * The one place of a card session that wraps and unwraps: sends plain APDUs until a secure
 * channel is installed, then protects every command and verifies every response.
 */
export class SecureMessagingSender {
  readonly transport: CardTransport;
  readonly counters: ApduCounters = { apdus: 0, bytesSent: 0, bytesReceived: 0 };
  private sm: SecureMessaging | undefined;
  private readonly onTrace: ((trace: ApduTrace) => void) | undefined;

  constructor(transport: CardTransport, options: { onTrace?: (trace: ApduTrace) => void } = {}) {
    this.transport = transport;
    this.onTrace = options.onTrace;
  }

  /** The secure channel in force, if any. */
  get secureMessaging(): SecureMessaging | undefined {
    return this.sm;
  }

  /** Install (or replace, after Chip Authentication) the secure channel. */
  setSecureMessaging(sm: SecureMessaging | undefined): void {
    this.sm = sm;
  }

  /** Send a command (protected when a channel is installed) and return the (unwrapped) response. */
  async send(command: CommandApdu, signal?: AbortSignal): Promise<ResponseApdu> {
    if (signal?.aborted === true) throw new EmrtdError('document_aborted', 'read aborted');
    const sm = this.sm;
    const wire = (sm === undefined ? command : sm.wrap(command)).encode();
    let raw: Uint8Array;
    try {
      raw = await this.transport.transmit(wire, signal === undefined ? {} : { signal });
    } catch (err) {
      sm?.kill('transport error');
      throw err;
    }
    this.counters.apdus++;
    this.counters.bytesSent += wire.length;
    this.counters.bytesReceived += raw.length;
    const response = sm === undefined ? ResponseApdu.parse(raw) : sm.unwrap(raw);
    this.onTrace?.({
      ins: command.ins,
      protected: sm !== undefined,
      commandLength: wire.length,
      responseLength: raw.length,
      sw: response.sw,
    });
    return response;
  }
}
