import { createRequire } from 'node:module';
import { TypedEmitter } from '@kycd/plugin-sdk';
import { EmrtdError } from '../../documents/icao/EmrtdError.js';
import { PcscReader, type PcscliteReader } from './PcscReader.js';

/** The pcsclite context surface kycd uses (matches `@pokusew/pcsclite`). */
export interface PcscliteContext {
  on(event: 'reader', listener: (reader: PcscliteReader) => void): unknown;
  on(event: 'error', listener: (err: unknown) => void): unknown;
  close(): void;
}

/** Events of a {@link PcscManager}. */
export type PcscManagerEvents = {
  reader: (reader: PcscReader) => void;
  error: (error: EmrtdError) => void;
};

/**
 * The PC/SC context: discovers readers (and hot-plugged ones) through pcscd and emits
 * `reader` for each; `error` when pcscd is unreachable. Close it to stop monitoring.
 *
 * @example
 * ```ts
 * const pcsc = PcscManager.start();
 * pcsc.on('error', (e) => log.warn(e));
 * const reader = await pcsc.waitForReader({ name: 'Virtual PCD', timeoutMs: 5000 });
 * ```
 */
export class PcscManager extends TypedEmitter<PcscManagerEvents> {
  private readonly context: PcscliteContext;
  private readonly readerMap = new Map<string, PcscReader>();
  private closed = false;

  private constructor(context: PcscliteContext) {
    super();
    this.context = context;
    context.on('error', (err) =>
      this.emit(
        'error',
        new EmrtdError(
          'document_reader_unavailable',
          `PC/SC: ${err instanceof Error ? err.message : String(err)}`,
          { cause: err },
        ),
      ),
    );
    context.on('reader', (raw) => {
      const reader = new PcscReader(raw);
      this.readerMap.set(reader.name, reader);
      reader.on('end', () => this.readerMap.delete(reader.name));
      // every emitter gets an error listener where it is created; users add their own too
      reader.on('error', () => undefined);
      this.emit('reader', reader);
    });
  }

  /** Start monitoring with `@pokusew/pcsclite` (or an injected context, for tests). */
  static start(context?: PcscliteContext): PcscManager {
    if (context !== undefined) return new PcscManager(context);
    const require = createRequire(import.meta.url);
    let factory: () => PcscliteContext;
    try {
      factory = require('@pokusew/pcsclite') as () => PcscliteContext;
    } catch (err) {
      throw new EmrtdError(
        'document_reader_unavailable',
        `PC/SC library unavailable: ${err instanceof Error ? err.message : String(err)}`,
        { cause: err },
      );
    }
    return new PcscManager(factory());
  }

  /** Readers currently attached. */
  get readers(): readonly PcscReader[] {
    return [...this.readerMap.values()];
  }

  /**
   * Resolve with the first reader whose name contains `name` (any reader without one), waiting
   * up to `timeoutMs`; rejects with `document_reader_unavailable`.
   */
  waitForReader(
    options: { name?: string; timeoutMs?: number; signal?: AbortSignal } = {},
  ): Promise<PcscReader> {
    const matches = (r: PcscReader): boolean =>
      options.name === undefined || r.name.includes(options.name);
    const found = this.readers.find(matches);
    if (found !== undefined) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const cleanup = (): void => {
        offReader();
        offError();
        clearTimeout(timer);
        options.signal?.removeEventListener('abort', onAbort);
      };
      const offReader = this.on('reader', (r) => {
        if (!matches(r)) return;
        cleanup();
        resolve(r);
      });
      const offError = this.on('error', (e) => {
        cleanup();
        reject(e);
      });
      const onAbort = (): void => {
        cleanup();
        reject(new EmrtdError('document_aborted', 'waiting for a reader was aborted'));
      };
      options.signal?.addEventListener('abort', onAbort);
      const timer = setTimeout(() => {
        cleanup();
        const names = this.readers.map((r) => r.name);
        reject(
          new EmrtdError(
            'document_reader_unavailable',
            `no PC/SC reader${options.name === undefined ? '' : ` matching "${options.name}"`} within ${options.timeoutMs ?? 5000} ms (readers: ${names.length === 0 ? 'none' : names.join(', ')})`,
          ),
        );
      }, options.timeoutMs ?? 5000);
    });
  }

  /** Resolve with the reader's card once one is present (immediately if already there). */
  static waitForCard(
    reader: PcscReader,
    options: { timeoutMs?: number; signal?: AbortSignal } = {},
  ): Promise<void> {
    if (reader.card !== undefined) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const cleanup = (): void => {
        off();
        clearTimeout(timer);
        options.signal?.removeEventListener('abort', onAbort);
      };
      const off = reader.on('card', () => {
        cleanup();
        resolve();
      });
      const onAbort = (): void => {
        cleanup();
        reject(new EmrtdError('document_aborted', 'waiting for a card was aborted'));
      };
      options.signal?.addEventListener('abort', onAbort);
      const timer = setTimeout(() => {
        cleanup();
        reject(
          new EmrtdError(
            'document_no_card',
            `no card on reader ${reader.name} within ${options.timeoutMs ?? 5000} ms`,
          ),
        );
      }, options.timeoutMs ?? 5000);
    });
  }

  /** Stop monitoring (the context and every reader's status thread) and release pcscd. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const reader of this.readerMap.values()) reader.close();
    this.readerMap.clear();
    this.context.close();
  }
}
