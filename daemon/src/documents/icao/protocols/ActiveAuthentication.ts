import {
  constants,
  createHash,
  createPublicKey,
  publicDecrypt,
  verify as nodeVerify,
  type KeyObject,
} from 'node:crypto';
import { CommandApdu } from '../apdu/CommandApdu.js';
import { ProtocolError } from '../ProtocolError.js';
import { bytesEqual, concat } from '../bytes.js';
import { parseTlv } from '../tlv/BerTlv.js';
import type { SecureMessagingSender } from '../sm/SecureMessagingSender.js';
import { secureRandom, type RandomSource } from './randomBytes.js';

/** Trailer → hash for ISO/IEC 9796-2 explicit hash identifiers (0xCC trailer). */
const ISO9796_HASH_IDS: Readonly<Record<number, { name: string; size: number }>> = {
  0x33: { name: 'sha1', size: 20 },
  0x34: { name: 'sha256', size: 32 },
  0x35: { name: 'sha512', size: 64 },
  0x36: { name: 'sha384', size: 48 },
  0x38: { name: 'sha224', size: 28 },
};

/**
 * Verify an RSA Active Authentication signature: ISO/IEC 9796-2 digital signature scheme 1
 * (message recovery) over M1 ‖ challenge (9303-11 §6.1).
 */
export function verifyIso9796Rsa(
  spki: Uint8Array,
  challenge: Uint8Array,
  signature: Uint8Array,
): boolean {
  let rep: Uint8Array;
  try {
    rep = new Uint8Array(
      publicDecrypt(
        {
          key: createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' }),
          padding: constants.RSA_NO_PADDING,
        },
        signature,
      ),
    );
  } catch {
    return false;
  }
  if (rep.length < 24 || ((rep[0] as number) & 0xc0) !== 0x40) return false;
  const last = rep[rep.length - 1] as number;
  let hash = { name: 'sha1', size: 20 };
  let trailer = 1;
  if (last === 0xcc) {
    const id = ISO9796_HASH_IDS[rep[rep.length - 2] as number];
    if (id === undefined) return false;
    hash = id;
    trailer = 2;
  } else if (last !== 0xbc) return false;
  const digestStart = rep.length - trailer - hash.size;
  if (digestStart < 1) return false;
  const m1 = rep.subarray(1, digestStart);
  const digest = rep.subarray(digestStart, rep.length - trailer);
  return bytesEqual(
    new Uint8Array(createHash(hash.name).update(concat(m1, challenge)).digest()),
    digest,
  );
}

/**
 * Active Authentication (ICAO 9303-11 §6.1): INTERNAL AUTHENTICATE with a random 8-byte
 * challenge; the chip signs it with the private key whose public key DG15 holds (RSA ISO 9796-2
 * or ECDSA). Returns true when the signature verifies.
 */
export class ActiveAuthentication {
  private readonly sender: SecureMessagingSender;
  private readonly random: RandomSource;

  constructor(sender: SecureMessagingSender, options: { random?: RandomSource } = {}) {
    this.sender = sender;
    this.random = options.random ?? secureRandom;
  }

  /** Run AA against DG15 (`6F { SubjectPublicKeyInfo }`); `ecdsaHash` from DG14's ActiveAuthenticationInfo. */
  async run(
    dg15: Uint8Array,
    options: { signal?: AbortSignal; ecdsaHash?: string } = {},
  ): Promise<boolean> {
    const outer = parseTlv(dg15);
    const spki = outer.value;
    // decide whether AA can run before talking to the chip: "could not run" is never a verdict
    let key: KeyObject;
    try {
      key = createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' });
    } catch (err) {
      throw new ProtocolError('document_unsupported_algorithm', {
        protocol: 'AA',
        step: 'decodePublicKey',
        message: 'DG15 holds a public key kycd cannot use (unknown algorithm or curve)',
        cause: err,
      });
    }
    if (key.asymmetricKeyType !== 'rsa' && key.asymmetricKeyType !== 'ec') {
      throw new ProtocolError('document_unsupported_algorithm', {
        protocol: 'AA',
        step: 'decodePublicKey',
        message: `AA key type ${key.asymmetricKeyType ?? 'unknown'} is not supported`,
      });
    }
    const challenge = this.random(8);
    const r = await this.sender.send(
      new CommandApdu({ cla: 0, ins: 0x88, p1: 0, p2: 0, data: challenge, ne: 256 }),
      options.signal,
    );
    if (!r.ok)
      throw new ProtocolError('document_active_authentication_failed', {
        protocol: 'AA',
        step: 'internalAuthenticate',
        sw: r.sw,
      });
    if (key.asymmetricKeyType === 'rsa') return verifyIso9796Rsa(spki, challenge, r.data);
    const hash = options.ecdsaHash ?? 'sha256';
    try {
      return (
        nodeVerify(hash, challenge, { key, dsaEncoding: 'ieee-p1363' }, r.data) ||
        nodeVerify(hash, challenge, { key, dsaEncoding: 'der' }, r.data)
      );
    } catch {
      return false;
    }
  }
}
