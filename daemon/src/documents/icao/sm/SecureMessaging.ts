import { CommandApdu } from '../apdu/CommandApdu.js';
import { ResponseApdu } from '../apdu/ResponseApdu.js';
import { EmrtdError } from '../EmrtdError.js';
import { ProtocolError } from '../ProtocolError.js';
import { bytesEqual, concat } from '../bytes.js';
import { aesCbc, aesEcb, tdesCbc } from '../crypto/blockCiphers.js';
import { retailMac } from '../crypto/retailMac.js';
import { aesCmac } from '../crypto/aesCmac.js';
import { padIso9797, unpadIso9797 } from '../crypto/padding.js';
import type { SmCipherName } from '../crypto/kdf.js';
import { encodeTlv, isTruncatedTlv, parseTlvList } from '../tlv/BerTlv.js';

/** Session keys and the initial send sequence counter of one secure channel. */
export interface SecureMessagingKeys {
  readonly cipher: SmCipherName;
  readonly ksEnc: Uint8Array;
  readonly ksMac: Uint8Array;
  /** 8 bytes for 3DES, 16 for AES. */
  readonly ssc: Uint8Array;
}

/**
 * ICAO 9303-11 §9.8 secure messaging (3DES and AES): wraps command APDUs (DO87/DO97/DO8E) and
 * unwraps responses (DO87/DO99/DO8E), incrementing the send sequence counter (SSC) for each.
 * Every response MAC is verified; after any error the channel is dead and refuses to work.
 */
export class SecureMessaging {
  readonly cipher: SmCipherName;
  private readonly ksEnc: Uint8Array;
  private readonly ksMac: Uint8Array;
  private readonly sscBytes: Uint8Array;
  private deadReason: string | undefined;

  constructor(keys: SecureMessagingKeys) {
    const block = keys.cipher === '3DES' ? 8 : 16;
    if (keys.ssc.length !== block)
      throw new RangeError(`SSC must be ${block} bytes for ${keys.cipher}, got ${keys.ssc.length}`);
    if (keys.cipher === '3DES' && (keys.ksEnc.length !== 16 || keys.ksMac.length !== 16))
      throw new RangeError('3DES session keys must be 16 bytes');
    this.cipher = keys.cipher;
    this.ksEnc = Uint8Array.from(keys.ksEnc);
    this.ksMac = Uint8Array.from(keys.ksMac);
    this.sscBytes = Uint8Array.from(keys.ssc);
  }

  /** Cipher block size: 8 (3DES) or 16 (AES). */
  get blockSize(): number {
    return this.cipher === '3DES' ? 8 : 16;
  }

  /** The current SSC (a copy). */
  get ssc(): Uint8Array {
    return Uint8Array.from(this.sscBytes);
  }

  /** True after any SM error: the card must be re-authenticated. */
  get dead(): boolean {
    return this.deadReason !== undefined;
  }

  /** Mark the channel dead (e.g. after a transport error left the SSC unknown). */
  kill(reason: string): void {
    this.deadReason ??= reason;
    this.ksEnc.fill(0);
    this.ksMac.fill(0);
  }

  private incrementSsc(): void {
    for (let i = this.sscBytes.length - 1; i >= 0; i--) {
      const v = ((this.sscBytes[i] as number) + 1) & 0xff;
      this.sscBytes[i] = v;
      if (v !== 0) break;
    }
  }

  private iv(): Uint8Array {
    return this.cipher === '3DES' ? new Uint8Array(8) : aesEcb(this.ksEnc, this.sscBytes, true);
  }

  private crypt(data: Uint8Array, encrypt: boolean): Uint8Array {
    return this.cipher === '3DES'
      ? tdesCbc(this.ksEnc, this.iv(), data, encrypt)
      : aesCbc(this.ksEnc, this.iv(), data, encrypt);
  }

  /** MAC (8 bytes) over pad(SSC ‖ input). */
  private mac(input: Uint8Array): Uint8Array {
    const n = padIso9797(concat(this.sscBytes, input), this.blockSize);
    return this.cipher === '3DES' ? retailMac(this.ksMac, n) : aesCmac(this.ksMac, n).slice(0, 8);
  }

  private assertAlive(): void {
    if (this.deadReason !== undefined) {
      throw new ProtocolError('document_protocol_error', {
        protocol: 'SM',
        step: 'send',
        message: `secure channel is closed after an earlier error (${this.deadReason})`,
      });
    }
  }

  /** Wrap a plain command APDU into its protected form (increments the SSC). */
  wrap(command: CommandApdu): CommandApdu {
    this.assertAlive();
    if ((command.cla & 0x0c) !== 0) throw new TypeError('command is already protected');
    this.incrementSsc();
    const header = Uint8Array.of(command.cla | 0x0c, command.ins, command.p1, command.p2);
    // even INS: DO87 (padding indicator ‖ cryptogram); odd INS (BER-TLV data): DO85 (cryptogram only)
    const odd = (command.ins & 1) === 1;
    const cryptogram =
      command.data.length > 0
        ? this.crypt(padIso9797(command.data, this.blockSize), true)
        : undefined;
    const do87 =
      cryptogram === undefined
        ? new Uint8Array(0)
        : odd
          ? encodeTlv(0x85, cryptogram)
          : encodeTlv(0x87, concat(Uint8Array.of(0x01), cryptogram));
    let do97: Uint8Array = new Uint8Array(0);
    if (command.ne !== undefined) {
      do97 =
        command.ne > 256
          ? encodeTlv(
              0x97,
              Uint8Array.of(command.ne === 65536 ? 0 : command.ne >> 8, command.ne & 0xff),
            )
          : encodeTlv(0x97, Uint8Array.of(command.ne === 256 ? 0 : command.ne));
    }
    const cc = this.mac(concat(padIso9797(header, this.blockSize), do87, do97));
    const data = concat(do87, do97, encodeTlv(0x8e, cc));
    const extended = command.isExtended || data.length > 255;
    return new CommandApdu({
      cla: header[0] as number,
      ins: command.ins,
      p1: command.p1,
      p2: command.p2,
      data,
      ne: extended ? 65536 : 256,
    });
  }

  /**
   * Unwrap a protected response (increments the SSC). A response that is a bare status word is
   * returned as is (the chip reports an error outside SM) and kills the channel; a bare 9000 is
   * rejected. A bad or missing MAC rejects with `document_mac_invalid`; a response that ends inside
   * a data object with `document_response_truncated`.
   */
  unwrap(bytes: Uint8Array): ResponseApdu {
    this.assertAlive();
    this.incrementSsc();
    try {
      const plain = ResponseApdu.parse(bytes);
      if (plain.data.length === 0) {
        this.kill(`unprotected status ${plain.sw.toString(16)}`);
        if (plain.sw === 0x9000 || plain.sw === 0x6987 || plain.sw === 0x6988) {
          throw new ProtocolError('document_mac_invalid', {
            protocol: 'SM',
            step: 'unwrapResponse',
            sw: plain.sw,
            message: 'response lacks its secure-messaging MAC',
          });
        }
        return plain;
      }
      let objects;
      try {
        objects = parseTlvList(plain.data);
      } catch (err) {
        if (!isTruncatedTlv(err)) throw err;
        throw new ProtocolError('document_response_truncated', {
          protocol: 'SM',
          step: 'unwrapResponse',
          sw: plain.sw,
          message: 'the protected response ends inside a data object (cut short)',
          cause: err,
        });
      }
      const macIndex = objects.findIndex((o) => o.tag === 0x8e);
      if (macIndex !== objects.length - 1 || objects[macIndex]?.value.length !== 8) {
        throw new ProtocolError('document_mac_invalid', {
          protocol: 'SM',
          step: 'unwrapResponse',
          sw: plain.sw,
          message: 'DO8E missing, misplaced or not 8 bytes',
        });
      }
      const macLength = (objects[macIndex] as { totalLength: number }).totalLength;
      const macInput = plain.data.subarray(0, plain.data.length - macLength);
      const expected = this.mac(macInput);
      if (!bytesEqual(expected, (objects[macIndex] as { value: Uint8Array }).value)) {
        throw new ProtocolError('document_mac_invalid', {
          protocol: 'SM',
          step: 'verifyResponseMac',
          sw: plain.sw,
          message: 'response MAC does not verify',
        });
      }
      let data: Uint8Array = new Uint8Array(0);
      let sw: number | undefined;
      for (const o of objects.slice(0, macIndex)) {
        if (o.tag === 0x87) {
          if (
            o.value.length < 1 + this.blockSize ||
            o.value[0] !== 0x01 ||
            (o.value.length - 1) % this.blockSize !== 0
          ) {
            throw new EmrtdError(
              'document_response_malformed',
              'secure messaging: DO87 has a bad padding indicator or length',
            );
          }
          data = unpadIso9797(this.crypt(o.value.subarray(1), false));
        } else if (o.tag === 0x85) {
          if (o.value.length < this.blockSize || o.value.length % this.blockSize !== 0)
            throw new EmrtdError(
              'document_response_malformed',
              'secure messaging: DO85 is not whole blocks',
            );
          data = unpadIso9797(this.crypt(o.value, false));
        } else if (o.tag === 0x99) {
          if (o.value.length !== 2)
            throw new EmrtdError(
              'document_response_malformed',
              'secure messaging: DO99 is not 2 bytes',
            );
          sw = ((o.value[0] as number) << 8) | (o.value[1] as number);
        } else {
          throw new EmrtdError(
            'document_response_malformed',
            `secure messaging: unexpected data object ${o.tag.toString(16)}`,
          );
        }
      }
      if (sw === undefined)
        throw new EmrtdError(
          'document_response_malformed',
          'secure messaging: DO99 (status) missing',
        );
      return new ResponseApdu(data, sw >> 8, sw & 0xff);
    } catch (err) {
      this.kill(err instanceof Error ? err.message : 'unwrap failed');
      throw err;
    }
  }
}
