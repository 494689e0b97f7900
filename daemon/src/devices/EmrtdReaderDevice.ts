import type { DocumentCredentials } from '@kycd/state-machines';
import type { CscaTrustStore } from '../documents/authenticity/CscaTrustStore.js';
import type { DocumentReadResult } from '../documents/DocumentReadResult.js';
import type { EmrtdCredentials } from '../documents/icao/EmrtdCredentials.js';
import { readEmrtd, type ReadEmrtdOptions } from '../documents/icao/readEmrtd.js';
import type { CardTransport } from '../documents/icao/transport/CardTransport.js';
import type {
  DocumentPresence,
  DocumentReadProgress,
  DocumentReaderDevice,
} from './DocumentReaderDevice.js';

/**
 * Where an eMRTD sits: a PC/SC reader slot (see {@link pcscCardSlot}) or, in the simulator
 * without pcscd, a virtual card in memory. The only place the two differ.
 */
export interface CardSlot {
  readonly name: string;
  readonly hasCard: boolean;
  /** Presence changes; returns the unsubscribe function. */
  onPresence(listener: (present: boolean) => void): () => void;
  /** Open a channel to the card on the slot. */
  connect(): Promise<CardTransport>;
  /** Close the channel and reset the card (ends any secure-messaging session). */
  release(): Promise<void>;
}

export interface EmrtdReaderDeviceOptions {
  id: string;
  slot: CardSlot;
  /** CSCA trust anchors for Passive Authentication (loaded once, at start). */
  trustStore: () => CscaTrustStore | undefined;
  /** Read policy from `documents` config (PACE preference, extended length, read size). */
  readPolicy?: Pick<
    ReadEmrtdOptions,
    'preferPace' | 'useExtendedLength' | 'maxShortRead' | 'decodePhoto'
  >;
}

/** An ICAO 9303 eMRTD reader: presence from its slot, reads through {@link readEmrtd}. */
export class EmrtdReaderDevice implements DocumentReaderDevice {
  readonly id: string;
  readonly documentKind = 'emrtd' as const;

  constructor(private readonly options: EmrtdReaderDeviceOptions) {
    this.id = options.id;
  }

  get present(): boolean {
    return this.options.slot.hasCard;
  }

  watch(onEvent: (event: DocumentPresence) => void): () => void {
    return this.options.slot.onPresence((present) =>
      onEvent(present ? { type: 'presented', kind: 'emrtd' } : { type: 'removed' }),
    );
  }

  async read(input: {
    credentials: DocumentCredentials | undefined;
    signal: AbortSignal;
    onProgress: (progress: DocumentReadProgress) => void;
  }): Promise<DocumentReadResult> {
    const transport = await this.options.slot.connect();
    try {
      const trustStore = this.options.trustStore();
      return await readEmrtd(transport, {
        ...this.options.readPolicy,
        ...(input.credentials === undefined
          ? {}
          : { credentials: toEmrtdCredentials(input.credentials) }),
        ...(trustStore === undefined ? {} : { trustStore }),
        signal: input.signal,
        // the reader's progress is the session's (same shape; the machine keeps the wire fields)
        onProgress: input.onProgress,
      });
    } finally {
      await this.options.slot.release().catch(() => undefined);
    }
  }
}

/** The session machine's credential shape → the ICAO layer's. */
export function toEmrtdCredentials(credentials: DocumentCredentials): EmrtdCredentials {
  return credentials.kind === 'can'
    ? { kind: 'can', can: credentials.can }
    : {
        kind: 'mrz',
        documentNumber: credentials.documentNumber,
        birthDate: credentials.dateOfBirth,
        expiryDate: credentials.dateOfExpiry,
      };
}
