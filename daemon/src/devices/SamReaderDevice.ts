import type { DocumentCredentials } from '@kycd/state-machines';
import { KycdError } from '@kycd/plugin-sdk';
import type { DocumentReadResult } from '../documents/DocumentReadResult.js';
import { readResidentId } from '../documents/sam/readResidentId.js';
import type { SamReader } from '../documents/sam/SamReader.js';
import type { WltDecoder } from '../documents/sam/WltDecoder.js';
import type {
  DocumentPresence,
  DocumentReadProgress,
  DocumentReaderDevice,
} from './DocumentReaderDevice.js';

export interface SamReaderDeviceOptions {
  id: string;
  reader: SamReader;
  wltDecoder: WltDecoder | undefined;
  readAppendedAddress: boolean;
  /** How often to poll find-card (寻卡) while someone watches. Default 300 ms. */
  pollIntervalMs?: number;
  /** Reports link failures (the SAM is unplugged or broken). */
  onError?: (err: unknown) => void;
}

/**
 * A Chinese resident-ID reader on the SAM protocol. The SAM has no presence event: while a
 * session watches, the device polls find-card and reports changes (as vendor SDKs do). After a
 * successful read the SAM finds the card again only once it has left the field, which reads
 * as `removed` — exactly what the customer must do next.
 */
export class SamReaderDevice implements DocumentReaderDevice {
  readonly id: string;
  readonly documentKind = 'cn-resident-id' as const;
  private cardFound = false;
  private reading = false;
  private readonly listeners = new Set<(event: DocumentPresence) => void>();
  private timer: NodeJS.Timeout | undefined;
  private polling = false;

  constructor(private readonly options: SamReaderDeviceOptions) {
    this.id = options.id;
  }

  get present(): boolean {
    return this.cardFound;
  }

  watch(onEvent: (event: DocumentPresence) => void): () => void {
    this.listeners.add(onEvent);
    this.schedule(0);
    return () => {
      this.listeners.delete(onEvent);
      if (this.listeners.size === 0) {
        if (this.timer !== undefined) clearTimeout(this.timer);
        this.timer = undefined;
        // Nobody polls any more: what we knew goes stale. The next watcher polls at once.
        this.cardFound = false;
      }
    };
  }

  async read(input: {
    credentials: DocumentCredentials | undefined;
    signal: AbortSignal;
    onProgress: (progress: DocumentReadProgress) => void;
  }): Promise<DocumentReadResult> {
    this.reading = true;
    try {
      input.onProgress({ phase: 'read', file: 'base-info', bytesRead: 0, totalBytes: 1280 });
      const result = await readResidentId(this.options.reader, {
        signal: input.signal,
        readAppendedAddress: this.options.readAppendedAddress,
        ...(this.options.wltDecoder === undefined ? {} : { wltDecoder: this.options.wltDecoder }),
      });
      input.onProgress({ phase: 'read', file: 'base-info', bytesRead: 1280, totalBytes: 1280 });
      return result;
    } finally {
      this.reading = false;
    }
  }

  private schedule(delayMs: number): void {
    if (this.timer !== undefined || this.listeners.size === 0) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.poll();
    }, delayMs);
    this.timer.unref();
  }

  private async poll(): Promise<void> {
    if (this.polling || this.listeners.size === 0) return;
    this.polling = true;
    try {
      if (!this.reading) {
        let found: boolean;
        try {
          await this.options.reader.findCard();
          found = true;
        } catch (err) {
          if (!(err instanceof KycdError) || err.code !== 'document_no_card')
            this.options.onError?.(err);
          found = false;
        }
        if (found !== this.cardFound && !this.reading) {
          this.cardFound = found;
          const event: DocumentPresence = found
            ? { type: 'presented', kind: 'cn-resident-id' }
            : { type: 'removed' };
          for (const l of [...this.listeners]) l(event);
        }
      }
    } finally {
      this.polling = false;
      this.schedule(this.options.pollIntervalMs ?? 300);
    }
  }
}
