import type { ErrorCode } from '@kycd/plugin-sdk';
import { EmrtdError } from './EmrtdError.js';

/** The eMRTD protocols and steps that can fail with a status word. */
export type EmrtdProtocolName =
  'SELECT' | 'READ' | 'BAC' | 'PACE' | 'SM' | 'CA' | 'AA' | 'TRANSPORT';

/**
 * A protocol step failed: which protocol, which step, and the status word the chip returned
 * (when there was one).
 *
 * @example
 * ```ts
 * throw new ProtocolError('document_access_denied', { protocol: 'PACE', step: 'mutualAuthenticate', sw: 0x6300 })
 * ```
 */
export class ProtocolError extends EmrtdError {
  override readonly name: string = 'ProtocolError';
  readonly protocol: EmrtdProtocolName;
  readonly step: string;
  readonly sw: number | undefined;

  constructor(
    code: ErrorCode,
    info: {
      protocol: EmrtdProtocolName;
      step: string;
      sw?: number;
      message?: string;
      cause?: unknown;
    },
  ) {
    const swText =
      info.sw === undefined ? '' : ` (SW ${info.sw.toString(16).toUpperCase().padStart(4, '0')})`;
    super(
      code,
      `${info.protocol} ${info.step} failed${swText}${info.message === undefined ? '' : `: ${info.message}`}`,
      {
        data: {
          protocol: info.protocol,
          step: info.step,
          ...(info.sw === undefined ? {} : { sw: info.sw }),
        },
        cause: info.cause,
      },
    );
    this.protocol = info.protocol;
    this.step = info.step;
    this.sw = info.sw;
  }
}
