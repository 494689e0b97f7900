import type { AuditEvent } from '../store/AuditLog.js';
import type { StoredSession } from '../store/SessionTable.js';
import type { StoredSessionEvent } from '../store/SessionEventLog.js';
import type { Store } from '../store/Store.js';
import type { OutboxEntry } from '../registration/RegistrationOutbox.js';
import type { EvidenceVault } from './EvidenceVault.js';

/** Everything kycd holds about one session, for a data-subject access request. */
export interface SessionExport {
  readonly sessionId: string;
  readonly exportedAt: string;
  readonly session?: StoredSession;
  readonly events: readonly StoredSessionEvent[];
  readonly registration?: Omit<OutboxEntry, 'recordJson'> & { readonly record?: unknown };
  readonly evidence: readonly {
    id: string;
    kind: string;
    mediaType: string;
    createdAt: number;
    expiresAt: number;
    base64: string;
  }[];
  readonly audit: readonly AuditEvent[];
}

/**
 * Collect everything stored about a session (session row, replay events, the signed record,
 * decrypted evidence, audit rows). Undefined when nothing at all is stored for it.
 */
export function exportSession(
  store: Store,
  vault: EvidenceVault | undefined,
  sessionId: string,
): SessionExport | undefined {
  const session = store.sessions.get(sessionId);
  const events = store.events.since(sessionId, -1);
  const entry = store.registrations.bySession(sessionId);
  const evidenceInfo = vault?.list(sessionId) ?? [];
  const audit = store.audit.list({ sessionId });
  if (
    session === undefined &&
    events.length === 0 &&
    entry === undefined &&
    evidenceInfo.length === 0 &&
    audit.length === 0
  )
    return undefined;
  let registration: SessionExport['registration'];
  if (entry !== undefined) {
    const { recordJson, ...rest } = entry;
    registration = {
      ...rest,
      ...(recordJson === undefined ? {} : { record: JSON.parse(recordJson) as unknown }),
    };
  }
  const evidence = evidenceInfo.map((info) => {
    const blob = vault?.get(info.id);
    return {
      id: info.id,
      kind: info.kind,
      mediaType: info.mediaType,
      createdAt: info.createdAt,
      expiresAt: info.expiresAt,
      base64: blob === undefined ? '' : blob.data.toString('base64'),
    };
  });
  return {
    sessionId,
    exportedAt: new Date(store.context.now()).toISOString(),
    ...(session === undefined ? {} : { session }),
    events,
    ...(registration === undefined ? {} : { registration }),
    evidence,
    audit,
  };
}
