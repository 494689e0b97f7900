import type { DocumentCredentials } from '@kycd/state-machines';
import type { DocumentPresence, DocumentReaderDevice, DocumentReadProgress } from '../../devices/DocumentReaderDevice.js';
import type { EmrtdCredentials } from '../../documents/icao/EmrtdCredentials.js';
import { readEmrtd, type EmrtdReadResult, type ReadEmrtdOptions } from '../../documents/icao/readEmrtd.js';
import { CscaTrustStore } from '../../documents/authenticity/CscaTrustStore.js';
import type { PcscReader } from './PcscReader.js';

/** Convert the session machine's credentials to the eMRTD reader's. */
export function toEmrtdCredentials(credentials: DocumentCredentials | undefined): EmrtdCredentials | undefined {
  if (credentials === undefined) return undefined;
  if (credentials.kind === 'can') return { kind: 'can', can: credentials.can };
  return { kind: 'mrz', documentNumber: credentials.documentNumber, birthDate: credentials.dateOfBirth, expiryDate: credentials.dateOfExpiry };
}

/** Read policy of a {@link PcscEmrtdReaderDevice} (from the `documents` config section). */
export type PcscEmrtdReadPolicy = Pick<ReadEmrtdOptions, 'preferPace' | 'useExtendedLength' | 'maxShortRead' | 'decodePhoto'>;

/**
 * A PC/SC reader as the daemon's {@link DocumentReaderDevice} for eMRTDs: presence from the
 * reader's `card` / `card.off` events, `read` connects, runs {@link readEmrtd} and resets the
 * card afterwards (so no secure session outlives the read).
 */
export class PcscEmrtdReaderDevice implements DocumentReaderDevice {
  readonly id: string;
  readonly documentKind = 'emrtd' as const;
  private readonly reader: PcscReader;
  private readonly trustStore: CscaTrustStore;
  private readonly policy: PcscEmrtdReadPolicy;

  constructor(reader: PcscReader, options: { id?: string; trustStore?: CscaTrustStore; policy?: PcscEmrtdReadPolicy } = {}) {
    this.reader = reader;
    this.id = options.id ?? `pcsc:${reader.name}`;
    this.trustStore = options.trustStore ?? CscaTrustStore.empty();
    this.policy = options.policy ?? {};
  }

  get present(): boolean {
    return this.reader.card !== undefined;
  }

  watch(onEvent: (event: DocumentPresence) => void): () => void {
    const offCard = this.reader.on('card', () => onEvent({ type: 'presented', kind: 'emrtd' }));
    const offGone = this.reader.on('card.off', () => onEvent({ type: 'removed' }));
    const offEnd = this.reader.on('end', () => onEvent({ type: 'removed' }));
    return () => {
      offCard();
      offGone();
      offEnd();
    };
  }

  async read(input: { credentials: DocumentCredentials | undefined; signal: AbortSignal; onProgress: (progress: DocumentReadProgress) => void }): Promise<EmrtdReadResult> {
    const transport = await this.reader.connect();
    try {
      const credentials = toEmrtdCredentials(input.credentials);
      return await readEmrtd(transport, {
        ...this.policy,
        ...(credentials === undefined ? {} : { credentials }),
        trustStore: this.trustStore,
        signal: input.signal,
        onProgress: (p) => {
          if (p.phase === 'read') input.onProgress({ file: p.file, bytesRead: p.bytesRead, totalBytes: p.totalBytes });
        },
      });
    } finally {
      await this.reader.disconnect({ reset: true }).catch(() => undefined);
    }
  }
}
