import type { ErrorCode } from '@kycd/plugin-sdk';

/** One entry of the SAM status table (SW3 of a response frame). */
export interface SamStatusInfo {
  /** The status byte (SW3). */
  readonly sw3: number;
  /** The meaning as the GA 467 reader documentation gives it (Chinese). */
  readonly meaning: string;
  /** An English gloss of {@link SamStatusInfo.meaning}. */
  readonly description: string;
  /** The kycd error code a failure with this status maps to; absent for success statuses. */
  readonly errorCode?: ErrorCode;
}

const entries: readonly SamStatusInfo[] = [
  { sw3: 0x90, meaning: '操作成功', description: 'OK' },
  { sw3: 0x9f, meaning: '寻找居民身份证成功', description: 'card found' },
  { sw3: 0x91, meaning: '居民身份证中无此项内容', description: 'no such item on the card' },
  // 01–09 are status values of the vendors' host libraries; a SAM that sends them reports a link fault.
  {
    sw3: 0x01,
    meaning: '端口打开失败',
    description: 'port open failed',
    errorCode: 'document_sam_transport_failed',
  },
  {
    sw3: 0x02,
    meaning: 'PC 接收超时',
    description: 'PC receive timeout',
    errorCode: 'document_sam_transport_failed',
  },
  {
    sw3: 0x03,
    meaning: '数据传输错误',
    description: 'transfer error',
    errorCode: 'document_sam_transport_failed',
  },
  {
    sw3: 0x05,
    meaning: 'SAM 串口不可用',
    description: 'SAM serial port unavailable',
    errorCode: 'document_sam_transport_failed',
  },
  {
    sw3: 0x09,
    meaning: '打开文件失败',
    description: 'file open failed',
    errorCode: 'document_sam_transport_failed',
  },
  {
    sw3: 0x10,
    meaning: '校验和错',
    description: 'the SAM saw a bad checksum in our frame',
    errorCode: 'document_sam_command_rejected',
  },
  {
    sw3: 0x11,
    meaning: '长度错',
    description: 'the SAM saw a bad length in our frame',
    errorCode: 'document_sam_command_rejected',
  },
  {
    sw3: 0x21,
    meaning: '命令错误',
    description: 'command error',
    errorCode: 'document_sam_command_rejected',
  },
  {
    sw3: 0x23,
    meaning: '越权操作',
    description: 'unauthorised operation',
    errorCode: 'document_sam_not_authorised',
  },
  {
    sw3: 0x24,
    meaning: '无法识别的错误',
    description: 'unknown error',
    errorCode: 'document_sam_status_unknown',
  },
  {
    sw3: 0x80,
    meaning: '寻找居民身份证失败',
    description: 'no card found',
    errorCode: 'document_no_card',
  },
  {
    sw3: 0x81,
    meaning: '选取失败',
    description: 'card select failed',
    errorCode: 'document_sam_card_select_failed',
  },
  {
    sw3: 0x31,
    meaning: '居民身份证认证SAM失败',
    description: 'the card failed to authenticate the SAM',
    errorCode: 'document_sam_card_auth_failed',
  },
  {
    sw3: 0x32,
    meaning: 'SAM认证居民身份证失败',
    description: 'the SAM failed to authenticate the card',
    errorCode: 'document_sam_sam_auth_failed',
  },
  {
    sw3: 0x33,
    meaning: '信息验证失败',
    description: 'information verification failed',
    errorCode: 'document_sam_info_verification_failed',
  },
  {
    sw3: 0x37,
    meaning: '指纹信息验证错误',
    description: 'fingerprint verification failed',
    errorCode: 'document_sam_info_verification_failed',
  },
  {
    sw3: 0x3f,
    meaning: '信息长度错误',
    description: 'information length error',
    errorCode: 'document_sam_read_failed',
  },
  {
    sw3: 0x40,
    meaning: '无法识别的居民身份证类型',
    description: 'unknown card type',
    errorCode: 'document_sam_card_type_unknown',
  },
  {
    sw3: 0x41,
    meaning: '读居民身份证操作失败',
    description: 'reading the card failed',
    errorCode: 'document_sam_read_failed',
  },
  {
    sw3: 0x47,
    meaning: '取随机数失败',
    description: 'get-random failed',
    errorCode: 'document_sam_read_failed',
  },
  {
    sw3: 0x60,
    meaning: 'SAM 自检失败',
    description: 'SAM self-test failed',
    errorCode: 'document_sam_self_test_failed',
  },
  {
    sw3: 0x66,
    meaning: 'SAM 没经过授权',
    description: 'SAM not authorised',
    errorCode: 'document_sam_not_authorised',
  },
];

/**
 * The SAM status table (SW3), keyed by status byte: its Chinese meaning, an English gloss and the
 * stable kycd error code a failure maps to. Statuses not in the table map to
 * `document_sam_status_unknown`.
 */
export const SAM_STATUS: ReadonlyMap<number, SamStatusInfo> = new Map(
  entries.map((e) => [e.sw3, e]),
);

/** SW3 of a successful command. */
export const SAM_SW3_OK = 0x90;
/** SW3 of a successful find-card. */
export const SAM_SW3_CARD_FOUND = 0x9f;
/** SW3 "no such item" (no appended address on the card). */
export const SAM_SW3_NO_SUCH_ITEM = 0x91;

/** Looks a status byte up, with a synthetic entry for unknown ones. */
export function samStatusInfo(sw3: number): SamStatusInfo {
  return (
    SAM_STATUS.get(sw3) ?? {
      sw3,
      meaning: '未知状态',
      description: `undocumented status 0x${sw3.toString(16).padStart(2, '0')}`,
      errorCode: 'document_sam_status_unknown',
    }
  );
}
