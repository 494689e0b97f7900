import { KycdError } from '@kycd/plugin-sdk';
import type { ErrorCode } from '@kycd/plugin-sdk';

/**
 * A failure while reading an eMRTD. `code` is a registered document code (see
 * `plugin-sdk/src/errors/documentErrorCodes.ts`); `data` is safe to log and send (never key
 * material, never personal data).
 */
export class EmrtdError extends KycdError {
  override readonly name: string = 'EmrtdError';

  constructor(
    code: ErrorCode,
    message: string,
    options: { data?: Record<string, unknown>; cause?: unknown } = {},
  ) {
    super(code, message, options);
  }
}
