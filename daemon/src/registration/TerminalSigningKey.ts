import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  randomBytes,
  sign,
  verify,
  type KeyObject,
} from 'node:crypto';
import {
  chmodSync,
  closeSync,
  fsyncSync,
  linkSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { StoreError } from '../store/StoreError.js';

/** Where the terminal key lives inside the data directory. */
export const TERMINAL_KEY_FILE = join('keys', 'terminal-ed25519.pem');

/**
 * The terminal's Ed25519 signing key. Generated at first start into `<dataDir>/keys/` with
 * mode 0600 (the directory 0700); refused when the file is readable by group or others. The
 * carrier pins the public key (`kycd keys show`), identified by `keyId` — the first 16 bytes
 * of the SHA-256 of the raw 32-byte public key, hex.
 */
export class TerminalSigningKey {
  private constructor(
    private readonly privateKey: KeyObject,
    /** The public key object. */
    readonly publicKey: KeyObject,
    /** The private key file. */
    readonly file: string,
  ) {}

  /**
   * Load the key from `<dataDir>/keys/terminal-ed25519.pem`, generating it when missing.
   * @throws {StoreError} `registration_key_invalid` when the file is malformed, not Ed25519 or
   *   readable by others.
   */
  static loadOrCreate(dataDir: string): TerminalSigningKey {
    return TerminalSigningKey.open(dataDir, true) as TerminalSigningKey;
  }

  /**
   * The key as {@link loadOrCreate} loads it, but never generated: undefined when there is none
   * (a read-only check such as `kycd audit verify` must not mint a new terminal identity).
   */
  static loadExisting(dataDir: string): TerminalSigningKey | undefined {
    return TerminalSigningKey.open(dataDir, false);
  }

  private static open(dataDir: string, create: boolean): TerminalSigningKey | undefined {
    const file = join(dataDir, TERMINAL_KEY_FILE);
    let pem: string | undefined;
    try {
      const mode = statSync(file).mode & 0o777;
      if ((mode & 0o077) !== 0) {
        throw new StoreError(
          'registration_key_invalid',
          `terminal key ${file} has mode ${mode.toString(8)}; it must be 0600 (chmod 600 it)`,
          { step: 'key', file },
        );
      }
      pem = readFileSync(file, 'utf8');
    } catch (err) {
      if (err instanceof StoreError) throw err;
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
        throw new StoreError(
          'registration_key_invalid',
          `terminal key ${file}: cannot read it: ${(err as Error).message}`,
          { step: 'key', file, cause: err },
        );
      }
    }
    if (pem === undefined) {
      if (!create) return undefined;
      const { privateKey } = generateKeyPairSync('ed25519');
      // Exclusive: when another process (the daemon and a CLI command) created it first, use theirs.
      if (
        writeSecretFile(file, privateKey.export({ type: 'pkcs8', format: 'pem' }) as string, {
          exclusive: true,
        })
      ) {
        return new TerminalSigningKey(privateKey, createPublicKey(privateKey), file);
      }
      pem = readFileSync(file, 'utf8');
    }
    let privateKey: KeyObject;
    try {
      privateKey = createPrivateKey(pem);
    } catch (err) {
      throw new StoreError(
        'registration_key_invalid',
        `terminal key ${file} is not a PEM private key`,
        { step: 'key', file, cause: err },
      );
    }
    if (privateKey.asymmetricKeyType !== 'ed25519') {
      throw new StoreError(
        'registration_key_invalid',
        `terminal key ${file} is ${String(privateKey.asymmetricKeyType)}, expected ed25519`,
        { step: 'key', file },
      );
    }
    return new TerminalSigningKey(privateKey, createPublicKey(privateKey), file);
  }

  /** The raw 32-byte public key. */
  get publicKeyRaw(): Buffer {
    const jwk = this.publicKey.export({ format: 'jwk' });
    return Buffer.from(jwk.x ?? '', 'base64url');
  }

  /** The public key as SPKI PEM, what a carrier configures. */
  get publicKeyPem(): string {
    return this.publicKey.export({ type: 'spki', format: 'pem' }) as string;
  }

  /** Stable key identifier: hex of the first 16 bytes of SHA-256(raw public key). */
  get keyId(): string {
    // read on every audit append and signature: derived once
    this.#keyId ??= createHash('sha256').update(this.publicKeyRaw).digest('hex').slice(0, 32);
    return this.#keyId;
  }
  #keyId: string | undefined;

  /** Ed25519 signature of `message`, base64url. */
  sign(message: string | Uint8Array): string {
    return sign(
      null,
      typeof message === 'string' ? Buffer.from(message, 'utf8') : message,
      this.privateKey,
    ).toString('base64url');
  }

  /** Verify a base64url signature with this key's public half. */
  verify(message: string | Uint8Array, signature: string): boolean {
    return verifyEd25519(this.publicKey, message, signature);
  }
}

/** Verify an Ed25519 signature (base64url) with a public key; false on any malformed input. */
export function verifyEd25519(
  publicKey: KeyObject,
  message: string | Uint8Array,
  signature: string,
): boolean {
  try {
    const sig = Buffer.from(signature, 'base64url');
    if (sig.length !== 64) return false;
    return verify(
      null,
      typeof message === 'string' ? Buffer.from(message, 'utf8') : message,
      publicKey,
      sig,
    );
  } catch {
    return false;
  }
}

/**
 * Write a secret atomically: temp file 0600, fsync, rename (or, when `exclusive`, hard-link so
 * an existing file wins), fsync the directory. Returns false when `exclusive` and the file
 * already existed.
 */
export function writeSecretFile(
  file: string,
  content: string | Uint8Array,
  options: { exclusive?: boolean } = {},
): boolean {
  const dir = dirname(file);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  const fd = openSync(tmp, 'wx', 0o600);
  try {
    writeSync(fd, typeof content === 'string' ? Buffer.from(content, 'utf8') : content);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  chmodSync(tmp, 0o600);
  let created = true;
  if (options.exclusive === true) {
    try {
      linkSync(tmp, file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      created = false;
    } finally {
      unlinkSync(tmp);
    }
  } else {
    renameSync(tmp, file);
  }
  const dfd = openSync(dir, 'r');
  try {
    fsyncSync(dfd);
  } finally {
    closeSync(dfd);
  }
  return created;
}
