import type {
  CardTransport,
  TransmitOptions,
} from '../../documents/icao/transport/CardTransport.js';
import { concat as join } from '../../documents/icao/bytes.js';
import { EmrtdError } from '../../documents/icao/EmrtdError.js';

/** The part of a pcsclite `CardReader` the transport uses (injectable for tests). */
export interface PcscTransmitter {
  transmit(
    data: Buffer,
    resLen: number,
    protocol: number,
    cb: (err: unknown, response: Buffer) => void,
  ): void;
}

/** PC/SC error codes that mean the card left (or was reset). */
const CARD_GONE = [
  0x80100069 /* SCARD_W_REMOVED_CARD */, 0x80100068 /* SCARD_W_RESET_CARD */,
  0x8010000c /* SCARD_E_NO_SMARTCARD */, 0x80100066 /* SCARD_W_UNRESPONSIVE_CARD */,
];

/** How long a failed transmission waits for pcscd to report the card gone before calling it a transmission failure. */
const CARD_GONE_WAIT_MS = 2000;

/** Whether `signal` has been aborted (a function so TypeScript does not narrow it across awaits). */
function aborted(signal: AbortSignal | undefined): boolean {
  return signal?.aborted === true;
}

/**
 * `command` with its Le field set to `le` (1..65536), keeping the command's length form (short
 * or extended, ISO/IEC 7816-3 §12.1.3) and its data; a command without Le gains one. Undefined
 * when the bytes are not a well-formed command APDU.
 */
export function withLe(command: Uint8Array, le: number): Uint8Array | undefined {
  if (command.length < 4 || !Number.isInteger(le) || le < 1 || le > 65536) return undefined;
  const header = command.subarray(0, 4);
  const body = command.subarray(4);
  const shortLe = Uint8Array.of(le === 256 ? 0 : le);
  const extendedLe = Uint8Array.of((le >> 8) & 0xff, le & 0xff); // 65536 → 00 00
  if (body.length <= 1)
    // case 1 (no body) or 2S (only an Le): the new Le replaces it
    return le > 256 ? join(header, Uint8Array.of(0), extendedLe) : join(header, shortLe);
  if (body[0] === 0 && body.length >= 3) {
    if (body.length === 3) return join(header, Uint8Array.of(0), extendedLe); // case 2E
    const lc = ((body[1] as number) << 8) | (body[2] as number);
    if (lc > 0 && body.length === 3 + lc) return join(command, extendedLe); // case 3E
    if (lc > 0 && body.length === 3 + lc + 2)
      return join(command.subarray(0, command.length - 2), extendedLe); // case 4E
  }
  const lc = body[0] as number;
  if (lc === 0) return undefined;
  if (le > 256) return undefined; // a short command cannot carry a longer Le
  if (body.length === 1 + lc) return join(command, shortLe); // case 3S
  if (body.length === 2 + lc) return join(command.subarray(0, command.length - 1), shortLe); // case 4S
  return undefined;
}

/** Map a pcsclite error to the document error codes. */
export function mapPcscError(err: unknown, step: string): EmrtdError {
  const message = err instanceof Error ? err.message : String(err);
  const m = /0x([0-9a-f]{8})/i.exec(message);
  const code = m === null ? undefined : Number.parseInt(m[1] as string, 16);
  const gone =
    (code !== undefined && CARD_GONE.includes(code)) ||
    /removed|reset|no smart ?card|unresponsive/i.test(message);
  return new EmrtdError(
    gone ? 'document_card_removed' : 'document_transmission_failed',
    `PC/SC ${step}: ${message}`,
    { cause: err },
  );
}

/**
 * A {@link CardTransport} over one connected PC/SC card. Handles the T=0 transport details so
 * callers only see complete responses: `61xx` → GET RESPONSE (repeated, data appended), `6Cxx`
 * → the command re-sent with Le = xx. Card removal is `document_card_removed`, also when pcscd
 * words it as a plain transmit failure (the reader's card state decides).
 */
export class PcscCardTransport implements CardTransport {
  readonly extendedLengthSupported: boolean;
  private readonly reader: PcscTransmitter;
  private readonly protocol: number;
  private readonly cardGone: ((timeoutMs: number) => Promise<boolean>) | undefined;
  private queue: Promise<unknown> = Promise.resolve();

  /**
   * `cardGone` asks the reader whether the card has left (waiting up to `timeoutMs` for pcscd to
   * notice): a transmission that fails because the card was pulled is then reported as
   * `document_card_removed` however pcscd worded the failure.
   */
  constructor(
    reader: PcscTransmitter,
    protocol: number,
    options: { extendedLength: boolean; cardGone?: (timeoutMs: number) => Promise<boolean> },
  ) {
    this.reader = reader;
    this.protocol = protocol;
    this.extendedLengthSupported = options.extendedLength;
    this.cardGone = options.cardGone;
  }

  /** One command and its response, which must at least carry a status word. */
  private async exchange(command: Uint8Array): Promise<Uint8Array> {
    const response = await this.raw(command);
    // an empty answer: the contactless card went mute (vpcd reports a removed card this way)
    if (response.length === 0)
      throw new EmrtdError(
        'document_card_removed',
        'the card did not answer (0 bytes): it left the field',
      );
    if (response.length < 2)
      throw new EmrtdError(
        'document_response_truncated',
        `PC/SC returned ${response.length} byte: the status word is cut off`,
      );
    return response;
  }

  private async raw(command: Uint8Array): Promise<Uint8Array> {
    const resLen = command.length > 5 + 255 || this.extendedLengthSupported ? 65538 : 258;
    try {
      return await new Promise<Uint8Array>((resolve, reject) => {
        this.reader.transmit(Buffer.from(command), resLen, this.protocol, (err, response) => {
          if (err !== null && err !== undefined) reject(mapPcscError(err, 'transmit'));
          else resolve(new Uint8Array(response));
        });
      });
    } catch (err) {
      // a pulled card often surfaces as a generic transmit failure before pcscd reports it
      // gone: look at the reader before choosing the code
      if (
        err instanceof EmrtdError &&
        err.code === 'document_transmission_failed' &&
        this.cardGone !== undefined &&
        (await this.cardGone(CARD_GONE_WAIT_MS))
      ) {
        throw new EmrtdError('document_card_removed', `the card left the field (${err.message})`, {
          cause: err,
        });
      }
      throw err;
    }
  }

  async transmit(command: Uint8Array, opts: TransmitOptions = {}): Promise<Uint8Array> {
    const run = async (): Promise<Uint8Array> => {
      if (aborted(opts.signal)) throw new EmrtdError('document_aborted', 'read aborted');
      if (command.length < 4) throw new TypeError('command APDU shorter than 4 bytes');
      let response = await this.exchange(command);
      let sw1 = response[response.length - 2] as number;
      let sw2 = response[response.length - 1] as number;
      // Wrong Le: re-send the same command with Le = SW2 (00 = 256), in its own length form.
      // Not a secure-messaging command (CLA bits 0C): its Le sits inside the MAC'd body, and the
      // chip has closed the channel anyway; the reader above steps down and re-authenticates.
      const secureMessaging = ((command[0] as number) & 0x0c) === 0x0c;
      if (sw1 === 0x6c && !secureMessaging) {
        const resent = withLe(command, sw2 === 0 ? 256 : sw2);
        if (resent !== undefined) {
          response = await this.exchange(resent);
          sw1 = response[response.length - 2] as number;
          sw2 = response[response.length - 1] as number;
        }
      }
      let data = response.subarray(0, response.length - 2);
      let guard = 0;
      while (sw1 === 0x61) {
        if (++guard > 256)
          throw new EmrtdError('document_response_malformed', 'endless 61xx chain');
        if (aborted(opts.signal)) throw new EmrtdError('document_aborted', 'read aborted');
        const more = await this.exchange(
          Uint8Array.of((command[0] as number) & 0x03, 0xc0, 0x00, 0x00, sw2),
        );
        const joined = new Uint8Array(data.length + more.length - 2);
        joined.set(data);
        joined.set(more.subarray(0, more.length - 2), data.length);
        data = joined;
        sw1 = more[more.length - 2] as number;
        sw2 = more[more.length - 1] as number;
      }
      if (aborted(opts.signal)) throw new EmrtdError('document_aborted', 'read aborted');
      const out = new Uint8Array(data.length + 2);
      out.set(data);
      out[data.length] = sw1;
      out[data.length + 1] = sw2;
      return out;
    };
    // one exchange at a time on a card
    const next = this.queue.then(run, run);
    this.queue = next.catch(() => undefined);
    return next;
  }
}
