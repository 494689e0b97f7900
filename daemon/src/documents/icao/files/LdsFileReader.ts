import { CommandApdu } from '../apdu/CommandApdu.js';
import { ProtocolError } from '../ProtocolError.js';
import { encodeTlv, parseTlv, tlvTotalLengthFromHeader } from '../tlv/BerTlv.js';
import type { SecureMessagingSender } from '../sm/SecureMessagingSender.js';

/** Progress of one file read. */
export interface FileReadProgress {
  /** e.g. `DG2`, `EF.SOD`. */
  readonly file: string;
  readonly bytesRead: number;
  /** Total file length once the header was read. */
  readonly totalBytes: number;
}

/** Read-size settings. Defaults in {@link LDS_FILE_READER_DEFAULTS}. */
export interface LdsFileReaderOptions {
  /** Use extended-length READ BINARY (only when the chip declares it). */
  readonly extendedLength?: boolean;
  /**
   * Largest extended-length response APDU the chip declares (EF.ATR/INFO), data field and status
   * word included. Each read asks for what fits in it after the secure-messaging objects.
   */
  readonly maxExtendedResponse?: number;
  /** Most data bytes per short READ BINARY, before secure-messaging caps (223 AES, 231 3DES). */
  readonly maxShortRead?: number;
  readonly onProgress?: (progress: FileReadProgress) => void;
  /**
   * Re-establish access control (BAC / PACE again, fresh session keys) after the chip closed
   * secure messaging, e.g. by answering a too-long read with an unprotected 6700 / 6Cxx. Without
   * it such a read fails with `document_protocol_error`.
   */
  readonly reauthenticate?: (signal?: AbortSignal) => Promise<void>;
}

/** Defaults of {@link LdsFileReaderOptions}. */
export const LDS_FILE_READER_DEFAULTS = {
  extendedLength: false,
  maxExtendedResponse: 0x1000,
  maxShortRead: 256,
} as const;

/** Short-read sizes to fall back to when a chip refuses a length (JMRTD's experience). */
const SHORT_STEPS = [231, 223, 160, 128, 96, 64, 32, 16] as const;
/** Largest short response APDU: 256 data-field bytes and SW1 SW2. */
const SHORT_RESPONSE_MAX = 258;

/**
 * Most data bytes one READ BINARY may ask for so that its response APDU (data field and status
 * word) fits `maxResponse` bytes. Plain: `maxResponse − 2`. Under secure messaging (`blockSize` 8
 * for 3DES, 16 for AES) the response is DO87 (87 ‖ L ‖ 01 ‖ the data padded to whole blocks,
 * at least one padding byte) ‖ DO99 (4) ‖ DO8E (10) ‖ SW (2): for a 258-byte short response this
 * gives the 223 (AES) and 231 (3DES) of ICAO 9303-11.
 */
export function maxReadData(maxResponse: number, blockSize: number | undefined): number {
  if (blockSize === undefined) return Math.max(0, maxResponse - 2);
  for (
    let padded = Math.floor(maxResponse / blockSize) * blockSize;
    padded > 0;
    padded -= blockSize
  ) {
    const value = 1 + padded; // padding-content indicator ‖ cryptogram
    const do87 = 1 + (value < 0x80 ? 1 : value < 0x100 ? 2 : value < 0x10000 ? 3 : 4) + value;
    if (do87 + 4 + 10 + 2 <= maxResponse) return padded - 1;
  }
  return 0;
}

/** Largest offset P1-P2 can address with the even READ BINARY. */
const MAX_EVEN_OFFSET = 0x7fff;
/** Most re-authentications one reader does: each follows a step down, so this bounds a chip that never settles. */
const MAX_REAUTHENTICATIONS = SHORT_STEPS.length + 4;

/**
 * Reads elementary files with the largest chunk the chip allows: extended reads when declared,
 * else short reads capped for secure messaging; steps down on 6700 / 6Cxx and remembers what
 * worked. A refusal sent outside secure messaging closes the channel: the reader then
 * re-establishes access control (`reauthenticate`) and goes on with the smaller size. Every file is read to the length its BER-TLV header declares, no more.
 */
export class LdsFileReader {
  private readonly sender: SecureMessagingSender;
  private readonly onProgress: ((progress: FileReadProgress) => void) | undefined;
  private readonly reauthenticate: ((signal?: AbortSignal) => Promise<void>) | undefined;
  private extended: boolean;
  private maxExtended: number;
  private maxShort: number;
  /** File payload bytes read so far (all files). */
  bytesRead = 0;
  /** How often access control was re-established because the chip closed secure messaging. */
  reauthentications = 0;

  constructor(sender: SecureMessagingSender, options: LdsFileReaderOptions = {}) {
    const o = { ...LDS_FILE_READER_DEFAULTS, ...options };
    if (!Number.isInteger(o.maxShortRead) || o.maxShortRead < 1 || o.maxShortRead > 256)
      throw new RangeError(`maxShortRead must be 1..256, got ${o.maxShortRead}`);
    if (
      !Number.isInteger(o.maxExtendedResponse) ||
      o.maxExtendedResponse < 1 ||
      o.maxExtendedResponse > 65538
    )
      throw new RangeError(`maxExtendedResponse must be 1..65538, got ${o.maxExtendedResponse}`);
    this.sender = sender;
    this.extended = o.extendedLength;
    this.maxExtended = o.maxExtendedResponse;
    this.maxShort = o.maxShortRead;
    this.onProgress = options.onProgress;
    this.reauthenticate = options.reauthenticate;
  }

  /** Whether extended-length reads are (still) in use. */
  get usesExtendedLength(): boolean {
    return this.extended;
  }

  private blockSize(): number | undefined {
    return this.sender.secureMessaging?.blockSize;
  }

  private shortLimit(): number {
    // a short response carries at most 256 data-field bytes plus the status word
    return Math.min(this.maxShort, maxReadData(SHORT_RESPONSE_MAX, this.blockSize()));
  }

  private extendedLimit(): number {
    return maxReadData(this.maxExtended, this.blockSize());
  }

  private chunk(): number {
    return this.extended && this.extendedLimit() > 256 ? this.extendedLimit() : this.shortLimit();
  }

  private stepDown(suggested: number | undefined): void {
    if (this.extended && this.extendedLimit() > 256) {
      this.maxExtended = Math.floor(this.maxExtended / 2);
      if (this.extendedLimit() <= 256) this.extended = false;
      return;
    }
    const current = this.shortLimit();
    if (suggested !== undefined && suggested > 0 && suggested < current) {
      this.maxShort = suggested;
      return;
    }
    const next = SHORT_STEPS.find((s) => s < current);
    if (next === undefined)
      throw new ProtocolError('document_protocol_error', {
        protocol: 'READ',
        step: 'readBinary',
        message: 'the chip refuses even 16-byte reads',
      });
    this.maxShort = next;
  }

  /** SELECT an EF by file identifier (P2 = 0C: no FCI, no Le). Returns false when the file does not exist. */
  async select(fid: number, name: string, signal?: AbortSignal): Promise<boolean> {
    const r = await this.sender.send(
      new CommandApdu({
        cla: 0,
        ins: 0xa4,
        p1: 0x02,
        p2: 0x0c,
        data: Uint8Array.of(fid >> 8, fid & 0xff),
      }),
      signal,
    );
    if (r.ok) return true;
    if (r.sw === 0x6a82) return false;
    if (r.sw === 0x6982)
      throw new ProtocolError('document_access_denied', {
        protocol: 'SELECT',
        step: `select ${name}`,
        sw: r.sw,
        message: 'security status not satisfied',
      });
    throw new ProtocolError('document_protocol_error', {
      protocol: 'SELECT',
      step: `select ${name}`,
      sw: r.sw,
    });
  }

  private async readBinary(
    offset: number,
    length: number,
    name: string,
    signal?: AbortSignal,
  ): Promise<{ data: Uint8Array; sw: number }> {
    if (offset <= MAX_EVEN_OFFSET) {
      const r = await this.sender.send(
        new CommandApdu({ cla: 0, ins: 0xb0, p1: offset >> 8, p2: offset & 0xff, ne: length }),
        signal,
      );
      return { data: r.data, sw: r.sw };
    }
    // READ BINARY with odd INS (ISO 7816-4): offset in DO54, data returned in DO53
    const offsetBytes =
      offset > 0xffff
        ? Uint8Array.of(offset >> 16, (offset >> 8) & 0xff, offset & 0xff)
        : Uint8Array.of(offset >> 8, offset & 0xff);
    const ne = Math.min(length + 4, this.extended ? 65536 : 256); // + the DO53 header
    const r = await this.sender.send(
      new CommandApdu({ cla: 0, ins: 0xb1, p1: 0, p2: 0, data: encodeTlv(0x54, offsetBytes), ne }),
      signal,
    );
    if ((r.sw !== 0x9000 && r.sw !== 0x6282) || r.data.length === 0)
      return { data: r.data, sw: r.sw };
    let do53;
    try {
      do53 = parseTlv(r.data);
    } catch (err) {
      throw new ProtocolError('document_response_malformed', {
        protocol: 'READ',
        step: `readBinaryOdd ${name}`,
        sw: r.sw,
        message: 'DO53 does not parse',
        cause: err,
      });
    }
    if (do53.tag !== 0x53)
      throw new ProtocolError('document_response_malformed', {
        protocol: 'READ',
        step: `readBinaryOdd ${name}`,
        sw: r.sw,
        message: `expected DO53, got ${do53.tag.toString(16)}`,
      });
    return { data: do53.value.slice(0, length), sw: r.sw };
  }

  /**
   * After a refused length: when the refusal came unprotected, the secure channel is dead
   * (9303-11 §9.8.6): authenticate again with fresh keys and select the file again.
   */
  private async recoverChannel(
    fid: number,
    name: string,
    sw: number,
    signal?: AbortSignal,
  ): Promise<void> {
    if (this.sender.secureMessaging?.dead !== true) return;
    if (this.reauthenticate === undefined || this.reauthentications >= MAX_REAUTHENTICATIONS) {
      throw new ProtocolError('document_protocol_error', {
        protocol: 'READ',
        step: `readBinary ${name}`,
        sw,
        message:
          'the chip refused the read length outside secure messaging, which closed the channel',
      });
    }
    this.reauthentications++;
    await this.reauthenticate(signal);
    if (!(await this.select(fid, name, signal)))
      throw new ProtocolError('document_protocol_error', {
        protocol: 'SELECT',
        step: `select ${name}`,
        message: 'the file vanished after re-authentication',
      });
  }

  /** Read `length` bytes at `offset`, stepping down the chunk size when the chip refuses. */
  private async readChunk(
    fid: number,
    offset: number,
    wanted: number,
    name: string,
    signal?: AbortSignal,
  ): Promise<Uint8Array> {
    for (;;) {
      // odd-INS reads carry the data in DO53 (and under SM in DO85): leave room for both headers
      const length = Math.min(wanted, this.chunk() - (offset > MAX_EVEN_OFFSET ? 8 : 0));
      const { data, sw } = await this.readBinary(offset, length, name, signal);
      if (sw === 0x9000 || sw === 0x6282) {
        if (data.length === 0)
          throw new ProtocolError('document_response_malformed', {
            protocol: 'READ',
            step: `readBinary ${name}`,
            sw,
            message: `no data at offset ${offset}`,
          });
        if (data.length > length)
          throw new ProtocolError('document_response_malformed', {
            protocol: 'READ',
            step: `readBinary ${name}`,
            sw,
            message: `${data.length} bytes returned for Le ${length}`,
          });
        return data;
      }
      if (sw === 0x6700) {
        this.stepDown(undefined);
        await this.recoverChannel(fid, name, sw, signal);
        continue;
      }
      if ((sw & 0xff00) === 0x6c00) {
        this.stepDown(this.extended ? undefined : (sw & 0xff) === 0 ? 256 : sw & 0xff);
        await this.recoverChannel(fid, name, sw, signal);
        continue;
      }
      if (sw === 0x6982)
        throw new ProtocolError('document_access_denied', {
          protocol: 'READ',
          step: `readBinary ${name}`,
          sw,
        });
      throw new ProtocolError('document_protocol_error', {
        protocol: 'READ',
        step: `readBinary ${name}`,
        sw,
      });
    }
  }

  /** SELECT and read a whole BER-TLV file; undefined when the file does not exist. */
  async readFile(fid: number, name: string, signal?: AbortSignal): Promise<Uint8Array | undefined> {
    if (!(await this.select(fid, name, signal))) return undefined;
    const first = await this.readChunk(fid, 0, this.chunk(), name, signal);
    const total = tlvTotalLengthFromHeader(first);
    if (total === undefined)
      throw new ProtocolError('document_response_malformed', {
        protocol: 'READ',
        step: `readBinary ${name}`,
        message: 'file header is truncated',
      });
    const out = new Uint8Array(total);
    let have = Math.min(first.length, total);
    out.set(first.subarray(0, have));
    this.bytesRead += have;
    this.onProgress?.({ file: name, bytesRead: have, totalBytes: total });
    while (have < total) {
      const data = await this.readChunk(fid, have, total - have, name, signal);
      const n = Math.min(data.length, total - have);
      out.set(data.subarray(0, n), have);
      have += n;
      this.bytesRead += n;
      this.onProgress?.({ file: name, bytesRead: have, totalBytes: total });
    }
    return out;
  }
}
