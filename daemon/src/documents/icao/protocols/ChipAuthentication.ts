import { CommandApdu } from '../apdu/CommandApdu.js';
import { EmrtdError } from '../EmrtdError.js';
import { ProtocolError } from '../ProtocolError.js';
import { bytesToBigInt, concat, uintToBytes, wipe } from '../bytes.js';
import { kdf, KDF_COUNTER, type SmCipherName } from '../crypto/kdf.js';
import { encodeTlv } from '../tlv/BerTlv.js';
import { encodeOid } from '../tlv/oid.js';
import { OID_CA_PREFIX, type SecurityInfos } from '../files/SecurityInfos.js';
import { decodeEcPublicKey } from '../../authenticity/ecPublicKey.js';
import { SecureMessaging } from '../sm/SecureMessaging.js';
import type { SecureMessagingSender } from '../sm/SecureMessagingSender.js';
import { secureRandom, type RandomSource } from './randomBytes.js';

const CA_CIPHERS: Readonly<Record<number, SmCipherName>> = {
  1: '3DES',
  2: 'AES-128',
  3: 'AES-192',
  4: 'AES-256',
};

/** A Chip Authentication variant kycd can run, chosen from DG14. */
export interface ChipAuthenticationPlan {
  readonly oid: string;
  readonly cipher: SmCipherName;
  readonly keyId: number | undefined;
  readonly subjectPublicKeyInfo: Uint8Array;
}

/**
 * Pick the Chip Authentication to run from DG14: ECDH (id-CA-ECDH-*) with a matching
 * ChipAuthenticationPublicKeyInfo. Undefined when DG14 offers nothing kycd implements.
 */
export function planChipAuthentication(dg14: SecurityInfos): ChipAuthenticationPlan | undefined {
  const keys = dg14.chipAuthenticationPublicKeyInfos();
  for (const info of dg14.chipAuthenticationInfos()) {
    const arcs = info.protocol.slice(OID_CA_PREFIX.length).split('.').map(Number);
    const cipher = CA_CIPHERS[arcs[1] ?? -1];
    if (arcs[0] !== 2 || cipher === undefined) continue; // only ECDH
    const key = keys.find(
      (k) => k.keyId === info.keyId || info.keyId === undefined || k.keyId === undefined,
    );
    if (key === undefined) continue;
    return {
      oid: info.protocol,
      cipher,
      keyId: info.keyId,
      subjectPublicKeyInfo: key.subjectPublicKeyInfo,
    };
  }
  return undefined;
}

/**
 * Chip Authentication (ICAO 9303-11 §6.2) with ECDH: an ephemeral key agreement with the chip's
 * static key from DG14, then secure messaging restarts with the new keys (SSC = 0). A cloned
 * chip lacks the private key, so the first response under the new keys fails its MAC: the
 * caller must send one more protected command to confirm (see {@link readEmrtd}).
 */
export class ChipAuthentication {
  private readonly sender: SecureMessagingSender;
  private readonly random: RandomSource;

  constructor(sender: SecureMessagingSender, options: { random?: RandomSource } = {}) {
    this.sender = sender;
    this.random = options.random ?? secureRandom;
  }

  /** Run CA and return the new secure channel (the caller installs it). */
  async run(plan: ChipAuthenticationPlan, signal?: AbortSignal): Promise<SecureMessaging> {
    const { curve, point } = decodeEcPublicKey(plan.subjectPublicKeyInfo);
    let pkPicc;
    try {
      pkPicc = curve.curve.Point.fromBytes(point);
      pkPicc.assertValidity();
    } catch {
      throw new ProtocolError('document_response_malformed', {
        protocol: 'CA',
        step: 'decodeChipKey',
        message: 'DG14 public key is not a valid point',
      });
    }
    const n = curve.curve.Point.Fn.ORDER;
    let sk = 0n;
    while (sk === 0n) sk = bytesToBigInt(this.random(curve.size)) % n;
    const pkPcd = curve.curve.Point.BASE.multiply(sk).toBytes(false);
    const keyRef =
      plan.keyId === undefined
        ? new Uint8Array(0)
        : encodeTlv(0x84, uintToBytes(plan.keyId, plan.keyId > 255 ? 2 : 1));
    if (plan.cipher === '3DES') {
      // CA v1 with 3DES: MSE:Set KAT carrying the ephemeral key
      await this.step(
        'mseSetKat',
        { p1: 0x41, ins: 0x22, p2: 0xa6, data: concat(encodeTlv(0x91, pkPcd), keyRef) },
        signal,
      );
    } else {
      await this.step(
        'mseSetAt',
        {
          ins: 0x22,
          p1: 0x41,
          p2: 0xa4,
          data: concat(encodeTlv(0x80, encodeOid(plan.oid)), keyRef),
        },
        signal,
      );
      await this.step(
        'generalAuthenticate',
        { ins: 0x86, p1: 0, p2: 0, data: encodeTlv(0x7c, encodeTlv(0x80, pkPcd)), ne: 256 },
        signal,
      );
    }
    const shared = uintToBytes(pkPicc.multiply(sk).toAffine().x, curve.size);
    const ksEnc = kdf(shared, KDF_COUNTER.enc, plan.cipher);
    const ksMac = kdf(shared, KDF_COUNTER.mac, plan.cipher);
    const sm = new SecureMessaging({
      cipher: plan.cipher,
      ksEnc,
      ksMac,
      ssc: new Uint8Array(plan.cipher === '3DES' ? 8 : 16),
    });
    wipe(shared, ksEnc, ksMac);
    if (sm.dead)
      throw new EmrtdError(
        'document_chip_authentication_failed',
        'CA: could not build the new channel',
      );
    return sm;
  }

  /** Send one CA command; a status other than 9000 fails CA at `name`. */
  private async step(
    name: string,
    command: { ins: number; p1: number; p2: number; data: Uint8Array; ne?: number },
    signal: AbortSignal | undefined,
  ): Promise<void> {
    const r = await this.sender.send(new CommandApdu({ cla: 0, ...command }), signal);
    if (!r.ok)
      throw new ProtocolError('document_chip_authentication_failed', {
        protocol: 'CA',
        step: name,
        sw: r.sw,
      });
  }
}
