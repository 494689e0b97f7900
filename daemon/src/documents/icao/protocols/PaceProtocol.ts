import { createHash } from 'node:crypto';
import { CommandApdu } from '../apdu/CommandApdu.js';
import { EmrtdError } from '../EmrtdError.js';
import { ProtocolError } from '../ProtocolError.js';
import { bytesEqual, bytesToBigInt, concat, uintToBytes, wipe } from '../bytes.js';
import { aesCbc, tdesCbc } from '../crypto/blockCiphers.js';
import { aesCmac } from '../crypto/aesCmac.js';
import { retailMac } from '../crypto/retailMac.js';
import { padIso9797 } from '../crypto/padding.js';
import { kdf, KDF_COUNTER, type SmCipherName } from '../crypto/kdf.js';
import { STANDARDIZED_CURVES, type NamedCurve } from '../crypto/curves.js';
import { mrzInformation } from '../crypto/bacKeys.js';
import { encodeTlv, parseTlv, parseTlvList } from '../tlv/BerTlv.js';
import { encodeOid } from '../tlv/oid.js';
import { OID_PACE_PREFIX, type PaceInfo } from '../files/SecurityInfos.js';
import { SecureMessaging } from '../sm/SecureMessaging.js';
import type { SecureMessagingSender } from '../sm/SecureMessagingSender.js';
import { secureRandom, type RandomSource } from './randomBytes.js';

/** The password PACE runs with. */
export type PacePassword =
  | {
      readonly kind: 'mrz';
      readonly documentNumber: string;
      readonly birthDate: string;
      readonly expiryDate: string;
    }
  | { readonly kind: 'can'; readonly can: string };

/** A PACE variant kycd implements, decoded from a PACEInfo OID. */
export interface PaceSuite {
  readonly oid: string;
  readonly mapping: 'ECDH-GM';
  readonly cipher: SmCipherName;
  readonly curve: NamedCurve;
  readonly parameterId: number;
}

/** What PACE establishes. */
export interface PaceResult {
  readonly secureMessaging: SecureMessaging;
  readonly suite: PaceSuite;
  /** The ephemeral public key of the chip (needed by Chip Authentication in PACE-CAM/v2 flows). */
  readonly pkPicc: Uint8Array;
}

const CIPHERS: Readonly<Record<number, SmCipherName>> = {
  1: '3DES',
  2: 'AES-128',
  3: 'AES-192',
  4: 'AES-256',
};

/**
 * Pick the PACE suite to run from EF.CardAccess's PACEInfos: ECDH Generic Mapping on a
 * standardized curve kycd supports, strongest cipher first. Undefined when none fits.
 */
export function selectPaceSuite(infos: readonly PaceInfo[]): PaceSuite | undefined {
  const suites: PaceSuite[] = [];
  for (const info of infos) {
    if (!info.protocol.startsWith(OID_PACE_PREFIX) || info.version !== 2) continue;
    const arcs = info.protocol.slice(OID_PACE_PREFIX.length).split('.').map(Number);
    const cipher = CIPHERS[arcs[1] ?? -1];
    const curve =
      info.parameterId === undefined ? undefined : STANDARDIZED_CURVES[info.parameterId];
    if (arcs.length !== 2 || arcs[0] !== 2 || cipher === undefined || curve === undefined) continue;
    suites.push({
      oid: info.protocol,
      mapping: 'ECDH-GM',
      cipher,
      curve,
      parameterId: info.parameterId as number,
    });
  }
  const rank = (s: PaceSuite): number =>
    ['3DES', 'AES-128', 'AES-192', 'AES-256'].indexOf(s.cipher);
  return suites.sort((a, b) => rank(b) - rank(a))[0];
}

/** K of 9303-11 §9.7.3: SHA-1(MRZ_information) for MRZ, the CAN's ASCII bytes for CAN. */
export function pacePasswordKey(password: PacePassword): Uint8Array {
  if (password.kind === 'can') return new Uint8Array(Buffer.from(password.can, 'latin1'));
  return new Uint8Array(
    createHash('sha1')
      .update(
        mrzInformation(password.documentNumber, password.birthDate, password.expiryDate),
        'latin1',
      )
      .digest(),
  );
}

/**
 * PACE v2 with Generic Mapping over ECDH (ICAO 9303-11 §4.4, App. G.1): MSE:Set AT, then four
 * GENERAL AUTHENTICATE steps (encrypted nonce, map nonce, key agreement, mutual authentication).
 * A wrong password shows as `document_access_denied` at `mutualAuthenticate`.
 */
export class PaceProtocol {
  private readonly sender: SecureMessagingSender;
  private readonly random: RandomSource;

  constructor(sender: SecureMessagingSender, options: { random?: RandomSource } = {}) {
    this.sender = sender;
    this.random = options.random ?? secureRandom;
  }

  private fail(step: string, sw: number, message?: string): never {
    const denied =
      step === 'mutualAuthenticate' && (sw === 0x6300 || (sw & 0xfff0) === 0x63c0 || sw === 0x6982);
    throw new ProtocolError(denied ? 'document_access_denied' : 'document_protocol_error', {
      protocol: 'PACE',
      step,
      sw,
      ...(message === undefined ? {} : { message }),
    });
  }

  private async generalAuthenticate(
    step: string,
    last: boolean,
    dataObject: Uint8Array,
    signal: AbortSignal | undefined,
  ): Promise<Uint8Array> {
    const r = await this.sender.send(
      new CommandApdu({
        cla: last ? 0x00 : 0x10,
        ins: 0x86,
        p1: 0,
        p2: 0,
        data: encodeTlv(0x7c, dataObject),
        ne: 256,
      }),
      signal,
    );
    if (!r.ok) this.fail(step, r.sw);
    try {
      const outer = parseTlv(r.data);
      if (outer.tag !== 0x7c || outer.totalLength !== r.data.length)
        throw new EmrtdError(
          'document_response_malformed',
          'dynamic authentication data (7C) expected',
        );
      return outer.value;
    } catch (err) {
      if (err instanceof EmrtdError)
        throw new ProtocolError('document_response_malformed', {
          protocol: 'PACE',
          step,
          sw: r.sw,
          message: err.message,
          cause: err,
        });
      throw err;
    }
  }

  private scalar(curve: NamedCurve): bigint {
    const n = curve.curve.Point.Fn.ORDER;
    for (;;) {
      const k = bytesToBigInt(this.random(curve.size)) % n;
      if (k !== 0n) return k;
    }
  }

  private decodePoint(
    curve: NamedCurve,
    bytes: Uint8Array | undefined,
    step: string,
  ): InstanceType<NamedCurve['curve']['Point']> {
    try {
      if (bytes === undefined || bytes.length !== 1 + 2 * curve.size || bytes[0] !== 0x04)
        throw new Error('not an uncompressed point');
      const p = curve.curve.Point.fromBytes(bytes);
      p.assertValidity();
      return p;
    } catch (err) {
      throw new ProtocolError('document_response_malformed', {
        protocol: 'PACE',
        step,
        message: `chip sent an invalid public key (${err instanceof Error ? err.message : 'bad point'})`,
      });
    }
  }

  private authToken(suite: PaceSuite, ksMac: Uint8Array, publicKey: Uint8Array): Uint8Array {
    const input = encodeTlv(
      0x7f49,
      concat(encodeTlv(0x06, encodeOid(suite.oid)), encodeTlv(0x86, publicKey)),
    );
    return suite.cipher === '3DES'
      ? retailMac(ksMac, padIso9797(input, 8))
      : aesCmac(ksMac, input).slice(0, 8);
  }

  /** Run PACE with `suite` and `password`. Returns the new channel; the caller installs it. */
  async run(suite: PaceSuite, password: PacePassword, signal?: AbortSignal): Promise<PaceResult> {
    const { curve, cipher } = suite;
    const G = curve.curve.Point.BASE;
    // MSE:Set AT (no Le: some German cards reject it)
    const mse = concat(
      encodeTlv(0x80, encodeOid(suite.oid)),
      encodeTlv(0x83, Uint8Array.of(password.kind === 'mrz' ? 0x01 : 0x02)),
      encodeTlv(0x84, Uint8Array.of(suite.parameterId)),
    );
    const mseR = await this.sender.send(
      new CommandApdu({ cla: 0x00, ins: 0x22, p1: 0xc1, p2: 0xa4, data: mse }),
      signal,
    );
    if (!mseR.ok) this.fail('mseSetAt', mseR.sw);

    // 1. encrypted nonce
    const ga1 = await this.generalAuthenticate('encryptedNonce', false, new Uint8Array(0), signal);
    const z = parseTlvList(ga1).find((t) => t.tag === 0x80)?.value;
    const block = cipher === '3DES' ? 8 : 16;
    if (z === undefined || z.length === 0 || z.length % block !== 0)
      throw new ProtocolError('document_response_malformed', {
        protocol: 'PACE',
        step: 'encryptedNonce',
        message: 'encrypted nonce (80) missing or not whole blocks',
      });
    const k = pacePasswordKey(password);
    const kPi = kdf(k, KDF_COUNTER.pace, cipher);
    const s =
      cipher === '3DES'
        ? tdesCbc(kPi, new Uint8Array(8), z, false)
        : aesCbc(kPi, new Uint8Array(16), z, false);
    wipe(k, kPi);

    // 2. map nonce (Generic Mapping: G~ = s·G + H, H = SK_map_PCD · PK_map_PICC)
    const skMapPcd = this.scalar(curve);
    const pkMapPcd = G.multiply(skMapPcd).toBytes(false);
    const ga2 = await this.generalAuthenticate(
      'mapNonce',
      false,
      encodeTlv(0x81, pkMapPcd),
      signal,
    );
    const pkMapPicc = this.decodePoint(
      curve,
      parseTlvList(ga2).find((t) => t.tag === 0x82)?.value,
      'mapNonce',
    );
    const h = pkMapPicc.multiply(skMapPcd);
    const gMapped = G.multiply(bytesToBigInt(s) % curve.curve.Point.Fn.ORDER).add(h);
    wipe(s);

    // 3. key agreement on the mapped generator
    const skPcd = this.scalar(curve);
    const pkPcd = gMapped.multiply(skPcd).toBytes(false);
    const ga3 = await this.generalAuthenticate(
      'keyAgreement',
      false,
      encodeTlv(0x83, pkPcd),
      signal,
    );
    const pkPiccBytes = parseTlvList(ga3).find((t) => t.tag === 0x84)?.value;
    const pkPicc = this.decodePoint(curve, pkPiccBytes, 'keyAgreement');
    if (bytesEqual(pkPicc.toBytes(false), pkPcd))
      throw new ProtocolError('document_protocol_error', {
        protocol: 'PACE',
        step: 'keyAgreement',
        message: 'chip echoed our ephemeral key',
      });
    const shared = uintToBytes(pkPicc.multiply(skPcd).toAffine().x, curve.size);
    const ksEnc = kdf(shared, KDF_COUNTER.enc, cipher);
    const ksMac = kdf(shared, KDF_COUNTER.mac, cipher);
    wipe(shared);

    // 4. mutual authentication
    const tPcd = this.authToken(suite, ksMac, pkPicc.toBytes(false));
    const ga4 = await this.generalAuthenticate(
      'mutualAuthenticate',
      true,
      encodeTlv(0x85, tPcd),
      signal,
    );
    const tPicc = parseTlvList(ga4).find((t) => t.tag === 0x86)?.value;
    if (tPicc === undefined || !bytesEqual(tPicc, this.authToken(suite, ksMac, pkPcd))) {
      throw new ProtocolError('document_access_denied', {
        protocol: 'PACE',
        step: 'verifyChipToken',
        message: "the chip's authentication token T_PICC does not verify",
      });
    }
    const secureMessaging = new SecureMessaging({
      cipher,
      ksEnc,
      ksMac,
      ssc: new Uint8Array(block),
    });
    wipe(ksEnc, ksMac);
    return { secureMessaging, suite, pkPicc: pkPicc.toBytes(false) };
  }
}
