import type { ErrorCode } from './errorCodes.js';

/**
 * The one error base class of kycd. Its `code` is stable and travels unchanged from the place
 * that threw it to the wire protocol and into the SDK's rejections.
 *
 * @example
 * ```ts
 * try { await client.session.start({ consent }) }
 * catch (err) { if (err instanceof KycdError && err.code === 'rate_limited') retryLater() }
 * ```
 */
export class KycdError<C extends ErrorCode = ErrorCode> extends Error {
  override readonly name: string = 'KycdError';
  /** Stable machine-readable code from the registry. */
  readonly code: C;
  /** Optional structured details that are safe to send to a client (never secrets, never biometrics). */
  readonly data: Readonly<Record<string, unknown>> | undefined;

  constructor(
    code: C,
    message: string,
    options: { data?: Record<string, unknown>; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.data = options.data;
  }

  /** The wire form: `{ code, message, data? }`. */
  toJSON(): { code: C; message: string; data?: Readonly<Record<string, unknown>> } {
    return this.data === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, data: this.data };
  }
}
