import { createHash } from 'node:crypto';
import { canonicalJson } from '../registration/canonicalJson.js';
import type { StoreContext } from './StoreContext.js';

/** One audit event. `data` must never hold biometrics or full ID numbers (mask them first). */
export interface AuditEvent {
  readonly seq: number;
  /** Milliseconds since the epoch. */
  readonly at: number;
  /** What happened, e.g. `terminal.paired`, `registration.confirmed`, `evidence.purged`. */
  readonly kind: string;
  /** Who did it: a terminal id, `cli`, `daemon`. */
  readonly actor?: string;
  readonly sessionId?: string;
  readonly data: Readonly<Record<string, unknown>>;
  /** The previous row's hash (64 zeros for the first row). */
  readonly prevHash: string;
  /** SHA-256 over the canonical JSON of every other field. */
  readonly hash: string;
}

/** The outcome of {@link AuditLog.verify}. */
export interface AuditVerification {
  readonly ok: boolean;
  readonly rows: number;
  /**
   * The first row whose hash or link is wrong, and what is wrong with it. When the rows chain
   * correctly but do not end where the signed checkpoint says (rows removed from the end, or the
   * whole chain recomputed), `seq` is the checkpoint's.
   */
  readonly firstBad?: { readonly seq: number; readonly reason: string };
  /** The hash of the last row. */
  readonly headHash: string;
  /** The signed checkpoint of the head the chain was checked against (absent on an empty trail). */
  readonly checkpoint?: AuditCheckpoint;
}

/** The chain head, signed with the terminal key on every append. */
export interface AuditCheckpoint {
  readonly seq: number;
  readonly hash: string;
  readonly at: number;
  readonly keyId: string;
  /** Ed25519 over {@link auditCheckpointMessage}, base64url. */
  readonly signature: string;
}

/**
 * A chain head that was written down outside this store — in a signed registration record the
 * carrier holds (`auditHead`), or by store IT from `kycd audit head`. The row at `seq` must still
 * have `hash`: a database restored from an older copy or rewritten with the terminal key (which
 * lives beside it) cannot produce that.
 */
export interface AuditWitness {
  readonly seq: number;
  /** SHA-256 hex of the row at `seq`. */
  readonly hash: string;
}

/** Parse `SEQ:HASH` as `kycd audit head` prints it; undefined when it is not that. */
export function parseAuditWitness(text: string): AuditWitness | undefined {
  const match = /^([1-9]\d{0,15}):([0-9a-f]{64})$/.exec(text.trim().toLowerCase());
  if (match === null) return undefined;
  const seq = Number(match[1]);
  return Number.isSafeInteger(seq) ? { seq, hash: match[2]! } : undefined;
}

/** What signs and checks the checkpoint: the terminal key (`TerminalSigningKey` fits). */
export interface AuditHeadSigner {
  readonly keyId: string;
  sign(message: string): string;
  verify(message: string, signature: string): boolean;
}

/** The exact bytes a checkpoint signature covers (domain-separated from registration records). */
export function auditCheckpointMessage(head: { seq: number; hash: string; at: number }): string {
  return canonicalJson({ type: 'kycd.audit.head', seq: head.seq, hash: head.hash, at: head.at });
}

interface AuditRow {
  seq: number;
  at: number;
  kind: string;
  actor: string | null;
  session_id: string | null;
  data_json: string;
  prev_hash: string;
  hash: string;
}

/** The hash the first row links to. */
export const AUDIT_GENESIS_HASH = '0'.repeat(64);

/**
 * The hash-chained audit trail. Each row carries the previous row's hash and its own hash over
 * its content plus that link, so editing, deleting or reordering a row breaks the chain from
 * there on; `verify` finds the first broken row. Every append also replaces the signed
 * checkpoint (`audit_checkpoint`: head seq and hash, Ed25519 with the terminal key) in the
 * same transaction, so a chain recomputed after an edit, or cut short at the end, no longer
 * matches a signature only the key holder can make. Appends run inside the caller's
 * transaction when there is one, so an audited change and its audit row commit together.
 */
export class AuditLog {
  private signerCache: AuditHeadSigner | undefined;

  constructor(
    private readonly ctx: StoreContext,
    /**
     * Loads the terminal key the first time a checkpoint is signed (`create`: generate it when
     * there is none yet) or checked (never generated: undefined when missing).
     */
    private readonly loadSigner: (create: boolean) => AuditHeadSigner | undefined,
  ) {}

  /** The key that signs checkpoints, generated on the first append of a new terminal. */
  private get signer(): AuditHeadSigner {
    return (this.signerCache ??= this.loadSigner(true) as AuditHeadSigner);
  }

  /** The key that checks checkpoints, if the terminal has one. */
  private verifier(): AuditHeadSigner | undefined {
    return (this.signerCache ??= this.loadSigner(false));
  }

  /** Append an event; returns it with its seq and hashes. */
  append(event: {
    kind: string;
    actor?: string;
    sessionId?: string;
    data?: Record<string, unknown>;
  }): AuditEvent {
    return this.ctx.write('append audit event', () => {
      const last = this.last();
      const seq = (last?.seq ?? 0) + 1;
      const at = this.ctx.now();
      const data = JSON.parse(JSON.stringify(event.data ?? {})) as Record<string, unknown>;
      const prevHash = last?.hash ?? AUDIT_GENESIS_HASH;
      const hash = auditHash({
        seq,
        at,
        kind: event.kind,
        actor: event.actor ?? null,
        sessionId: event.sessionId ?? null,
        data,
        prevHash,
      });
      this.ctx.db
        .prepare(
          'INSERT INTO audit_events (seq, at, kind, actor, session_id, data_json, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
        )
        .run(
          seq,
          at,
          event.kind,
          event.actor ?? null,
          event.sessionId ?? null,
          canonicalJson(data),
          prevHash,
          hash,
        );
      this.writeCheckpoint(seq, hash, at);
      return {
        seq,
        at,
        kind: event.kind,
        ...(event.actor === undefined ? {} : { actor: event.actor }),
        ...(event.sessionId === undefined ? {} : { sessionId: event.sessionId }),
        data,
        prevHash,
        hash,
      };
    });
  }

  /** Events in order, optionally only those of one session. */
  list(options: { sessionId?: string; afterSeq?: number; limit?: number } = {}): AuditEvent[] {
    const rows = this.ctx.read('list audit events', () =>
      options.sessionId === undefined
        ? (this.ctx.db
            .prepare('SELECT * FROM audit_events WHERE seq > ? ORDER BY seq LIMIT ?')
            .all(options.afterSeq ?? 0, options.limit ?? -1) as AuditRow[])
        : (this.ctx.db
            .prepare(
              'SELECT * FROM audit_events WHERE session_id = ? AND seq > ? ORDER BY seq LIMIT ?',
            )
            .all(options.sessionId, options.afterSeq ?? 0, options.limit ?? -1) as AuditRow[]),
    );
    return rows.map(toEvent);
  }

  /**
   * Sign the current head as it stands (after upgrading a store from before checkpoints). Does
   * nothing on an empty trail.
   */
  anchor(): void {
    this.ctx.write('anchor audit chain', () => {
      const last = this.last();
      if (last !== undefined) this.writeCheckpoint(last.seq, last.hash, this.ctx.now());
    });
  }

  /** The last row's seq and hash, to write down elsewhere (see {@link AuditWitness}); undefined on an empty trail. */
  head(): AuditWitness | undefined {
    return this.ctx.read('read audit head', () => this.last());
  }

  private last(): AuditWitness | undefined {
    return this.ctx.db
      .prepare('SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1')
      .get() as AuditWitness | undefined;
  }

  /** The signed checkpoint, if any (as stored; {@link verify} checks it). */
  checkpoint(): AuditCheckpoint | undefined {
    const row = this.ctx.read(
      'read audit checkpoint',
      () =>
        this.ctx.db
          .prepare('SELECT seq, hash, at, key_id, signature FROM audit_checkpoint WHERE id = 1')
          .get() as
          { seq: number; hash: string; at: number; key_id: string; signature: string } | undefined,
    );
    return row === undefined
      ? undefined
      : { seq: row.seq, hash: row.hash, at: row.at, keyId: row.key_id, signature: row.signature };
  }

  private writeCheckpoint(seq: number, hash: string, at: number): void {
    const signature = this.signer.sign(auditCheckpointMessage({ seq, hash, at }));
    this.ctx.db
      .prepare(
        `INSERT INTO audit_checkpoint (id, seq, hash, at, key_id, signature) VALUES (1, ?, ?, ?, ?, ?)
         ON CONFLICT(id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash, at = excluded.at,
           key_id = excluded.key_id, signature = excluded.signature`,
      )
      .run(seq, hash, at, this.signer.keyId, signature);
  }

  /**
   * Recompute every hash and link, oldest first (stops at the first bad row), then check that
   * the chain ends exactly at the signed checkpoint: same seq, same hash, a signature of the
   * terminal key that verifies; and that it still holds every `witness` written down elsewhere
   * (which also catches a rollback of the whole database to an older, intact copy).
   */
  verify(options: { witnesses?: readonly AuditWitness[] } = {}): AuditVerification {
    const result = this.verifyAgainstCheckpoint();
    if (!result.ok) return result;
    const rowAt = this.ctx.db.prepare('SELECT hash FROM audit_events WHERE seq = ?');
    for (const witness of [...(options.witnesses ?? [])].sort((a, b) => a.seq - b.seq)) {
      const row = this.ctx.read(
        'read audit row',
        () => rowAt.get(witness.seq) as { hash: string } | undefined,
      );
      const reason =
        row === undefined
          ? `the trail ends before row ${witness.seq}, which was witnessed outside this store: the database was rolled back to an older copy`
          : row.hash !== witness.hash
            ? `row ${witness.seq} is not the one witnessed outside this store: the trail was rewritten or restored from another copy`
            : undefined;
      if (reason !== undefined)
        return { ...result, ok: false, firstBad: { seq: witness.seq, reason } };
    }
    return result;
  }

  private verifyAgainstCheckpoint(): AuditVerification {
    const chain = this.verifyChain();
    if (!chain.ok) return chain;
    const checkpoint = this.checkpoint();
    // verifyChain holds seq to 1, 2, … n: the last seq is the row count
    const lastSeq = chain.rows;
    const bad = (seq: number, reason: string): AuditVerification => ({
      ...chain,
      ok: false,
      firstBad: { seq, reason },
      ...(checkpoint === undefined ? {} : { checkpoint }),
    });
    if (checkpoint === undefined)
      return chain.rows === 0
        ? chain
        : bad(
            lastSeq,
            'the signed checkpoint of the chain head is missing (it was deleted, or rows were written without the terminal key)',
          );
    const verifier = this.verifier();
    if (verifier === undefined)
      return bad(
        checkpoint.seq,
        `the terminal key that signed the checkpoint (${checkpoint.keyId}) is missing from the data directory: the head cannot be vouched for`,
      );
    if (checkpoint.keyId !== verifier.keyId)
      return bad(
        checkpoint.seq,
        `the checkpoint is signed by key ${checkpoint.keyId}, not by this terminal's key ${verifier.keyId}`,
      );
    if (
      !verifier.verify(
        auditCheckpointMessage({ seq: checkpoint.seq, hash: checkpoint.hash, at: checkpoint.at }),
        checkpoint.signature,
      )
    )
      return bad(checkpoint.seq, 'the checkpoint signature does not verify (it was edited)');
    if (lastSeq < checkpoint.seq)
      return bad(
        checkpoint.seq,
        `the chain ends at seq ${lastSeq} but the signed checkpoint is at seq ${checkpoint.seq}: rows were removed from the end`,
      );
    if (lastSeq > checkpoint.seq)
      return bad(
        checkpoint.seq + 1,
        `rows after the signed checkpoint (seq ${checkpoint.seq}) were added without the terminal key`,
      );
    if (checkpoint.hash !== chain.headHash)
      return bad(
        checkpoint.seq,
        'the head hash differs from the signed checkpoint: the chain was recomputed after an edit',
      );
    return { ...chain, checkpoint };
  }

  private verifyChain(): AuditVerification {
    const iter = this.ctx.read(
      'verify audit chain',
      () =>
        this.ctx.db
          .prepare('SELECT * FROM audit_events ORDER BY seq')
          .iterate() as IterableIterator<AuditRow>,
    );
    let prev = AUDIT_GENESIS_HASH;
    let expectedSeq = 1;
    let rows = 0;
    for (const row of iter) {
      rows++;
      let reason: string | undefined;
      let data: Record<string, unknown> | undefined;
      try {
        data = JSON.parse(row.data_json) as Record<string, unknown>;
      } catch {
        reason = 'data is not valid JSON';
      }
      if (reason === undefined && row.seq !== expectedSeq)
        reason = `expected seq ${expectedSeq} (a row was deleted or inserted)`;
      if (reason === undefined && row.prev_hash !== prev)
        reason =
          'prev_hash does not match the previous row (a row was deleted, inserted or edited)';
      if (reason === undefined) {
        const hash = auditHash({
          seq: row.seq,
          at: row.at,
          kind: row.kind,
          actor: row.actor,
          sessionId: row.session_id,
          data: data ?? {},
          prevHash: row.prev_hash,
        });
        if (hash !== row.hash) reason = 'hash does not match the row content (the row was edited)';
      }
      if (reason !== undefined) {
        iter.return?.();
        return { ok: false, rows, firstBad: { seq: row.seq, reason }, headHash: prev };
      }
      prev = row.hash;
      expectedSeq = row.seq + 1;
    }
    return { ok: true, rows, headHash: prev };
  }
}

function auditHash(fields: {
  seq: number;
  at: number;
  kind: string;
  actor: string | null;
  sessionId: string | null;
  data: unknown;
  prevHash: string;
}): string {
  return createHash('sha256').update(canonicalJson(fields), 'utf8').digest('hex');
}

function toEvent(row: AuditRow): AuditEvent {
  return {
    seq: row.seq,
    at: row.at,
    kind: row.kind,
    ...(row.actor === null ? {} : { actor: row.actor }),
    ...(row.session_id === null ? {} : { sessionId: row.session_id }),
    data: JSON.parse(row.data_json) as Record<string, unknown>,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}
