import { KycdError } from '@kycd/plugin-sdk';
import {
  sessionMachine,
  sessionStateOf,
  type DocumentReadProgress,
  type DocumentReadSummary,
  type FaceCapturePhase,
  type ReviewDecision,
  type SessionDevice,
  type SessionDocumentKind,
  type SessionFlowConfig,
} from '@kycd/state-machines';
import type { Logger } from 'pino';
import { createActor, fromCallback, fromPromise } from 'xstate';
import type { DocumentReadResult } from '../documents/DocumentReadResult.js';
import type { Session } from './Session.js';
import type { SessionFlow, SessionFlowEvent, SessionStartOptions } from './SessionFlow.js';
import type { FaceCaptureOutcome, SessionServices } from './SessionServices.js';
import { summarizeDocument } from './summarizeDocument.js';
import type { PosResultLevel } from '../privacy/shapePosResult.js';

/** Events the daemon itself (drivers, presence watch) sends the machine. */
type DriverEvent =
  | { type: 'DOCUMENT.PRESENTED'; documentKind: SessionDocumentKind }
  | { type: 'DOCUMENT.PROGRESS'; progress: DocumentReadProgress }
  | { type: 'FACE.PHASE'; phase: FaceCapturePhase }
  | { type: 'DEVICE.LOST' | 'DEVICE.RESTORED'; device: SessionDevice };

export interface CreateSessionFlowOptions {
  services: SessionServices;
  flowConfig: Partial<SessionFlowConfig>;
  logger: Logger;
  /** How much of the document the POS sees (config `privacy.posResult`; default `summary`). */
  posResult?: PosResultLevel;
  /** Called when the flow ends, whatever the outcome (persistence, audit). */
  onFinished?: (session: Session) => void;
}

/**
 * The session orchestrator: runs {@link sessionMachine} for one session with actors backed by
 * the given services, keeps the personal data (document, best frame) out of the machine and in
 * this closure only, and turns what the machine emits into the session's wire events.
 */
export function createSessionFlow(
  session: Session,
  start: SessionStartOptions,
  options: CreateSessionFlowOptions,
): SessionFlow {
  const { services, logger } = options;
  const log = logger.child({ session: session.id });
  const publish = (event: string, data: unknown): void => {
    session.publish(event, data);
  };
  // Private to this session: never put into machine context.
  let document: DocumentReadResult | undefined;
  let face: FaceCaptureOutcome | undefined;
  // Evidence of every face attempt, failed ones included (numbers and hashes, no images).
  // Every attempt's evidence, on the session so the store can keep it when the session ends.
  const faceEvidence = session.faceEvidence;
  let match:
    | { score: number; threshold: number; decision: 'match' | 'no_match' | 'inconclusive' }
    | undefined;
  let registrationId: string | undefined;
  let review: ReviewDecision | undefined;
  let stopped = false;

  const machine = sessionMachine.provide({
    actors: {
      documentPresence: fromCallback(({ sendBack }) =>
        services.watchDocument((e) =>
          sendBack(
            e.type === 'presented'
              ? { type: 'DOCUMENT.PRESENTED', documentKind: e.kind }
              : { type: 'DOCUMENT.REMOVED' },
          ),
        ),
      ),
      readDocument: fromPromise(async ({ input, signal }): Promise<DocumentReadSummary> => {
        const result = await services.readDocument({
          kind: input.documentKind,
          credentials: input.credentials,
          attempt: input.attempt,
          sessionId: session.id,
          signal,
          publish,
          // Progress goes through the machine: it moves the read's phase and comes back as
          // `document.progress` (see actor.on below).
          onProgress: (progress) => {
            if (!signal.aborted) deliver({ type: 'DOCUMENT.PROGRESS', progress });
          },
        });
        document = result;
        const summary = summarizeDocument(result, options.posResult ?? 'summary');
        session.document = summary;
        publish('document.read', summary);
        return {
          kind: result.kind,
          hasPhoto: result.photo?.rgb !== undefined,
          genuine: result.authenticity.genuine,
          ...(authenticityCode(result) === undefined
            ? {}
            : { authenticityCode: authenticityCode(result) as string }),
          ...(result.photoUnavailable === undefined
            ? {}
            : { photoUnavailableCode: result.photoUnavailable.code }),
        };
      }),
      captureFace: fromPromise(async ({ input, signal }) => {
        const outcome = await services.captureFace({
          attempt: input.attempt,
          sessionId: session.id,
          signal,
          publish,
          onPhase: (phase) => {
            if (!signal.aborted) deliver({ type: 'FACE.PHASE', phase });
          },
        });
        face = outcome;
        faceEvidence.push(outcome.evidence);
        session.liveness = {
          passed: outcome.verdict.passed,
          reasons: [...outcome.verdict.reasons],
        };
        publish('liveness.result', session.liveness);
        return outcome.verdict;
      }),
      matchFace: fromPromise(async ({ signal }) => {
        if (document === undefined || face?.bestFrame === undefined) {
          throw new KycdError('internal', 'match without a document photo and a live frame');
        }
        const result = await services.matchFace({ live: face.bestFrame, document, signal });
        match = result;
        session.match = { ...result };
        publish('match.result', result);
        return result;
      }),
      submitRegistration: fromPromise(async ({ input, signal }) => {
        if (
          document === undefined ||
          face === undefined ||
          match === undefined ||
          registrationId === undefined
        ) {
          throw new KycdError('internal', 'registration before document, liveness and match');
        }
        const result = await services.submitRegistration({
          sessionId: session.id,
          terminalId: session.terminalId,
          registrationId,
          confirmation: input,
          document,
          liveness: face,
          earlierFaceAttempts: faceEvidence.slice(0, -1),
          match,
          ...(review === undefined ? {} : { review }),
          signal,
          publish,
        });
        session.registration = { registrationId, status: result.status };
        session.changed();
        return result;
      }),
    },
  });

  const actor = createActor(machine, {
    input: {
      sessionId: session.id,
      config: options.flowConfig,
      ...(start.consent === undefined
        ? {}
        : {
            consent: {
              givenAtMs: start.consent.givenAt.getTime(),
              textId: start.consent.textVersion,
            },
          }),
    },
  });
  actor.on('session.state', (e) => {
    // The operator's decision as the machine recorded it, on the session before the state
    // change is persisted (the store keeps it with the row).
    const recorded = actor.getSnapshot().context.review;
    if (recorded !== undefined && review === undefined) {
      review = recorded;
      session.review = { ...recorded, decidedAt: new Date().toISOString() };
    }
    session.setState(e.state, e.step, e.reason);
    if (session.finished) finish();
    // A document put on the reader while the flow was busy elsewhere (reading, retrying) sent
    // its presence event then; tell the machine again now that it waits for one.
    if (e.state === 'document.waiting') {
      queueMicrotask(() => {
        const kind = services.presentDocument();
        if (kind !== undefined) deliver({ type: 'DOCUMENT.PRESENTED', documentKind: kind });
      });
    }
  });
  actor.on('document.progress', (e) => publish('document.progress', e.progress));
  const subscription = actor.subscribe({
    error: (err) => {
      log.error({ err: err instanceof Error ? err.message : String(err) }, 'session flow crashed');
      session.setState('failed', 'done', {
        code: 'internal',
        message: 'the session flow failed unexpectedly',
      });
      finish();
    },
  });

  /**
   * Send an event from a driver or the presence watch when the machine takes it now; otherwise
   * log that it was ignored (type and state only, never a payload) so a lost event is visible.
   */
  function deliver(event: DriverEvent): void {
    if (stopped) {
      log.debug({ event: event.type }, 'session event ignored: the flow has ended');
      return;
    }
    const snapshot = actor.getSnapshot();
    if (snapshot.can(event)) actor.send(event);
    else
      log.debug(
        { event: event.type, state: sessionStateOf(snapshot).state },
        'session event ignored in this state',
      );
  }

  const unwatchDevices = services.watchDevices?.((e) => {
    deliver({ type: e.type === 'lost' ? 'DEVICE.LOST' : 'DEVICE.RESTORED', device: e.device });
  });

  function finish(): void {
    if (stopped) return;
    stopped = true;
    unwatchDevices?.();
    // Release personal data as soon as the session has ended.
    document = undefined;
    face = undefined;
    faceEvidence.length = 0;
    options.onFinished?.(session);
    queueMicrotask(() => {
      subscription.unsubscribe();
      actor.stop();
    });
  }

  actor.start();
  return {
    accepts: (event) => !stopped && actor.getSnapshot().can(toMachineEvent(event)),
    send: (event) => {
      const machineEvent = toMachineEvent(event);
      if (stopped || !actor.getSnapshot().can(machineEvent)) {
        log.warn(
          { event: event.type, state: session.state },
          'session event ignored in this state',
        );
        return;
      }
      if (event.type === 'REGISTRATION.CONFIRMED')
        registrationId = event.confirmation.registrationId;
      actor.send(machineEvent);
    },
    stop: () => {
      if (stopped) return;
      stopped = true;
      unwatchDevices?.();
      subscription.unsubscribe();
      actor.stop();
      document = undefined;
      face = undefined;
      faceEvidence.length = 0;
    },
  };
}

function toMachineEvent(event: SessionFlowEvent) {
  switch (event.type) {
    case 'REGISTRATION.CONFIRMED':
      return {
        type: event.type,
        confirmation: {
          msisdn: event.confirmation.msisdn,
          operatorId: event.confirmation.operatorId,
        },
      } as const;
    default:
      return event;
  }
}

function authenticityCode(result: DocumentReadResult): string | undefined {
  const a = result.authenticity;
  for (const check of [a.passiveAuthentication, a.chipAuthentication, a.activeAuthentication]) {
    if (check.status === 'failed') return check.code ?? 'document_not_genuine';
  }
  return a.genuine ? undefined : (a.passiveAuthentication.code ?? 'document_not_genuine');
}
