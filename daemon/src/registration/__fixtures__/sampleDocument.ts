import type { DocumentReadResult } from '../../documents/DocumentReadResult.js';
import type { LivenessEvidence, MatchEvidence } from '../RegistrationRecord.js';

/** A resident-ID read with made-up data (GB 11643 test-style number), for registration tests. */
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
    issuingAuthority: '北京市公安局朝阳分局',
    ethnicity: '汉',
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

export const SAMPLE_LIVENESS: LivenessEvidence = {
  passed: true,
  challenges: ['turn_left', 'blink'],
  antiSpoofScore: 0.97,
  antiSpoofThreshold: 0.8,
  models: ['fr_liveness'],
};
export const SAMPLE_MATCH: MatchEvidence = {
  passed: true,
  similarity: 0.71,
  threshold: 0.45,
  modelId: 'fr_feature',
};
