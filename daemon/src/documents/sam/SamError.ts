import { KycdError, type ErrorCode } from '@kycd/plugin-sdk';

/** The SAM protocol steps, named as the reader documentation names the commands. */
export type SamStep =
  | 'resetSam' // 复位 10 FF
  | 'getSamStatus' // 状态检测 11 FF
  | 'readSamId' // 管理信息 12 FF
  | 'findCard' // 寻卡 20 01
  | 'selectCard' // 选卡 20 02
  | 'readBaseInfo' // 读基本信息 30 01
  | 'readAppendedAddress' // 读追加住址 30 03
  | 'parseTextBlock'
  | 'decodePhoto'
  | 'frame';

/**
 * A failure of the SAM resident-ID protocol: which step, which SAM status byte (SW3) when the SAM
 * answered one, and a stable registered `code`. Every SAM failure the daemon surfaces is one of
 * these (or `document_aborted` when the caller cancelled).
 */
export class SamError extends KycdError {
  override readonly name: string = 'SamError';
  /** The protocol step that failed. */
  readonly step: SamStep;
  /** The SAM status byte when the SAM answered with a failure status. */
  readonly sw3: number | undefined;

  constructor(
    code: ErrorCode,
    message: string,
    options: { step: SamStep; sw3?: number; data?: Record<string, unknown>; cause?: unknown },
  ) {
    const data: Record<string, unknown> = { protocol: 'SAM', step: options.step, ...options.data };
    if (options.sw3 !== undefined) data['sw3'] = hexByte(options.sw3);
    super(code, message, { data, cause: options.cause });
    this.step = options.step;
    this.sw3 = options.sw3;
  }
}

/** `0x9f` → `'9F'`. */
export function hexByte(value: number): string {
  return value.toString(16).toUpperCase().padStart(2, '0');
}
