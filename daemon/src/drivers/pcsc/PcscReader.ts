import { TypedEmitter } from '@kycd/plugin-sdk';
import { EmrtdError } from '../../documents/icao/EmrtdError.js';
import { PcscCardTransport, mapPcscError, type PcscTransmitter } from './PcscCardTransport.js';
import { parseAtr } from './parseAtr.js';

/** The pcsclite `CardReader` surface kycd uses (matches `@pokusew/pcsclite`). */
export interface PcscliteReader extends PcscTransmitter {
  readonly name: string;
  readonly SCARD_SHARE_SHARED: number;
  readonly SCARD_SHARE_EXCLUSIVE: number;
  readonly SCARD_PROTOCOL_T0: number;
  readonly SCARD_PROTOCOL_T1: number;
  readonly SCARD_STATE_PRESENT: number;
  readonly SCARD_STATE_EMPTY: number;
  readonly SCARD_STATE_MUTE: number;
  readonly SCARD_LEAVE_CARD: number;
  readonly SCARD_RESET_CARD: number;
  state: number;
  connected: boolean;
  on(event: 'status', listener: (status: { state: number; atr?: Buffer }) => void): unknown;
  on(event: 'error', listener: (err: unknown) => void): unknown;
  on(event: 'end', listener: () => void): unknown;
  connect(
    options: { share_mode?: number; protocol?: number },
    cb: (err: unknown, protocol: number) => void,
  ): void;
  disconnect(disposition: number, cb: (err: unknown) => void): void;
  close(): void;
}

/** A card put on the reader. */
export interface PcscCard {
  readonly atr: Uint8Array;
  /** Extended Lc/Le declared in the ATR's historical bytes. */
  readonly extendedLength: boolean;
}

/** Events of a {@link PcscReader}. */
export type PcscReaderEvents = {
  card: (card: PcscCard) => void;
  'card.off': () => void;
  error: (error: EmrtdError) => void;
  end: () => void;
};

/**
 * One PC/SC reader: emits `card` when a card is presented (with its ATR), `card.off` when it
 * leaves, `error` for reader failures and `end` when the reader is unplugged. {@link connect}
 * opens a {@link PcscCardTransport} to the present card.
 */
export class PcscReader extends TypedEmitter<PcscReaderEvents> {
  readonly name: string;
  private readonly reader: PcscliteReader;
  private currentCard: PcscCard | undefined;
  private ended = false;

  constructor(reader: PcscliteReader) {
    super();
    this.reader = reader;
    this.name = reader.name;
    reader.on('error', (err) => this.emit('error', mapPcscError(err, `reader ${reader.name}`)));
    reader.on('end', () => {
      this.ended = true;
      if (this.currentCard !== undefined) {
        this.currentCard = undefined;
        this.emit('card.off');
      }
      this.emit('end');
    });
    reader.on('status', (status) => this.onStatus(status));
  }

  /** The card on the reader, if any. */
  get card(): PcscCard | undefined {
    return this.currentCard;
  }

  /** True once the reader was unplugged. */
  get isEnded(): boolean {
    return this.ended;
  }

  private onStatus(status: { state: number; atr?: Buffer }): void {
    const r = this.reader;
    const changes = (r.state ?? 0) ^ status.state;
    r.state = status.state;
    const present =
      (status.state & r.SCARD_STATE_PRESENT) !== 0 && (status.state & r.SCARD_STATE_MUTE) === 0;
    if (present && (this.currentCard === undefined || (changes & r.SCARD_STATE_PRESENT) !== 0)) {
      const atr = status.atr === undefined ? new Uint8Array(0) : new Uint8Array(status.atr);
      this.currentCard = { atr, extendedLength: parseAtr(atr).extendedLength };
      this.emit('card', this.currentCard);
    } else if (!present && this.currentCard !== undefined) {
      this.currentCard = undefined;
      if (r.connected) r.disconnect(r.SCARD_LEAVE_CARD, () => undefined);
      this.emit('card.off');
    }
  }

  /** Connect to the present card (T=0 or T=1, shared). Rejects with `document_no_card` when none is there. */
  async connect(options: { exclusive?: boolean } = {}): Promise<PcscCardTransport> {
    const card = this.currentCard;
    if (card === undefined)
      throw new EmrtdError('document_no_card', `no card on reader ${this.name}`);
    const r = this.reader;
    if (r.connected) await this.disconnect();
    const protocol = await new Promise<number>((resolve, reject) => {
      r.connect(
        {
          share_mode: options.exclusive === true ? r.SCARD_SHARE_EXCLUSIVE : r.SCARD_SHARE_SHARED,
          protocol: r.SCARD_PROTOCOL_T0 | r.SCARD_PROTOCOL_T1,
        },
        (err, p) => {
          if (err !== null && err !== undefined) reject(mapPcscError(err, 'connect'));
          else resolve(p);
        },
      );
    });
    return new PcscCardTransport(r, protocol, {
      extendedLength: card.extendedLength,
      cardGone: (ms) => this.cardGone(card, ms),
    });
  }

  /**
   * Whether `card` has left the reader: true at once when pcscd already said so, else true if
   * it says so within `timeoutMs` (pcscd polls the reader, so a pulled card shows up late).
   */
  cardGone(card: PcscCard, timeoutMs: number): Promise<boolean> {
    const r = this.reader;
    const absent = (): boolean =>
      this.ended ||
      this.currentCard !== card ||
      (r.state & r.SCARD_STATE_PRESENT) === 0 ||
      (r.state & r.SCARD_STATE_MUTE) !== 0;
    if (absent()) return Promise.resolve(true);
    return new Promise((resolve) => {
      const done = (gone: boolean): void => {
        clearTimeout(timer);
        offOff();
        offEnd();
        resolve(gone);
      };
      const timer = setTimeout(() => done(absent()), timeoutMs);
      const offOff = this.on('card.off', () => done(true));
      const offEnd = this.on('end', () => done(true));
    });
  }

  /** Stop monitoring this reader (releases its pcsclite status thread). */
  close(): void {
    this.reader.close();
  }

  /** Disconnect from the card; `reset` resets it (ends any secure session). */
  async disconnect(options: { reset?: boolean } = {}): Promise<void> {
    const r = this.reader;
    if (!r.connected) return;
    await new Promise<void>((resolve) =>
      r.disconnect(options.reset === true ? r.SCARD_RESET_CARD : r.SCARD_LEAVE_CARD, () =>
        resolve(),
      ),
    );
  }
}
