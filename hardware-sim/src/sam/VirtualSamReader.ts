import { randomBytes } from 'node:crypto';
import { encodeResidentIdText } from './encodeResidentIdText.js';
import { SIM_DEFAULT_RESIDENT, type SimResidentIdHolder } from './SimResidentIdHolder.js';
import { SIM_DEFAULT_PORTRAIT_JPEG, SimulatedWltDecoder } from './SimulatedWltDecoder.js';
import { SimSamCommandParser, encodeSimSamResponse, type SimSamCommand } from './samSimFrames.js';

/** The SAM commands the virtual reader answers, by the daemon's step names. */
export type SimSamStep =
  | 'resetSam'
  | 'getSamStatus'
  | 'readSamId'
  | 'findCard'
  | 'selectCard'
  | 'readBaseInfo'
  | 'readAppendedAddress'
  | 'other';

/**
 * Faults the virtual reader injects, like real readers fail. They stay in force until
 * {@link VirtualSamReader.clearFaults}; `command` picks the command a transport fault hits
 * (default `readBaseInfo`).
 */
export type SimSamFault =
  /** The card leaves the field during 读基本信息: the SAM answers 41 and the card is gone. */
  | { readonly kind: 'card-removed-mid-read' }
  /** The response's checksum byte is wrong. */
  | { readonly kind: 'bad-checksum'; readonly command?: SimSamStep }
  /** Only the first half of the response is sent, then nothing. */
  | { readonly kind: 'truncated-frame'; readonly command?: SimSamStep }
  /** The response's LEN field is corrupted (FF FF). */
  | { readonly kind: 'wrong-length'; readonly command?: SimSamStep }
  /** The SAM module fails its self-test: reset and status answer 60. */
  | { readonly kind: 'sam-self-test-failure' }
  /** SAM/card mutual authentication or data verification fails on read: 31, 32 or 33. */
  | { readonly kind: 'card-auth-failure'; readonly sw3: 0x31 | 0x32 | 0x33 }
  /** Reading fails (41) while the card stays in the field. */
  | { readonly kind: 'read-failure' }
  /** The response is delayed. */
  | { readonly kind: 'slow'; readonly delayMs: number; readonly command?: SimSamStep }
  /** Line noise (bytes without a preamble) precedes every response. */
  | { readonly kind: 'garbage'; readonly bytes?: number };

/** A card to place on the virtual reader. */
export interface SimSamCard {
  /** The holder; default the DOCUMENTS.md synthetic person. */
  readonly holder?: SimResidentIdHolder;
  /** The portrait the simulated WLT decoder returns; default a placeholder JPEG. */
  readonly photoJpeg?: Uint8Array;
  /** 追加住址 records (each ≤ 35 characters). */
  readonly appendedAddresses?: readonly string[];
}

/** Options of {@link VirtualSamReader}. */
export interface VirtualSamReaderOptions {
  /** A card placed from the start. */
  readonly card?: SimSamCard;
  /** The SAM's 16-byte management information (default: a fixed test SAM id). */
  readonly samId?: Uint8Array;
}

interface LoadedCard {
  readonly text: Uint8Array;
  readonly wlt: Uint8Array;
  readonly appended: Uint8Array;
}

type CardState = 'absent' | 'present' | 'found' | 'selected' | 'spent';

/** 05.01-20101126-0000000042-0123456789 in the SAM's little-endian layout. */
const DEFAULT_SAM_ID = (() => {
  const b = Buffer.alloc(16);
  b.writeUInt16LE(5, 0);
  b.writeUInt16LE(1, 2);
  b.writeUInt32LE(20101126, 4);
  b.writeUInt32LE(42, 8);
  b.writeUInt32LE(123456789, 12);
  return new Uint8Array(b);
})();

/**
 * A virtual second-generation ID card reader: a SAM that speaks the real frame protocol (GA 467
 * family) byte for byte, a card slot, and fault injection. It is transport-free: feed the host's
 * bytes to {@link receive} and attach an output with {@link attach}; {@link startSamPty} puts it
 * on a real pseudo-terminal so the daemon opens a device path like a USB-serial reader.
 *
 * Behaves like the real one where callers trip: find-card fails (80) after a successful read until
 * the card leaves the field and comes back; select needs a found card (81); reading needs a
 * selected card (41).
 *
 * @example
 * ```ts
 * const reader = new VirtualSamReader({ card: { holder } });
 * const pty = await startSamPty(reader);            // pty.path → open it with SerialSamTransport
 * reader.injectFault({ kind: 'card-auth-failure', sw3: 0x32 });
 * ```
 */
export class VirtualSamReader {
  /** The simulator's stand-in for the vendor's licensed WLT decoder; knows every inserted card's photo. */
  readonly wltDecoder = new SimulatedWltDecoder();
  private readonly parser = new SimSamCommandParser();
  private readonly samId: Uint8Array;
  private output: ((bytes: Uint8Array) => void) | undefined;
  private card: LoadedCard | undefined;
  private state: CardState = 'absent';
  private faults: SimSamFault[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly log: SimSamStep[] = [];
  private readonly listeners = new Set<(step: SimSamStep) => void>();

  constructor(options: VirtualSamReaderOptions = {}) {
    this.samId = options.samId ?? DEFAULT_SAM_ID;
    if (this.samId.length !== 16) throw new RangeError('samId must be 16 bytes');
    if (options.card !== undefined) this.insertCard(options.card);
  }

  /** Places a card in the field (replacing any other). */
  insertCard(card: SimSamCard = {}): void {
    const text = encodeResidentIdText(card.holder ?? SIM_DEFAULT_RESIDENT);
    const wlt = this.wltDecoder.register(card.photoJpeg ?? SIM_DEFAULT_PORTRAIT_JPEG);
    const appended = new Uint8Array(70 * (card.appendedAddresses?.length ?? 0));
    card.appendedAddresses?.forEach((address, i) => {
      if (address.length > 35)
        throw new RangeError('an appended address has at most 35 characters');
      const record = Buffer.from(address.padEnd(35, ' '), 'utf16le');
      appended.set(record, i * 70);
    });
    this.card = { text, wlt, appended };
    this.state = 'present';
  }

  /** Takes the card out of the field. */
  removeCard(): void {
    this.card = undefined;
    this.state = 'absent';
  }

  /** True while a card is in the field. */
  get cardPresent(): boolean {
    return this.card !== undefined;
  }

  /** Adds a fault (in force until {@link clearFaults}). */
  injectFault(fault: SimSamFault): void {
    this.faults.push(fault);
  }

  /** Removes all faults. */
  clearFaults(): void {
    this.faults = [];
  }

  /** The commands answered so far, in order. */
  get commandLog(): readonly SimSamStep[] {
    return this.log;
  }

  /** Calls `listener` with every command the reader receives; returns the unsubscribe function. */
  onCommand(listener: (step: SimSamStep) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Connects the reader's output (towards the host); returns the detach function. */
  attach(output: (bytes: Uint8Array) => void): () => void {
    this.output = output;
    return () => {
      if (this.output === output) this.output = undefined;
    };
  }

  /** Feeds bytes from the host. */
  receive(chunk: Uint8Array): void {
    for (const item of this.parser.push(chunk)) {
      if ('fault' in item) this.send('other', encodeSimSamResponse(item.fault));
      else this.answer(item.command);
    }
  }

  /** Cancels pending (delayed) responses. */
  stop(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  private answer(command: SimSamCommand): void {
    const step = stepOf(command);
    this.log.push(step);
    for (const l of this.listeners) l(step);
    const selfTestFailed = this.faults.some((f) => f.kind === 'sam-self-test-failure');
    switch (step) {
      case 'resetSam':
      case 'getSamStatus':
        this.send(step, encodeSimSamResponse(selfTestFailed ? 0x60 : 0x90));
        return;
      case 'readSamId':
        this.send(
          step,
          selfTestFailed ? encodeSimSamResponse(0x60) : encodeSimSamResponse(0x90, this.samId),
        );
        return;
      case 'findCard':
        if (this.card !== undefined && this.state !== 'spent') {
          this.state = 'found';
          this.send(step, encodeSimSamResponse(0x9f, new Uint8Array(4)));
        } else {
          this.send(step, encodeSimSamResponse(0x80));
        }
        return;
      case 'selectCard':
        if (this.card !== undefined && (this.state === 'found' || this.state === 'selected')) {
          this.state = 'selected';
          this.send(step, encodeSimSamResponse(0x90, new Uint8Array(8)));
        } else {
          this.send(step, encodeSimSamResponse(0x81));
        }
        return;
      case 'readBaseInfo':
        this.readBaseInfo(command.para === 0x10);
        return;
      case 'readAppendedAddress':
        if (this.card === undefined || (this.state !== 'selected' && this.state !== 'spent'))
          this.send(step, encodeSimSamResponse(0x41));
        else if (this.card.appended.length === 0) this.send(step, encodeSimSamResponse(0x91));
        else this.send(step, encodeSimSamResponse(0x90, this.card.appended));
        return;
      case 'other':
        this.send(step, encodeSimSamResponse(command.cmd === 0x61 ? 0x90 : 0x21));
        return;
    }
  }

  private readBaseInfo(withFingerprint: boolean): void {
    const step: SimSamStep = 'readBaseInfo';
    if (this.card === undefined || this.state !== 'selected') {
      this.send(step, encodeSimSamResponse(0x41));
      return;
    }
    if (this.faults.some((f) => f.kind === 'card-removed-mid-read')) {
      this.removeCard();
      this.send(step, encodeSimSamResponse(0x41));
      return;
    }
    const auth = this.faults.find((f) => f.kind === 'card-auth-failure');
    if (auth !== undefined && auth.kind === 'card-auth-failure') {
      this.send(step, encodeSimSamResponse(auth.sw3));
      return;
    }
    if (this.faults.some((f) => f.kind === 'read-failure')) {
      this.send(step, encodeSimSamResponse(0x41));
      return;
    }
    const { text, wlt } = this.card;
    const words = withFingerprint ? 6 : 4;
    const data = new Uint8Array(words + text.length + wlt.length);
    data.set([text.length >> 8, text.length & 0xff, wlt.length >> 8, wlt.length & 0xff], 0);
    data.set(text, words);
    data.set(wlt, words + text.length);
    this.state = 'spent';
    this.send(step, encodeSimSamResponse(0x90, data));
  }

  private send(step: SimSamStep, frame: Uint8Array): void {
    let bytes = frame;
    let delayMs = 0;
    for (const f of this.faults) {
      const target = 'command' in f && f.command !== undefined ? f.command : 'readBaseInfo';
      switch (f.kind) {
        case 'bad-checksum':
          if (target === step) {
            bytes = bytes.slice();
            bytes[bytes.length - 1]! ^= 0x5a;
          }
          break;
        case 'truncated-frame':
          if (target === step) bytes = bytes.slice(0, Math.max(8, bytes.length >> 1));
          break;
        case 'wrong-length':
          if (target === step) {
            bytes = bytes.slice();
            bytes[5] = 0xff;
            bytes[6] = 0xff;
          }
          break;
        case 'slow':
          if (target === step) delayMs = Math.max(delayMs, f.delayMs);
          break;
        case 'garbage': {
          const noise = randomBytes(f.bytes ?? 16).map((b) => (b === 0xaa ? 0x55 : b));
          const merged = new Uint8Array(noise.length + bytes.length);
          merged.set(noise, 0);
          merged.set(bytes, noise.length);
          bytes = merged;
          break;
        }
        default:
          break;
      }
    }
    const out = bytes;
    if (delayMs === 0) {
      this.output?.(out);
      return;
    }
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.output?.(out);
    }, delayMs);
    this.timers.add(timer);
  }
}

function stepOf(c: SimSamCommand): SimSamStep {
  if (c.cmd === 0x10 && c.para === 0xff) return 'resetSam';
  if (c.cmd === 0x11 && c.para === 0xff) return 'getSamStatus';
  if (c.cmd === 0x12 && c.para === 0xff) return 'readSamId';
  if (c.cmd === 0x20 && c.para === 0x01) return 'findCard';
  if (c.cmd === 0x20 && c.para === 0x02) return 'selectCard';
  if (c.cmd === 0x30 && (c.para === 0x01 || c.para === 0x10)) return 'readBaseInfo';
  if (c.cmd === 0x30 && c.para === 0x03) return 'readAppendedAddress';
  return 'other';
}
