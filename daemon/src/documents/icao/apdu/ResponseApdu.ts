import { EmrtdError } from '../EmrtdError.js';
import { formatStatusWord } from './StatusWord.js';

/** An ISO/IEC 7816-4 response APDU: data and the two status bytes. */
export class ResponseApdu {
  readonly data: Uint8Array;
  readonly sw1: number;
  readonly sw2: number;

  constructor(data: Uint8Array, sw1: number, sw2: number) {
    this.data = data;
    this.sw1 = sw1;
    this.sw2 = sw2;
  }

  /** Parse the bytes a card returned. Rejects fewer than two bytes (`document_response_truncated`: the status word is cut off). */
  static parse(bytes: Uint8Array): ResponseApdu {
    if (bytes.length < 2) {
      throw new EmrtdError(
        'document_response_truncated',
        `response APDU has ${bytes.length} bytes, need at least the 2 status bytes`,
      );
    }
    return new ResponseApdu(
      bytes.slice(0, bytes.length - 2),
      bytes[bytes.length - 2] as number,
      bytes[bytes.length - 1] as number,
    );
  }

  /** SW1‖SW2 as one number, e.g. `0x9000`. */
  get sw(): number {
    return (this.sw1 << 8) | this.sw2;
  }

  /** True for 9000. */
  get ok(): boolean {
    return this.sw === 0x9000;
  }

  /** The encoding: data ‖ SW1 ‖ SW2. */
  encode(): Uint8Array {
    const out = new Uint8Array(this.data.length + 2);
    out.set(this.data);
    out[this.data.length] = this.sw1;
    out[this.data.length + 1] = this.sw2;
    return out;
  }

  toString(): string {
    return `ResponseApdu(${this.data.length} bytes, SW ${formatStatusWord(this.sw)})`;
  }
}
