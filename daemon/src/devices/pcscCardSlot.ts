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
      const on = (): void => listener(true);
      const off = (): void => listener(false);
      reader.on('card', on);
      reader.on('card.off', off);
      return () => {
        reader.off('card', on);
        reader.off('card.off', off);
      };
    },
    connect: () => reader.connect(),
    release: () => reader.disconnect({ reset: true }),
  };
}
