import { KycdError } from '@kycd/plugin-sdk';
import type { RegistrationServices } from '../sessions/createSessionServices.js';
import type { RegistrationStatusEvent } from './OutboxWorker.js';
import type { RegistrationService } from './startRegistrationService.js';

const PHOTO_MEDIA_TYPES = {
  jpeg: 'image/jpeg',
  jpeg2000: 'image/jp2',
  wlt: 'application/x-wlt',
  bmp: 'image/bmp',
} as const;

/** The wire form of `registration.status` (plugin-sdk EVENTS): id, status, reason when rejected. */
export interface WireRegistrationStatus {
  readonly registrationId: string;
  readonly status: 'queued' | 'delivered' | 'rejected';
  readonly reason?: { readonly code: string; readonly message: string };
}

/**
 * Map a worker status to the wire event's data: retries stay `queued` without a reason, except a
 * registration held because the carrier refused the terminal (401/403), which says so
 * (`registration_delivery_failed`, the worker's reason); `rejected` carries the carrier's reason.
 */
export function toWireRegistrationStatus(event: RegistrationStatusEvent): WireRegistrationStatus {
  return {
    registrationId: event.registrationId,
    status: event.status,
    ...(event.status === 'queued' && event.held !== undefined
      ? {
          reason: {
            code: 'registration_delivery_failed',
            message: (event.lastError ?? 'held: the carrier refused this terminal').slice(0, 1024),
          },
        }
      : {}),
    ...(event.status === 'rejected'
      ? {
          reason: {
            code: 'registration_rejected',
            message: (event.reason ?? 'rejected by the carrier').slice(0, 1024),
          },
        }
      : {}),
  };
}

/**
 * The session row's state while the flow submits its registration (`persistSession` writes it
 * when the flow enters the step): the only state in which a registration can be confirmed.
 */
export const CONFIRMABLE_SESSION_STATES: readonly string[] = ['registration.submitting'];

/**
 * What the confirmation moves the session row to, in the transaction that queues the record:
 * once the signed record is in the outbox the session's outcome is settled (the flow's own
 * `completed` follows in memory and writes the same row again).
 */
export const CONFIRMED_SESSION_ROW = { state: 'completed', step: 'done' } as const;

/**
 * The session's `submitRegistration` backed by the registration service: confirms — in ONE
 * SQLite transaction it checks the session row is in {@link CONFIRMABLE_SESSION_STATES}, queues
 * the signed record in the outbox, moves the row to {@link CONFIRMED_SESSION_ROW} and appends
 * the audit row, so a crash leaves either all of it or none — publishes `registration.status` `queued`
 * and then every change for that registration (delivered, or rejected with a reason) into the
 * session's event log, and resolves `queued` — or `delivered` when the carrier answered within
 * `waitForDeliveryMs` (default 0: never wait). With `privacy.evidence.retain` on, the chip photo
 * and the best live frame are stored encrypted as evidence. Abort before the write leaves nothing behind;
 * once written, the registration is delivered whatever happens to the session.
 */
export function createRegistrationServices(options: {
  service: RegistrationService;
  storeId: string;
  waitForDeliveryMs?: number;
  /**
   * Manifest ids of the models behind the evidence (e.g. `analysis.embedder.modelId` for the
   * match, the anti-spoof model for liveness); they go into the record.
   */
  models?: { readonly match?: string; readonly liveness?: readonly string[] };
}): RegistrationServices {
  const { service } = options;
  return {
    async submitRegistration(input) {
      if (input.signal.aborted)
        throw new KycdError(
          'session_registration_failed',
          'the session left the registration step before it was written',
        );
      const { worker } = service;
      let finished = false;
      let deliveredNow = false;
      let resolveDelivered: (() => void) | undefined;
      const delivered = new Promise<void>((resolve) => (resolveDelivered = resolve));
      const onStatus = (event: RegistrationStatusEvent): void => {
        if (event.registrationId !== input.registrationId) return;
        if (event.status === 'queued') {
          // Held (the carrier refused this terminal): tell the POS why it is not delivered yet.
          if (event.held !== undefined)
            try {
              input.publish('registration.status', toWireRegistrationStatus(event));
            } catch {
              // the session is gone
            }
          return;
        }
        finished = true;
        worker.off('registration.status', onStatus);
        try {
          input.publish('registration.status', toWireRegistrationStatus(event));
        } catch {
          // the session is gone; the outbox and the audit trail still have the outcome.
        }
        if (event.status === 'delivered') {
          deliveredNow = true;
          resolveDelivered?.();
        }
      };
      worker.on('registration.status', onStatus);
      try {
        // The session row: when it started and when its steps finished (persistSession).
        const row = service.store.sessions.get(input.sessionId);
        worker.confirm({
          ...(row === undefined ? {} : { sessionStartedAt: row.createdAt }),
          // documentReadAt, livenessCompletedAt, matchedAt: the milestones' own names
          ...row?.milestones,
          registrationId: input.registrationId,
          sessionId: input.sessionId,
          terminalId: input.terminalId,
          msisdn: input.confirmation.msisdn,
          operatorId: input.confirmation.operatorId,
          storeId: options.storeId,
          document: input.document,
          liveness: {
            passed: input.liveness.verdict.passed,
            ...(input.liveness.verdict.reasons.length === 0
              ? {}
              : { reasons: [...input.liveness.verdict.reasons] }),
            ...livenessSummary(input.liveness.evidence),
            ...(options.models?.liveness === undefined
              ? {}
              : { models: [...options.models.liveness] }),
            // Timeline, scores and frame hashes (never images), made plain JSON — of the passing
            // attempt, with the records of the failed attempts before it (an attack that
            // failed once and then passed must stay visible in the record).
            evidence: JSON.parse(
              JSON.stringify({
                ...input.liveness.evidence,
                ...((input.earlierFaceAttempts ?? []).length === 0
                  ? {}
                  : { earlierAttempts: input.earlierFaceAttempts }),
              }),
            ) as Record<string, unknown>,
          },
          match: {
            passed: input.match.decision === 'match',
            similarity: input.match.score,
            threshold: input.match.threshold,
            decision: input.match.decision,
            ...(options.models?.match === undefined ? {} : { modelId: options.models.match }),
          },
          requireSessionState: CONFIRMABLE_SESSION_STATES,
          sessionUpdate: { terminalId: input.terminalId, ...CONFIRMED_SESSION_ROW },
        });
      } catch (err) {
        worker.off('registration.status', onStatus);
        throw err;
      }
      if (service.vault.retaining) {
        // Evidence retention is on: keep the chip photo and the live frame, encrypted, until purged.
        try {
          const photo = input.document.photo;
          if (photo !== undefined)
            service.vault.put(
              input.sessionId,
              'chip_photo',
              PHOTO_MEDIA_TYPES[photo.format],
              photo.encoded,
            );
          const frame = input.liveness.bestFrame;
          if (frame !== undefined)
            service.vault.put(
              input.sessionId,
              'live_frame',
              `image/x-raw-rgb; width=${frame.width}; height=${frame.height}`,
              frame.data,
            );
        } catch (err) {
          // The registration is already durable; losing optional evidence must not fail it.
          service.worker.emit('error', err instanceof Error ? err : new Error(String(err)));
        }
      }
      if (!finished)
        input.publish('registration.status', {
          registrationId: input.registrationId,
          status: 'queued',
        } satisfies WireRegistrationStatus);
      const wait = options.waitForDeliveryMs ?? 0;
      if (wait > 0 && !finished) {
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([
          delivered,
          new Promise<void>((resolve) => (timer = setTimeout(resolve, wait))),
        ]);
        clearTimeout(timer);
      }
      return { status: deliveredNow ? 'delivered' : 'queued' };
    },
  };
}

/**
 * The headline figures of a liveness evidence record (see `LivenessEvidenceRecord`): the
 * challenges asked, the mean passive anti-spoof score and its threshold, the duration. Only
 * what is present and well-typed is taken.
 */
function livenessSummary(evidence: Readonly<Record<string, unknown>>): {
  challenges?: string[];
  antiSpoofScore?: number;
  antiSpoofThreshold?: number;
  durationMs?: number;
} {
  const scores = (evidence.scores ?? {}) as Record<string, unknown>;
  const challenges = evidence.challenges;
  const num = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
  return {
    ...(Array.isArray(challenges) && challenges.every((c) => typeof c === 'string')
      ? { challenges: [...(challenges as string[])] }
      : {}),
    ...(num(scores.antiSpoofMean) ? { antiSpoofScore: scores.antiSpoofMean } : {}),
    ...(num(scores.antiSpoofThreshold) ? { antiSpoofThreshold: scores.antiSpoofThreshold } : {}),
    ...(num(evidence.durationMs) ? { durationMs: evidence.durationMs } : {}),
  };
}
