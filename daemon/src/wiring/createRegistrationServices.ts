import type { KycdConfig } from '../config/KycdConfig.js';
import type { RegistrationService } from '../registration/startRegistrationService.js';
import type { RegistrationServices } from '../sessions/createSessionServices.js';

export interface RegistrationServicesOptions {
  service: RegistrationService;
  config: KycdConfig;
  /** Publish an event into a session's log (the outbox reports long after the flow moved on). */
  publishToSession: (sessionId: string, event: string, data: unknown) => void;
}

/**
 * The registration side of a session: the signed record goes into the outbox in one
 * transaction with the session row (`queued`), and the outbox worker's later `delivered` /
 * `rejected` reach the POS as `registration.status` on the same session.
 */
export function createRegistrationServices(options: RegistrationServicesOptions): RegistrationServices & { dispose(): void } {
  const { service, config } = options;
  const onStatus = (e: { registrationId: string; sessionId: string; status: string; reason?: string }): void => {
    options.publishToSession(e.sessionId, 'registration.status', {
      registrationId: e.registrationId,
      status: e.status,
      ...(e.reason === undefined ? {} : { reason: e.reason }),
    });
  };
  service.worker.on('registration.status', onStatus);
  return {
    async submitRegistration(input) {
      const verdict = input.liveness.verdict;
      const evidence = input.liveness.evidence as { challenges?: readonly string[]; durationMs?: number; scores?: { antiSpoofMean?: number; antiSpoofThreshold?: number } };
      const confirmed = service.worker.confirm({
        registrationId: input.registrationId,
        sessionId: input.sessionId,
        terminalId: input.terminalId,
        msisdn: input.confirmation.msisdn,
        operatorId: input.confirmation.operatorId,
        storeId: config.store.storeId,
        document: input.document,
        liveness: {
          passed: verdict.passed,
          ...(evidence.challenges === undefined ? {} : { challenges: [...evidence.challenges] }),
          ...(evidence.scores?.antiSpoofMean === undefined ? {} : { antiSpoofScore: evidence.scores.antiSpoofMean }),
          ...(evidence.scores?.antiSpoofThreshold === undefined ? {} : { antiSpoofThreshold: evidence.scores.antiSpoofThreshold }),
          ...(evidence.durationMs === undefined ? {} : { durationMs: evidence.durationMs }),
        },
        match: { passed: input.match.decision === 'match', similarity: input.match.score, threshold: input.match.threshold },
        sessionUpdate: { terminalId: input.terminalId, state: 'registration.submitting', step: 'registration' },
      });
      return { status: confirmed.entry.status === 'delivered' ? 'delivered' : 'queued' };
    },
    dispose: () => service.worker.off('registration.status', onStatus),
  };
}
