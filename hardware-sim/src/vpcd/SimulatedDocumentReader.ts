import { EventEmitter } from 'node:events';
import { TestPki } from '../pki/TestPki.js';
import { createSampleHolder } from '../emrtd/createSampleHolder.js';
import { VirtualEmrtd, type VirtualEmrtdCreateOptions } from '../emrtd/VirtualEmrtd.js';
import { VpcdConnection, type VpcdConnectionOptions } from './VpcdConnection.js';
import type { VpcdError } from './VpcdError.js';

/** Options of {@link SimulatedDocumentReader.create}. */
export interface SimulatedDocumentReaderOptions extends VpcdConnectionOptions {
  /** The PKI whose CSCA signs every inserted document (a fresh one when absent). */
  readonly pki?: TestPki;
  /** Write the CSCA certificate here (PEM and DER) so the host can use it as its trust store. */
  readonly trustStoreDir?: string;
  /** The reader name to report (default: {@link vpcdReaderName} of the port). */
  readonly readerName?: string;
}

/** Events of {@link SimulatedDocumentReader}. */
export interface SimulatedDocumentReaderEvents {
  inserted: [card: VirtualEmrtd];
  /** The card left the reader: by {@link SimulatedDocumentReader.remove} or by a fault. */
  removed: [card: VirtualEmrtd, reason: 'remove' | 'fault'];
  error: [error: VpcdError];
}

/**
 * The PC/SC reader name pcscd gives a vpcd port: the vpcd reader has two slots, 35963 →
 * "Virtual PCD 00 00" and 35964 → "Virtual PCD 00 01" (Debian's /etc/reader.conf.d/vpcd).
 */
export function vpcdReaderName(port: number, basePort = 35963): string {
  return `Virtual PCD 00 ${String(port - basePort).padStart(2, '0')}`;
}

/**
 * A document reader on the real PC/SC stack: virtual eMRTDs are put into vpcd's virtual reader
 * (pcscd then reports them like a card on a contactless reader). Used by `kycd start --sim`
 * (`sim.insertDocument` / `sim.removeDocument`) and by end-to-end tests.
 *
 * @example
 * const reader = await SimulatedDocumentReader.create({ trustStoreDir: '/tmp/kycd-csca' });
 * reader.on('error', console.error);
 * const card = await reader.insertDocument({ faults: { chipClone: true } });
 * // … the host reads "Virtual PCD 00 00" with card.files.mrz.mrzInformation …
 * await reader.remove();
 */
export class SimulatedDocumentReader extends EventEmitter<SimulatedDocumentReaderEvents> {
  readonly pki: TestPki;
  readonly trustStoreDir: string | undefined;
  readonly options: VpcdConnectionOptions;
  readonly #readerName: string;
  #link: VpcdConnection | undefined;
  #card: VirtualEmrtd | undefined;

  private constructor(pki: TestPki, options: SimulatedDocumentReaderOptions) {
    super();
    this.pki = pki;
    this.trustStoreDir = options.trustStoreDir;
    const { pki: _pki, trustStoreDir: _dir, readerName, ...link } = options;
    this.options = link;
    this.#readerName = readerName ?? vpcdReaderName(link.port ?? 35963);
  }

  /** Creates the reader (and its PKI; the CSCA is written to `trustStoreDir` when given). */
  static async create(
    options: SimulatedDocumentReaderOptions = {},
  ): Promise<SimulatedDocumentReader> {
    const pki = options.pki ?? (await TestPki.create());
    if (options.trustStoreDir) await pki.writeTrustStore(options.trustStoreDir);
    return new SimulatedDocumentReader(pki, options);
  }

  /** The PC/SC reader name the host sees for this reader's vpcd port. */
  get readerName(): string {
    return this.#readerName;
  }

  /** The card currently in the reader. */
  get card(): VirtualEmrtd | undefined {
    return this.#card;
  }

  /** Puts `card` into the reader (removing any card already there). */
  async insert(card: VirtualEmrtd): Promise<void> {
    await this.remove();
    const link = new VpcdConnection(card, this.options);
    link.on('error', (error) => this.emit('error', error));
    link.on('removed', () => {
      if (this.#link !== link) return;
      this.#link = undefined;
      this.#card = undefined;
      this.emit('removed', card, 'fault');
    });
    this.#link = link;
    this.#card = card;
    try {
      await link.connect();
    } catch (error) {
      this.#link = undefined;
      this.#card = undefined;
      throw error;
    }
    this.emit('inserted', card);
  }

  /**
   * Generates a document (sample holder unless given, signed under this reader's PKI) and
   * inserts it; resolves the card (its `files.mrz.mrzInformation` is the BAC/PACE key).
   */
  async insertDocument(options: Partial<VirtualEmrtdCreateOptions> = {}): Promise<VirtualEmrtd> {
    const holder = options.holder ?? (await createSampleHolder());
    const card = await VirtualEmrtd.create({ ...options, holder, pki: options.pki ?? this.pki });
    await this.insert(card);
    return card;
  }

  /** Takes the card out of the reader (no-op when empty). */
  async remove(): Promise<void> {
    const link = this.#link;
    const card = this.#card;
    this.#link = undefined;
    this.#card = undefined;
    if (!link || !card) return;
    await link.close();
    this.emit('removed', card, 'remove');
  }
}
