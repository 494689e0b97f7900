import { KycdError } from '@kycd/plugin-sdk';
import type { DeviceRegistry } from '../devices/DeviceRegistry.js';
import type { SessionConfig } from '../config/sections/session.js';
import type { SessionRegistry } from '../sessions/SessionRegistry.js';
import type { DocumentCredentials } from '../sessions/SessionFlow.js';
import type { CallContext, Dispatcher } from './ApiConnection.js';
import { checkSessionDevices } from './checkSessionDevices.js';
import { parseMrzCredentials } from '../documents/icao/EmrtdCredentials.js';

/** How long `session.confirmRegistration` waits for the record to be written before it answers. */
const CONFIRM_ANSWER_TIMEOUT_MS = 10_000;

/** A handler gets params already validated by the method's schema. */
export type MethodHandler = (params: never, ctx: CallContext) => unknown;

export interface DispatcherDeps {
  sessions: SessionRegistry;
  devices: DeviceRegistry;
  sessionConfig: SessionConfig;
  /** `sim.*` handlers, present only under `--sim`. */
  simulator?: Readonly<Record<string, MethodHandler>>;
  /** Creates a registration id for a confirmation (the store's outbox provides it). */
  newRegistrationId: () => string;
}

interface SessionRef {
  sessionId: string;
}

/**
 * The request handlers of API v1 (everything but `hello`, which the connection answers).
 * Params reach a handler only after the method's schema accepted them.
 */
export function createDispatcher(deps: DispatcherDeps): Dispatcher {
  const { sessions, devices } = deps;

  const handlers: Record<string, MethodHandler> = {
    'devices.list': () => ({ devices: devices.list() }),

    'session.start': (
      params: {
        consent: { accepted: true; textVersion: string };
        documentKinds?: string[];
        msisdn?: string;
        reference?: string;
      },
      ctx,
    ) => {
      if (!deps.sessionConfig.consentVersions.includes(params.consent.textVersion)) {
        throw new KycdError(
          'invalid_params',
          `consent text version ${JSON.stringify(params.consent.textVersion)} is not one this daemon accepts`,
          {
            data: { accepted: deps.sessionConfig.consentVersions },
          },
        );
      }
      const unavailable = checkSessionDevices(devices.list(), params.documentKinds);
      if (unavailable !== undefined) {
        const needs = unavailable.missing
          .map((m) => (m.need === 'camera' ? 'a camera' : 'a document reader'))
          .join(' and ');
        throw new KycdError(
          'device_unavailable',
          `no usable ${needs}: plug it in or wait for it to recover (devices.list shows the states)`,
          { data: { missing: unavailable.missing } },
        );
      }
      const options: { documentKinds?: string[]; msisdn?: string; reference?: string } = {};
      if (params.documentKinds !== undefined) options.documentKinds = params.documentKinds;
      if (params.msisdn !== undefined) options.msisdn = params.msisdn;
      if (params.reference !== undefined) options.reference = params.reference;
      const consent = { textVersion: params.consent.textVersion, givenAt: new Date() };
      const session = sessions.start(ctx.terminal.id, { ...options, consent }, (created) =>
        ctx.connection.subscribe(created.id, (s) => created.subscribe(s)),
      );
      return session.view();
    },

    'session.get': (params: SessionRef, ctx) =>
      sessions.get(ctx.terminal.id, params.sessionId).view(),

    'session.cancel': (params: SessionRef & { reason?: string }, ctx) => {
      const session = sessions.get(ctx.terminal.id, params.sessionId);
      if (session.finished) {
        throw new KycdError(
          'conflict',
          `session is already ${session.state}; there is nothing to cancel`,
          { data: { state: session.state } },
        );
      }
      return sessions
        .send(
          ctx.terminal.id,
          params.sessionId,
          params.reason === undefined
            ? { type: 'CANCEL' }
            : { type: 'CANCEL', reason: params.reason },
        )
        .view();
    },

    'session.provideMrz': (params: SessionRef & Record<string, string>, ctx) => {
      sessions.send(ctx.terminal.id, params.sessionId, {
        type: 'CREDENTIALS.PROVIDED',
        credentials: toCredentials(params),
      });
      return { accepted: true };
    },

    'session.confirmRegistration': async (
      params: SessionRef & { msisdn: string; operatorId: string },
      ctx,
    ) => {
      const registrationId = deps.newRegistrationId();
      const session = sessions.send(ctx.terminal.id, params.sessionId, {
        type: 'REGISTRATION.CONFIRMED',
        confirmation: { msisdn: params.msisdn, operatorId: params.operatorId, registrationId },
      });
      // Answer once the signed record is durably in the outbox (or the flow failed): the POS is
      // never told "queued" about a registration that was not written.
      await session
        .until(
          () => session.registration?.registrationId === registrationId || session.finished,
          CONFIRM_ANSWER_TIMEOUT_MS,
        )
        .catch(() => undefined);
      if (session.registration?.registrationId === registrationId)
        return { registrationId, status: session.registration.status };
      throw new KycdError(
        'conflict',
        session.failure === undefined
          ? 'the registration could not be written yet; read the session'
          : `the registration was not written: ${session.failure.message}`,
        {
          data: {
            state: session.state,
            ...(session.failure === undefined ? {} : { reason: session.failure }),
          },
        },
      );
    },

    'session.review': (
      params: SessionRef & { operatorId: string; approve: boolean; note?: string },
      ctx,
    ) => {
      const event = {
        type: 'REVIEW.DECIDED' as const,
        operatorId: params.operatorId,
        approve: params.approve,
        ...(params.note === undefined ? {} : { note: params.note }),
      };
      return sessions.send(ctx.terminal.id, params.sessionId, event).view();
    },

    'session.resume': (params: SessionRef & { afterSeq: number }, ctx) => {
      const session = sessions.get(ctx.terminal.id, params.sessionId);
      const missed = session.log.since(params.afterSeq);
      if (missed === undefined) {
        throw new KycdError(
          'conflict',
          'the events after that seq are no longer kept; read the session with session.get',
          {
            data: { lastSeq: session.log.lastSeq },
          },
        );
      }
      if (params.afterSeq > session.log.lastSeq) {
        throw new KycdError(
          'invalid_params',
          `afterSeq ${params.afterSeq} is beyond the last event (${session.log.lastSeq})`,
        );
      }
      // Subscribe now with live events held, answer, then replay the missed events and release
      // the held ones: the client sees the response first, then every event once and in order.
      const release = ctx.connection.subscribeHeld(session.id, (s) => session.subscribe(s));
      ctx.afterResponse(() => {
        for (const e of missed) ctx.connection.deliver(e.frame);
        release();
      });
      return { snapshot: session.view(), replayed: missed.length };
    },
  };

  return async (method, params, ctx) => {
    // The connection's parser already answered unknown methods, and `forbidden` for sim.* on a
    // daemon without --sim; own properties only, so no inherited name can reach a handler.
    const handler = Object.hasOwn(handlers, method)
      ? handlers[method]
      : deps.simulator !== undefined && Object.hasOwn(deps.simulator, method)
        ? deps.simulator[method]
        : undefined;
    if (handler === undefined)
      throw new KycdError('unknown_method', `unknown method ${JSON.stringify(method)}`);
    return (handler as (p: unknown, c: CallContext) => unknown)(params, ctx);
  };
}

function toCredentials(params: Record<string, string>): DocumentCredentials {
  if (params.can !== undefined) return { kind: 'can', can: params.can };
  if (params.mrz !== undefined) return mrzToCredentials(params.mrz);
  return {
    kind: 'mrz',
    documentNumber: params.documentNumber ?? '',
    dateOfBirth: params.birthDate ?? '',
    dateOfExpiry: params.expiryDate ?? '',
  };
}

/**
 * The BAC/PACE key fields from a full TD1/TD2/TD3 MRZ (lines joined by newlines or not), parsed
 * and check-digit verified exactly as the CLI does it (`parseMrzCredentials`, the `mrz`
 * package; a long TD1 document number is reassembled). A bad MRZ is `invalid_params` whose
 * `data.field` names the bad field (`documentNumber`, `birthDate`, `expiryDate` or `mrz`).
 */
export function mrzToCredentials(mrz: string): DocumentCredentials {
  try {
    const c = parseMrzCredentials(mrz);
    return {
      kind: 'mrz',
      documentNumber: c.documentNumber,
      dateOfBirth: c.birthDate,
      dateOfExpiry: c.expiryDate,
    };
  } catch (err) {
    if (err instanceof KycdError && err.code === 'document_credentials_invalid')
      throw new KycdError('invalid_params', err.message, { data: { ...err.data } });
    throw err;
  }
}
