import { KycdError, type ErrorCode } from '@kycd/plugin-sdk';

/** The registered codes of the registration subsystem (store, signing, outbox, privacy). */
export type RegistrationErrorCode = Extract<ErrorCode, `registration_${string}`>;

/**
 * A failure of the durable store or of the registration subsystem built on it. `file` names the
 * database or key file involved and `sqliteCode` the SQLite result code (e.g. `SQLITE_FULL`)
 * when SQLite raised it; `step` says what the store was doing (`open`, `migrate`, `write`, …).
 */
export class StoreError extends KycdError<RegistrationErrorCode> {
  override readonly name: string = 'StoreError';
  /** The file involved, when there is one. */
  readonly file: string | undefined;
  /** SQLite's result code (`SQLITE_NOTADB`, `SQLITE_FULL`, …) when SQLite raised the failure. */
  readonly sqliteCode: string | undefined;
  /** What the store was doing: `open`, `integrity_check`, `migrate`, `write`, `read`, `key`. */
  readonly step: string;

  constructor(
    code: RegistrationErrorCode,
    message: string,
    options: {
      step: string;
      file?: string;
      sqliteCode?: string;
      cause?: unknown;
      data?: Record<string, unknown>;
    },
  ) {
    super(code, message, {
      cause: options.cause,
      data: {
        step: options.step,
        ...(options.sqliteCode === undefined ? {} : { sqliteCode: options.sqliteCode }),
        ...options.data,
      },
    });
    this.file = options.file;
    this.sqliteCode = options.sqliteCode;
    this.step = options.step;
  }
}
