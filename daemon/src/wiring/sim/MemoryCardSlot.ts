import type { VirtualEmrtd } from '@kycd/hardware-sim';
import { EmrtdError } from '../../documents/icao/EmrtdError.js';
import type { CardTransport } from '../../documents/icao/transport/CardTransport.js';
import type { CardSlot } from '../../devices/EmrtdReaderDevice.js';

/**
 * A card slot with the virtual eMRTD in memory: the APDUs are the same as through pcscd + vpcd,
 * only the PC/SC hop is skipped. Used by `kycd start --sim` where no vpcd is running; the
 * end-to-end tests use the real PC/SC stack.
 */
export class MemoryCardSlot implements CardSlot {
  readonly name = 'kycd virtual eMRTD reader (memory)';
  private card: VirtualEmrtd | undefined;
  private readonly listeners = new Set<(present: boolean) => void>();

  get hasCard(): boolean {
    return this.card !== undefined && !this.card.removed;
  }

  insert(card: VirtualEmrtd): void {
    if (this.card !== undefined) this.remove();
    card.powerOn();
    this.card = card;
    for (const l of [...this.listeners]) l(true);
  }

  remove(): void {
    if (this.card === undefined) return;
    this.card.powerOff();
    this.card = undefined;
    for (const l of [...this.listeners]) l(false);
  }

  onPresence(listener: (present: boolean) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async connect(): Promise<CardTransport> {
    const card = this.card;
    if (card === undefined)
      throw new EmrtdError('document_no_card', 'no card on the virtual reader');
    card.powerOn();
    return {
      extendedLengthSupported: false,
      transmit: async (command, opts) => {
        if (opts?.signal?.aborted === true)
          throw new EmrtdError('document_aborted', 'the read was cancelled');
        if (this.card !== card)
          throw new EmrtdError('document_card_removed', 'the card left the reader');
        const response = card.transmit(command);
        if (response === null) {
          this.remove();
          throw new EmrtdError('document_card_removed', 'the card left the field during the read');
        }
        // Yield like a real link would, so a read never starves the event loop.
        await new Promise((resolve) => setImmediate(resolve));
        return response;
      },
    };
  }

  async release(): Promise<void> {
    this.card?.powerOn();
  }
}
