import type { ConfirmRegistrationInput, DocumentReadResult, KycdConfig } from '@kycd/daemon';
import { parseConfig } from '@kycd/daemon';

/** A resident-ID read with made-up data, for registration tests. */
export const SAMPLE_DOCUMENT: DocumentReadResult = {
  kind: 'cn-resident-id',
  accessControl: 'SAM',
  fields: {
    documentType: 'cn-resident-id',
    documentNumber: '11010519491231002X',
    fullName: '张三',
    sex: 'male',
    birthDate: '1949-12-31',
    address: '北京市朝阳区测试路1号',
    expiryDate: 'long-term',
  },
  photo: { format: 'wlt', encoded: new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]) },
  authenticity: {
    passiveAuthentication: { status: 'passed' },
    chipAuthentication: { status: 'not_supported' },
    activeAuthentication: { status: 'not_supported' },
    genuine: true,
  },
  timing: { total: 850 },
};

/** Confirmation input for session `sessionId`. */
export function confirmInput(
  sessionId: string,
  over: Partial<ConfirmRegistrationInput> = {},
): ConfirmRegistrationInput {
  return {
    sessionId,
    terminalId: 'till-1',
    msisdn: '+8613800138000',
    operatorId: 'op-7',
    storeId: 'store-1',
    document: SAMPLE_DOCUMENT,
    liveness: {
      passed: true,
      challenges: ['turn_left', 'blink'],
      antiSpoofScore: 0.97,
      antiSpoofThreshold: 0.8,
    },
    match: { passed: true, similarity: 0.71, threshold: 0.45 },
    ...over,
  };
}

/** The `registration` section with fast retries, pointed at `endpoint`. */
export function fastRegistrationConfig(
  endpoint: string,
  over: Partial<KycdConfig['registration']> = {},
): KycdConfig['registration'] {
  const base = parseConfig({
    registration: {
      endpoint,
      requestTimeoutMs: 500,
      retry: { initialDelayMs: 20, maxDelayMs: 200, jitter: 0 },
    },
  }).registration;
  return { ...base, ...over };
}
