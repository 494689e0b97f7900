import { createCipheriv, createDecipheriv, randomBytes, randomUUID } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { PrivacyConfig } from '../config/sections/privacy.js';
import { writeSecretFile } from '../registration/TerminalSigningKey.js';
import type { Store } from '../store/Store.js';
import { StoreError } from '../store/StoreError.js';

/** Default evidence key file inside the data directory. */
export const EVIDENCE_KEY_FILE = join('keys', 'evidence.key');

/** Metadata of one stored evidence blob (never the bytes). */
export interface EvidenceInfo {
  readonly id: string;
  readonly sessionId: string;
  /** e.g. `chip_photo`, `liveness_frame`. */
  readonly kind: string;
  readonly mediaType: string;
  readonly bytes: number;
  readonly createdAt: number;
  readonly expiresAt: number;
}

/** A decrypted evidence blob. */
export interface Evidence extends EvidenceInfo {
  readonly data: Buffer;
}

interface EvidenceRow {
  id: string;
  session_id: string;
  kind: string;
  media_type: string;
  iv: Buffer;
  tag: Buffer;
  ciphertext: Buffer;
  created_at: number;
  expires_at: number;
}

/**
 * Raw images kept as evidence — only when `privacy.evidence.retain` is on; otherwise `put` writes
 * nothing at all. Each blob is encrypted with AES-256-GCM under the key file (32 random bytes,
 * mode 0600, created at first use), a fresh 96-bit IV per blob, and its id, session and kind as
 * associated data (so a row moved to another session does not decrypt). Blobs expire after
 * `privacy.evidence.days`.
 */
export class EvidenceVault {
  private key: Buffer | undefined;

  constructor(
    private readonly store: Store,
    private readonly config: PrivacyConfig['evidence'],
    /** The key file; default `<dataDir>/keys/evidence.key`. */
    readonly keyFile: string = config.keyFile === ''
      ? join(store.dataDir, EVIDENCE_KEY_FILE)
      : config.keyFile,
  ) {}

  /** Whether raw images are kept at all. */
  get retaining(): boolean {
    return this.config.retain;
  }

  /**
   * Store one image as evidence for a session; returns its id, or undefined (and writes nothing)
   * when retention is off.
   * @throws {StoreError} `registration_key_invalid`, `registration_store_full`, …
   */
  put(sessionId: string, kind: string, mediaType: string, data: Uint8Array): string | undefined {
    if (!this.config.retain) return undefined;
    const key = this.loadKey(true) as Buffer;
    const id = randomUUID();
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    cipher.setAAD(aad(id, sessionId, kind));
    const ciphertext = Buffer.concat([cipher.update(data), cipher.final()]);
    const tag = cipher.getAuthTag();
    const now = this.store.context.now();
    this.store.transaction('store evidence', () => {
      this.store.db
        .prepare(
          'INSERT INTO evidence (id, session_id, kind, media_type, iv, tag, ciphertext, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
        )
        .run(
          id,
          sessionId,
          kind,
          mediaType,
          iv,
          tag,
          ciphertext,
          now,
          now + this.config.days * 86_400_000,
        );
    });
    return id;
  }

  /** Metadata of a session's evidence. */
  list(sessionId: string): EvidenceInfo[] {
    const rows = this.store.db
      .prepare(
        'SELECT id, session_id, kind, media_type, length(ciphertext) AS bytes, created_at, expires_at FROM evidence WHERE session_id = ? ORDER BY created_at, id',
      )
      .all(sessionId) as {
      id: string;
      session_id: string;
      kind: string;
      media_type: string;
      bytes: number;
      created_at: number;
      expires_at: number;
    }[];
    return rows.map((r) => ({
      id: r.id,
      sessionId: r.session_id,
      kind: r.kind,
      mediaType: r.media_type,
      bytes: r.bytes,
      createdAt: r.created_at,
      expiresAt: r.expires_at,
    }));
  }

  /**
   * Decrypt one blob.
   * @throws {StoreError} `registration_evidence_undecryptable` when authentication fails (wrong key
   *   or tampered row), `registration_key_invalid` when the key file is missing or malformed.
   */
  get(id: string): Evidence | undefined {
    const row = this.store.db.prepare('SELECT * FROM evidence WHERE id = ?').get(id) as
      EvidenceRow | undefined;
    if (row === undefined) return undefined;
    const key = this.loadKey(false);
    if (key === undefined)
      throw new StoreError(
        'registration_key_invalid',
        `evidence key ${this.keyFile} is missing; stored evidence cannot be decrypted`,
        { step: 'key', file: this.keyFile },
      );
    let data: Buffer;
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, row.iv);
      decipher.setAAD(aad(row.id, row.session_id, row.kind));
      decipher.setAuthTag(row.tag);
      data = Buffer.concat([decipher.update(row.ciphertext), decipher.final()]);
    } catch (err) {
      throw new StoreError(
        'registration_evidence_undecryptable',
        `evidence ${row.id}: AES-256-GCM authentication failed (wrong key or tampered data)`,
        { step: 'read', cause: err, data: { evidenceId: row.id } },
      );
    }
    return {
      id: row.id,
      sessionId: row.session_id,
      kind: row.kind,
      mediaType: row.media_type,
      bytes: data.length,
      createdAt: row.created_at,
      expiresAt: row.expires_at,
      data,
    };
  }

  private loadKey(create: boolean): Buffer | undefined {
    if (this.key !== undefined) return this.key;
    let raw: Buffer | undefined;
    try {
      const mode = statSync(this.keyFile).mode & 0o777;
      if ((mode & 0o077) !== 0)
        throw new StoreError(
          'registration_key_invalid',
          `evidence key ${this.keyFile} has mode ${mode.toString(8)}; it must be 0600`,
          { step: 'key', file: this.keyFile },
        );
      raw = readFileSync(this.keyFile);
    } catch (err) {
      if (err instanceof StoreError) throw err;
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT')
        throw new StoreError(
          'registration_key_invalid',
          `evidence key ${this.keyFile}: ${(err as Error).message}`,
          { step: 'key', file: this.keyFile, cause: err },
        );
    }
    if (raw === undefined) {
      if (!create) return undefined;
      writeSecretFile(this.keyFile, randomBytes(32), { exclusive: true });
      raw = readFileSync(this.keyFile);
    }
    if (raw.length !== 32)
      throw new StoreError(
        'registration_key_invalid',
        `evidence key ${this.keyFile} must hold exactly 32 bytes, has ${raw.length}`,
        { step: 'key', file: this.keyFile },
      );
    this.key = raw;
    return raw;
  }
}

function aad(id: string, sessionId: string, kind: string): Buffer {
  return Buffer.from(`kycd-evidence-v1\0${id}\0${sessionId}\0${kind}`, 'utf8');
}
