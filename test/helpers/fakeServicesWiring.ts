import { KycdError } from '@kycd/plugin-sdk';
import {
  createSessionFlow,
  type DocumentReadResult,
  type SessionServices,
  type Wiring,
} from '@kycd/daemon';

/** A made-up resident ID as a reader would return it (no real person). */
export const FAKE_DOCUMENT: DocumentReadResult = {
  kind: 'emrtd',
  accessControl: 'PACE',
  fields: {
    documentType: 'P',
    documentNumber: 'L898902C3',
    fullName: 'ANNA MARIA ERIKSSON',
    issuingState: 'UTO',
    expiryDate: '2030-04-15',
  },
  photo: {
    format: 'jpeg',
    encoded: new Uint8Array([0xff, 0xd8]),
    rgb: { data: new Uint8Array(3 * 4), width: 2, height: 2 },
  },
  authenticity: {
    passiveAuthentication: { status: 'passed' },
    chipAuthentication: { status: 'passed' },
    activeAuthentication: { status: 'not_supported' },
    genuine: true,
  },
  timing: { total: 1 },
};

export interface FakeBehaviour {
  /** The first read fails with this code (e.g. credentials required). */
  firstReadError?: string;
  livenessPassed?: boolean;
  matchScore?: number;
  /** Writing the registration fails with this code (e.g. a full disk). */
  registrationError?: string;
  /** Answer the match `inconclusive` (with `manualReview` on, the session waits for session.review). */
  inconclusiveMatch?: boolean;
  manualReview?: boolean;
}

/**
 * Real session machine and orchestrator over fake services: the document is on the reader
 * from the start, liveness and match answer as told. For API-level flow tests.
 */
export function fakeServicesWiring(
  behaviour: FakeBehaviour = {},
): Wiring & { credentialsSeen: unknown[]; reviewsSeen: unknown[] } {
  const credentialsSeen: unknown[] = [];
  const reviewsSeen: unknown[] = [];
  let reads = 0;
  const services: SessionServices = {
    presentDocument: () => undefined,
    watchDocument(onEvent) {
      queueMicrotask(() => onEvent({ type: 'presented', kind: 'emrtd' }));
      return () => undefined;
    },
    async readDocument({ credentials, onProgress }) {
      credentialsSeen.push(credentials);
      reads++;
      if (reads === 1 && behaviour.firstReadError !== undefined && credentials === undefined) {
        throw new KycdError(behaviour.firstReadError as never, 'first read fails as told');
      }
      onProgress({ phase: 'accessControl', protocol: 'PACE' });
      onProgress({ phase: 'read', file: 'DG2', bytesRead: 100, totalBytes: 100 });
      onProgress({ phase: 'verify' });
      return FAKE_DOCUMENT;
    },
    async captureFace({ publish, onPhase }) {
      onPhase?.('liveness');
      publish('liveness.challenge', { challenge: 'blink', index: 0, total: 1, deadlineMs: 5000 });
      const passed = behaviour.livenessPassed ?? true;
      return {
        verdict: { passed, reasons: passed ? [] : ['liveness_no_blink'] },
        bestFrame: { data: new Uint8Array(12), width: 2, height: 2 },
        evidence: {},
      };
    },
    async matchFace() {
      const score = behaviour.matchScore ?? 0.8;
      if (behaviour.inconclusiveMatch === true)
        return { score, threshold: 0.35, decision: 'inconclusive' };
      return { score, threshold: 0.35, decision: score >= 0.35 ? 'match' : 'no_match' };
    },
    async submitRegistration(input) {
      reviewsSeen.push(input.review);
      if (behaviour.registrationError !== undefined)
        throw new KycdError(behaviour.registrationError as never, 'the store refused the write');
      return { status: 'queued' };
    },
  };
  return {
    credentialsSeen,
    reviewsSeen,
    flowFactory: (deps) => (session, start) =>
      createSessionFlow(session, start, {
        services,
        logger: deps.logger,
        flowConfig: {
          faceRetryDelayMs: 10,
          documentRetryDelayMs: 10,
          manualReview: behaviour.manualReview ?? false,
        },
      }),
  };
}
