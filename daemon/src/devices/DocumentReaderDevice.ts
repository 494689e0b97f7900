import type { DocumentCredentials, DocumentReadProgress } from '@kycd/state-machines';
import type { DocumentKind, DocumentReadResult } from '../documents/DocumentReadResult.js';

/**
 * Progress of a chip read, as `document.progress` reports it: access control starting, a file
 * read advancing, verification starting. It goes through the session machine, which moves
 * `document.reading` through its phases and forwards it to the POS.
 */
export type { DocumentReadProgress };

/** Presence of a document on a reader. */
export type DocumentPresence =
  { readonly type: 'presented'; readonly kind: DocumentKind } | { readonly type: 'removed' };

/**
 * A reader that can tell when a document is on it and read it: a PC/SC reader with an eMRTD,
 * or a SAM reader with a resident ID. Real and simulated readers implement it alike.
 */
export interface DocumentReaderDevice {
  /** The device id in the {@link DeviceRegistry}. */
  readonly id: string;
  readonly documentKind: DocumentKind;
  /** Whether a document is on the reader right now. */
  readonly present: boolean;
  /** Subscribe to presence changes; returns the unsubscribe function. */
  watch(onEvent: (event: DocumentPresence) => void): () => void;
  /** Read the document on the reader. Rejects with a typed, coded error; never returns partial data. */
  read(input: {
    credentials: DocumentCredentials | undefined;
    signal: AbortSignal;
    onProgress: (progress: DocumentReadProgress) => void;
  }): Promise<DocumentReadResult>;
}
