import { bytesEqual, concat, swBytes } from './bytes.js';
import type { CommandApdu } from './CommandApdu.js';
import {
  aesDecrypt,
  aesEcb,
  aesEncrypt,
  pad,
  smMac,
  tdesDecrypt,
  tdesEncrypt,
  unpad,
  type SmAlgorithm,
} from './smCrypto.js';
import { findTlv, parseTlvs, tlv, TlvParseError } from './Tlv.js';

/** Session keys and cipher of one secure-messaging channel (after BAC, PACE or CA). */
export interface SmSessionKeys {
  readonly algorithm: SmAlgorithm;
  readonly ksEnc: Uint8Array;
  readonly ksMac: Uint8Array;
  /** Initial send sequence counter: 8 bytes for 3DES, 16 for AES. */
  readonly ssc: Uint8Array;
}

/** A secure-messaging failure the card reports with a status word (6987 missing DO, 6988 bad SM). */
export class SmStatusError extends Error {
  override readonly name = 'SmStatusError';
  constructor(
    readonly sw: number,
    message: string,
  ) {
    super(message);
  }
}

function increment(counter: Uint8Array): void {
  for (let i = counter.length - 1; i >= 0; i--) {
    counter[i] = ((counter[i] ?? 0) + 1) & 0xff;
    if (counter[i] !== 0) return;
  }
}

/**
 * The card's half of ICAO 9303-11 §9.8 secure messaging: unwraps protected command APDUs
 * (checking the MAC over SSC ‖ padded header ‖ DO'87'/DO'85' ‖ DO'97') and wraps responses
 * as DO'87' ‖ DO'99' ‖ DO'8E'. The SSC is incremented once per command and once per response.
 */
export class CardSecureMessaging {
  readonly algorithm: SmAlgorithm;
  readonly #ksEnc: Uint8Array;
  readonly #ksMac: Uint8Array;
  readonly #ssc: Uint8Array;
  readonly #blockSize: number;

  constructor(keys: SmSessionKeys) {
    this.algorithm = keys.algorithm;
    this.#ksEnc = Uint8Array.from(keys.ksEnc);
    this.#ksMac = Uint8Array.from(keys.ksMac);
    this.#ssc = Uint8Array.from(keys.ssc);
    this.#blockSize = keys.algorithm === 'AES' ? 16 : 8;
    const expected = keys.algorithm === 'AES' ? 16 : 8;
    if (keys.ssc.length !== expected)
      throw new RangeError(`SSC for ${keys.algorithm} must be ${expected} bytes`);
  }

  /** A copy of the current send sequence counter (for tests). */
  get ssc(): Uint8Array {
    return Uint8Array.from(this.#ssc);
  }

  #encrypt(plain: Uint8Array): Uint8Array {
    if (this.algorithm === '3DES') return tdesEncrypt(this.#ksEnc, plain);
    return aesEncrypt(this.#ksEnc, plain, aesEcb(this.#ksEnc, this.#ssc));
  }

  #decrypt(cipher: Uint8Array): Uint8Array {
    if (this.algorithm === '3DES') return tdesDecrypt(this.#ksEnc, cipher);
    return aesDecrypt(this.#ksEnc, cipher, aesEcb(this.#ksEnc, this.#ssc));
  }

  #mac(input: Uint8Array): Uint8Array {
    return smMac(this.algorithm, this.#ksMac, pad(concat(this.#ssc, input), this.#blockSize));
  }

  /**
   * Verifies and decrypts a protected command. Throws {@link SmStatusError} 6987 when the SM data
   * objects are missing or malformed and 6988 when the MAC or the padding is wrong.
   */
  unwrapCommand(command: CommandApdu): CommandApdu {
    if ((command.cla & 0x0c) !== 0x0c)
      throw new SmStatusError(0x6987, 'command is not protected (CLA lacks 0C)');
    let objects;
    try {
      objects = parseTlvs(command.data);
    } catch (error) {
      if (error instanceof TlvParseError)
        throw new SmStatusError(0x6988, `SM data objects malformed: ${error.message}`);
      throw error;
    }
    increment(this.#ssc);
    const do8e = findTlv(objects, 0x8e);
    if (do8e === undefined) throw new SmStatusError(0x6987, 'DO 8E (MAC) missing');
    let macInput = pad(
      Uint8Array.of(command.cla, command.ins, command.p1, command.p2),
      this.#blockSize,
    );
    let dataObject: Uint8Array = new Uint8Array(0);
    let le: number | undefined;
    let le97: Uint8Array = new Uint8Array(0);
    for (const o of objects) {
      if (o.tag === 0x87 || o.tag === 0x85) dataObject = tlv(o.tag, o.value);
      if (o.tag === 0x97) {
        le97 = tlv(0x97, o.value);
        if (o.value.length === 0 || o.value.length > 2)
          throw new SmStatusError(0x6988, 'DO 97 must hold 1 or 2 bytes');
        const raw =
          o.value.length === 1 ? (o.value[0] ?? 0) : ((o.value[0] ?? 0) << 8) | (o.value[1] ?? 0);
        le = raw === 0 ? (o.value.length === 1 ? 256 : 65536) : raw;
      }
    }
    macInput = concat(macInput, dataObject, le97);
    if (!bytesEqual(this.#mac(macInput), do8e))
      throw new SmStatusError(0x6988, 'command MAC does not verify');
    let data: Uint8Array = new Uint8Array(0);
    const do87 = findTlv(objects, 0x87);
    const do85 = findTlv(objects, 0x85);
    if (do87 !== undefined) {
      if (
        do87[0] !== 0x01 ||
        (do87.length - 1) % this.#blockSize !== 0 ||
        do87.length < 1 + this.#blockSize
      ) {
        throw new SmStatusError(0x6988, 'DO 87 padding indicator or length wrong');
      }
      const plain = unpad(this.#decrypt(do87.subarray(1)));
      if (plain === undefined) throw new SmStatusError(0x6988, 'DO 87 padding wrong');
      data = plain;
    } else if (do85 !== undefined) {
      if (do85.length % this.#blockSize !== 0 || do85.length === 0)
        throw new SmStatusError(0x6988, 'DO 85 length wrong');
      const plain = unpad(this.#decrypt(do85));
      if (plain === undefined) throw new SmStatusError(0x6988, 'DO 85 padding wrong');
      data = plain;
    }
    return {
      cla: command.cla & ~0x0c & 0xff,
      ins: command.ins,
      p1: command.p1,
      p2: command.p2,
      data,
      le,
      extended: command.extended,
    };
  }

  /**
   * Wraps a response: DO'87' (encrypted data, if any) ‖ DO'99' (status) ‖ DO'8E' (MAC), followed
   * by the plain status word 9000 (or `sw` itself for errors that are sent unprotected).
   * `corruptMac` flips a MAC bit (the `wrongMac` fault).
   */
  wrapResponse(data: Uint8Array, sw: number, corruptMac = false): Uint8Array {
    increment(this.#ssc);
    const do87 =
      data.length > 0
        ? tlv(0x87, Uint8Array.of(0x01), this.#encrypt(pad(data, this.#blockSize)))
        : new Uint8Array(0);
    const do99 = tlv(0x99, swBytes(sw));
    const mac = this.#mac(concat(do87, do99));
    if (corruptMac) mac[0] = (mac[0] ?? 0) ^ 0x01;
    return concat(do87, do99, tlv(0x8e, mac), swBytes(sw));
  }
}
