import type { PcscReader } from '../drivers/pcsc/PcscReader.js';
import type { CardSlot } from './EmrtdReaderDevice.js';

/** A PC/SC reader as a {@link CardSlot}. */
export function pcscCardSlot(reader: PcscReader): CardSlot {
  return {
    name: reader.name,
    get hasCard() {
      return reader.card !== undefined;
    },
    onPresence(listener) {
      const unsubscribes = [
        reader.on('card', () => listener(true)),
        reader.on('card.off', () => listener(false)),
        // An unplugged reader takes its card with it.
        reader.on('end', () => listener(false)),
      ];
      return () => {
        for (const unsubscribe of unsubscribes) unsubscribe();
      };
    },
    connect: () => reader.connect(),
    release: () => reader.disconnect({ reset: true }),
  };
}
