import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { StoreContext } from './StoreContext.js';

/** A paired POS terminal. Times are ISO 8601 UTC. */
export interface Terminal {
  readonly id: string;
  readonly name: string;
  readonly createdAt: string;
  readonly lastSeenAt?: string;
  readonly revokedAt?: string;
}

/** The result of pairing: the token is shown exactly once and never stored. */
export interface PairedTerminal {
  readonly terminalId: string;
  readonly name: string;
  readonly token: string;
}

interface TerminalRow {
  id: string;
  name: string;
  token_hash: Buffer;
  created_at: number;
  last_seen_at: number | null;
  revoked_at: number | null;
}

/** Longest token `authenticate` will even hash; real tokens are 43 characters. */
const MAX_TOKEN_LENGTH = 256;
/** Longest terminal name `pair` accepts. */
const MAX_NAME_LENGTH = 64;

/**
 * Paired POS terminals and their bearer tokens. A token is 32 random bytes, base64url; only its
 * SHA-256 is stored, and `authenticate` compares hashes in constant time against every active
 * terminal (no early exit), so neither timing nor the database reveals a token.
 */
export class TerminalRegistry {
  constructor(private readonly ctx: StoreContext) {}

  /**
   * Pair a new terminal. Names are unique among active terminals.
   * @throws {TypeError} when the name is empty, too long or has control characters.
   * @throws {RangeError} when an active terminal already has that name.
   */
  pair(name: string): PairedTerminal {
    const trimmed = name.trim();
    if (trimmed === '' || trimmed.length > MAX_NAME_LENGTH || /\p{Cc}/u.test(trimmed)) {
      throw new TypeError(`terminal name must be 1–${MAX_NAME_LENGTH} printable characters`);
    }
    const token = randomBytes(32).toString('base64url');
    const terminalId = randomUUID();
    this.ctx.write('pair', () => {
      const existing = this.ctx.db
        .prepare('SELECT id FROM terminals WHERE name = ? AND revoked_at IS NULL')
        .get(trimmed);
      if (existing !== undefined)
        throw new RangeError(
          `an active terminal is already named "${trimmed}"; revoke it first or pick another name`,
        );
      this.ctx.db
        .prepare('INSERT INTO terminals (id, name, token_hash, created_at) VALUES (?, ?, ?, ?)')
        .run(terminalId, trimmed, hashToken(token), this.ctx.now());
    });
    return { terminalId, name: trimmed, token };
  }

  /**
   * The active terminal that owns `token`, or undefined. Records when it was last seen (best
   * effort: a failed bookkeeping write never fails authentication).
   */
  authenticate(token: string): Terminal | undefined {
    if (typeof token !== 'string' || token.length === 0 || token.length > MAX_TOKEN_LENGTH)
      return undefined;
    const presented = hashToken(token);
    const rows = this.ctx.read(
      'authenticate',
      () =>
        this.ctx.db
          .prepare('SELECT * FROM terminals WHERE revoked_at IS NULL')
          .all() as TerminalRow[],
    );
    let match: TerminalRow | undefined;
    for (const row of rows) {
      // Compare against every row, never stopping early.
      if (
        row.token_hash.length === presented.length &&
        timingSafeEqual(row.token_hash, presented) &&
        match === undefined
      )
        match = row;
    }
    if (match === undefined) return undefined;
    const seen = this.ctx.now();
    try {
      // Bookkeeping only: no fsync of its own (see StoreContext.writeRelaxed).
      this.ctx.writeRelaxed('authenticate', () =>
        this.ctx.db
          .prepare('UPDATE terminals SET last_seen_at = ? WHERE id = ?')
          .run(seen, match.id),
      );
      return toTerminal({ ...match, last_seen_at: seen });
    } catch {
      return toTerminal(match);
    }
  }

  /** Every terminal ever paired, oldest first, revoked ones included. */
  list(): Terminal[] {
    const rows = this.ctx.read(
      'list terminals',
      () =>
        this.ctx.db
          .prepare('SELECT * FROM terminals ORDER BY created_at, rowid')
          .all() as TerminalRow[],
    );
    return rows.map(toTerminal);
  }

  /** One terminal by id, revoked or not. */
  get(id: string): Terminal | undefined {
    const row = this.ctx.read(
      'get terminal',
      () =>
        this.ctx.db.prepare('SELECT * FROM terminals WHERE id = ?').get(id) as
          TerminalRow | undefined,
    );
    return row === undefined ? undefined : toTerminal(row);
  }

  /**
   * Revoke a terminal by id, or by the name of an active terminal. Its token stops working at
   * once (the next `authenticate`). Returns false when nothing active matched.
   */
  revoke(idOrName: string): boolean {
    return this.ctx.write('revoke', () => {
      const result = this.ctx.db
        .prepare(
          'UPDATE terminals SET revoked_at = ? WHERE revoked_at IS NULL AND (id = ? OR name = ?)',
        )
        .run(this.ctx.now(), idOrName, idOrName);
      return result.changes > 0;
    });
  }
}

/** SHA-256 of the token's UTF-8 bytes: what the store keeps instead of the token. */
function hashToken(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

function toTerminal(row: TerminalRow): Terminal {
  return {
    id: row.id,
    name: row.name,
    createdAt: new Date(row.created_at).toISOString(),
    ...(row.last_seen_at === null ? {} : { lastSeenAt: new Date(row.last_seen_at).toISOString() }),
    ...(row.revoked_at === null ? {} : { revokedAt: new Date(row.revoked_at).toISOString() }),
  };
}
