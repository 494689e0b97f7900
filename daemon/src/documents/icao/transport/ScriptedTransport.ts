import { EmrtdError } from '../EmrtdError.js';
import { toHex } from '../bytes.js';
import type { CardTransport, TransmitOptions } from './CardTransport.js';

/** One expected exchange: the command (hex, or a predicate) and the canned response (hex). */
export interface ScriptedExchange {
  readonly command: string | ((command: Uint8Array) => boolean);
  readonly response: string | ((command: Uint8Array) => Uint8Array) | Error;
}

/**
 * A transport for tests: it expects exactly the listed commands in order and answers each with
 * its canned response. An unexpected command rejects with `document_transmission_failed` and a
 * message showing both APDUs.
 */
export class ScriptedTransport implements CardTransport {
  readonly extendedLengthSupported: boolean;
  /** Every command received, as upper-case hex. */
  readonly log: string[] = [];
  private readonly script: ScriptedExchange[];

  constructor(
    script: readonly ScriptedExchange[],
    options: { extendedLengthSupported?: boolean } = {},
  ) {
    this.script = [...script];
    this.extendedLengthSupported = options.extendedLengthSupported ?? false;
  }

  /** Exchanges not yet consumed. */
  get remaining(): number {
    return this.script.length;
  }

  async transmit(command: Uint8Array, opts: TransmitOptions = {}): Promise<Uint8Array> {
    if (opts.signal?.aborted === true) throw new EmrtdError('document_aborted', 'read aborted');
    const got = toHex(command);
    this.log.push(got);
    const next = this.script.shift();
    if (next === undefined)
      throw new EmrtdError(
        'document_transmission_failed',
        `ScriptedTransport: unexpected command ${got} after end of script`,
      );
    const matches =
      typeof next.command === 'string'
        ? next.command.replace(/\s+/g, '').toUpperCase() === got
        : next.command(command);
    if (!matches) {
      throw new EmrtdError(
        'document_transmission_failed',
        `ScriptedTransport: expected ${typeof next.command === 'string' ? next.command : '<predicate>'}, got ${got}`,
      );
    }
    if (next.response instanceof Error) throw next.response;
    if (typeof next.response === 'function') return next.response(command);
    return Uint8Array.from(Buffer.from(next.response.replace(/\s+/g, ''), 'hex'));
  }
}
