import { randomUUID } from 'node:crypto';
import type { RegistrationConfig } from '../config/sections/registration.js';
import type { DocumentReadResult } from '../documents/DocumentReadResult.js';
import type { SessionUpsert } from '../store/SessionTable.js';
import type { Store } from '../store/Store.js';
import { StoreError } from '../store/StoreError.js';
import { canonicalJson } from './canonicalJson.js';
import {
  buildRegistrationRecord,
  type LivenessEvidence,
  type MatchEvidence,
  type RegistrationRecord,
} from './RegistrationRecord.js';
import type { OutboxEntry } from './RegistrationOutbox.js';
import type { TerminalSigningKey } from './TerminalSigningKey.js';

/** What `session.confirmRegistration` hands over. */
export interface ConfirmRegistrationInput {
  /** The registration id (also the Idempotency-Key); default a fresh UUID. */
  readonly registrationId?: string;
  readonly sessionId: string;
  readonly terminalId: string;
  readonly msisdn: string;
  readonly operatorId: string;
  readonly storeId: string;
  readonly document: DocumentReadResult;
  readonly liveness: LivenessEvidence;
  readonly match: MatchEvidence;
  readonly sessionStartedAt?: number;
  readonly documentReadAt?: number;
  readonly livenessCompletedAt?: number;
  readonly matchedAt?: number;
  /**
   * When given, the session must exist in one of these states, else the confirmation fails with
   * `registration_not_confirmable` (e.g. `['awaiting_confirmation']`).
   */
  readonly requireSessionState?: readonly string[];
  /** The session row to write in the same transaction (e.g. `{ state: 'registered' }`). */
  readonly sessionUpdate?: Omit<SessionUpsert, 'id'>;
}

/** The outcome: the queued outbox entry, the record and its signature. */
export interface ConfirmedRegistration {
  readonly registrationId: string;
  readonly sessionId: string;
  readonly record: RegistrationRecord;
  /** The canonical JSON that was signed and will be POSTed. */
  readonly recordJson: string;
  readonly signature: string;
  readonly keyId: string;
  readonly entry: OutboxEntry;
}

/**
 * Confirm a session's registration: build the record, canonicalise (RFC 8785) and sign it with
 * the terminal key, and — in ONE transaction — check the session may be confirmed, queue the
 * record in the outbox, move the session on and append the audit row. After it returns the
 * registration is durable (WAL, synchronous=FULL) and will be delivered, whatever crashes.
 *
 * @throws {StoreError} `registration_not_confirmable`, `registration_already_confirmed`,
 *   `registration_store_full` (nothing was written), `registration_store_unavailable`.
 * @throws {TypeError} on a malformed MSISDN or id.
 */
export function confirmRegistration(
  deps: {
    readonly store: Store;
    readonly key: TerminalSigningKey;
    readonly recordConfig: RegistrationConfig['record'];
  },
  input: ConfirmRegistrationInput,
): ConfirmedRegistration {
  const { store, key } = deps;
  const registrationId = input.registrationId ?? randomUUID();
  if (!/^[A-Za-z0-9_.:-]{1,128}$/.test(registrationId))
    throw new TypeError('registrationId must be 1–128 letters, digits or _ . : -');
  // The audit head goes into the signed record: the carrier then holds a witness of this
  // store's trail that a rollback or a rewrite of the database cannot forge.
  const auditHead = store.audit.head();
  const record = buildRegistrationRecord(
    {
      registrationId,
      sessionId: input.sessionId,
      msisdn: input.msisdn,
      operatorId: input.operatorId,
      storeId: input.storeId,
      terminalId: input.terminalId,
      keyId: key.keyId,
      document: input.document,
      liveness: input.liveness,
      match: input.match,
      ...(input.sessionStartedAt === undefined ? {} : { sessionStartedAt: input.sessionStartedAt }),
      ...(input.documentReadAt === undefined ? {} : { documentReadAt: input.documentReadAt }),
      ...(input.livenessCompletedAt === undefined
        ? {}
        : { livenessCompletedAt: input.livenessCompletedAt }),
      ...(input.matchedAt === undefined ? {} : { matchedAt: input.matchedAt }),
      confirmedAt: store.context.now(),
      ...(auditHead === undefined ? {} : { auditHead }),
    },
    deps.recordConfig,
  );
  const recordJson = canonicalJson(record);
  const signature = key.sign(recordJson);
  const entry = store.transaction('confirm registration', () => {
    if (input.requireSessionState !== undefined) {
      const session = store.sessions.get(input.sessionId);
      if (session === undefined || !input.requireSessionState.includes(session.state)) {
        throw new StoreError(
          'registration_not_confirmable',
          `session ${input.sessionId} ${session === undefined ? 'does not exist' : `is ${session.state}`}; a registration can be confirmed only in ${input.requireSessionState.join(' or ')}`,
          {
            step: 'confirm',
            data: {
              sessionId: input.sessionId,
              ...(session === undefined ? {} : { state: session.state }),
            },
          },
        );
      }
    }
    const existing =
      store.registrations.bySession(input.sessionId) ?? store.registrations.get(registrationId);
    if (existing !== undefined) {
      throw new StoreError(
        'registration_already_confirmed',
        `registration ${existing.registrationId} (${existing.status}) already exists for session ${existing.sessionId}`,
        {
          step: 'confirm',
          data: {
            sessionId: input.sessionId,
            registrationId: existing.registrationId,
            status: existing.status,
          },
        },
      );
    }
    const queued = store.registrations.insert({
      registrationId,
      sessionId: input.sessionId,
      recordJson,
      signature,
      keyId: key.keyId,
    });
    if (input.sessionUpdate !== undefined)
      store.sessions.upsert({ ...input.sessionUpdate, id: input.sessionId });
    store.audit.append({
      kind: 'registration.confirmed',
      actor: input.terminalId,
      sessionId: input.sessionId,
      data: { registrationId, keyId: key.keyId, operatorId: input.operatorId },
    });
    return queued;
  });
  return {
    registrationId,
    sessionId: input.sessionId,
    record,
    recordJson,
    signature,
    keyId: key.keyId,
    entry,
  };
}
