import { createHash, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { TestPki } from '../pki/TestPki.js';
import { bytesEqual, bytesToBigInt, bigIntToBytes, concat, hex, swBytes } from './bytes.js';
import { CardSecureMessaging, SmStatusError } from './CardSecureMessaging.js';
import { ApduFormatError, parseCommandApdu, type CommandApdu } from './CommandApdu.js';
import { EMRTD_CURVES, type EmrtdCurve } from './ecCurves.js';
import { SAMPLE_FACE_PHOTOS } from '../camera/SAMPLE_FACE_PHOTOS.js';
import { createSamplePhoto } from './createSampleHolder.js';
import { createSamplePortrait } from './createSamplePortrait.js';
import type { EmrtdFaults } from './EmrtdFaults.js';
import {
  activeAuthenticationSign,
  buildEmrtdFiles,
  EF,
  paceOid,
  type EmrtdFiles,
  type PaceConfig,
} from './EmrtdFiles.js';
import type { EmrtdHolder, EmrtdPhoto } from './EmrtdHolder.js';
import { derOid } from './der.js';
import { OID } from './oids.js';
import {
  aesCmac,
  aesEncrypt,
  kdf,
  KDF_COUNTER,
  pad,
  retailMac,
  tdesDecrypt,
  tdesEncrypt,
  type SmAlgorithm,
} from './smCrypto.js';
import { findTlv, parseTlvs, tlv, TlvParseError } from './Tlv.js';

/** The eMRTD application identifier (ICAO 9303-10 §3.1). */
export const EMRTD_AID = hex('A0000002471001');

/** Which access-control protocols the chip accepts. */
export type EmrtdAccessControl = 'pace-and-bac' | 'pace-only' | 'bac-only';

/** Status word a chip answers when asked for more bytes than it returns per READ BINARY. */
export type OversizeReadStatus = '6700' | '6Cxx';

/** Options of {@link VirtualEmrtd}. Defaults in {@link VIRTUAL_EMRTD_DEFAULTS}. */
export interface VirtualEmrtdOptions {
  /** The chip's generated files and keys (see {@link buildEmrtdFiles} or {@link VirtualEmrtd.create}). */
  readonly files: EmrtdFiles;
  /** PACE parameters the chip runs (must match its EF.CardAccess); `false` for no PACE. */
  readonly pace: PaceConfig | false;
  readonly accessControl?: EmrtdAccessControl;
  /** Card Access Number accepted as PACE password (6 digits), if any. */
  readonly can?: string;
  /** Declare and accept extended-length APDUs (in the ATR historical bytes and EF.ATR/INFO). */
  readonly extendedLength?: boolean;
  /** Most data bytes one short READ BINARY returns (further capped at 223 under AES SM, 231 under 3DES SM). */
  readonly maxReadLength?: number;
  /**
   * Largest extended-length response APDU (data field and status word), declared in EF.ATR/INFO.
   * A plain extended READ BINARY returns at most this − 2 bytes; a protected one only as many as
   * fit beside the secure-messaging objects — a larger Le is refused (6700 / 6Cxx).
   */
  readonly maxExtendedReadLength?: number;
  /** Answer to Le above the limit: 6700 (wrong length) or 6Cxx (xx = the limit). */
  readonly oversizeReadStatus?: OversizeReadStatus;
  /**
   * Answer a too-long protected READ BINARY with a bare (unprotected) 6700 / 6Cxx, which ends
   * secure messaging, as some real chips do (DOCUMENTS.md: a Russian passport, a Spanish ID):
   * the terminal must authenticate again before it can read on.
   */
  readonly oversizeReadUnprotected?: boolean;
  readonly faults?: EmrtdFaults;
  /** Randomness source (tests inject the worked examples' nonces and keys). */
  readonly random?: (length: number) => Uint8Array;
}

/** Defaults of {@link VirtualEmrtdOptions}. */
export const VIRTUAL_EMRTD_DEFAULTS = {
  accessControl: 'pace-and-bac' as EmrtdAccessControl,
  extendedLength: false,
  maxReadLength: 256,
  maxExtendedReadLength: 0x1000,
  oversizeReadStatus: '6700' as OversizeReadStatus,
  oversizeReadUnprotected: false,
} as const;

/** Options of {@link VirtualEmrtd.create}: the holder plus card configuration; files are generated. */
export interface VirtualEmrtdCreateOptions extends Omit<VirtualEmrtdOptions, 'files' | 'pace'> {
  readonly holder: EmrtdHolder;
  /** The PKI whose CSCA signs the Document Signer (a fresh one when absent). */
  readonly pki?: TestPki;
  /** PACE parameters; default brainpoolP256r1 with AES-128; `false` for a BAC-only chip. */
  readonly pace?: PaceConfig | false;
  readonly chipAuthentication?: boolean;
  /** Cipher after Chip Authentication: AES-128 (default) or 3DES (MSE:Set KAT). */
  readonly chipAuthenticationCipher?: 'AES-128' | '3DES';
  readonly activeAuthentication?: boolean;
  /** How the Document Signer signs EF.SOD: ECDSA P-256 (default), RSA PKCS#1 v1.5 or RSASSA-PSS. */
  readonly sodSignature?: 'ecdsa' | 'rsa-pkcs1' | 'rsa-pss';
}

const SW = {
  ok: 0x9000,
  endOfFile: 0x6282,
  authFailed: 0x6300,
  wrongLength: 0x6700,
  smMissing: 0x6987,
  smWrong: 0x6988,
  securityNotSatisfied: 0x6982,
  conditionsNotSatisfied: 0x6985,
  noCurrentEf: 0x6986,
  wrongData: 0x6a80,
  fileNotFound: 0x6a82,
  wrongP1P2: 0x6a86,
  refDataNotFound: 0x6a88,
  wrongOffset: 0x6b00,
  insNotSupported: 0x6d00,
  claNotSupported: 0x6e00,
} as const;

interface CardResponse {
  readonly data: Uint8Array;
  readonly sw: number;
}

const SFI: Readonly<Record<number, number>> = {
  0x1c: EF.cardAccess,
  0x1e: EF.com,
  0x1d: EF.sod,
  0x01: EF.dg1,
  0x02: EF.dg2,
  0x0b: EF.dg11,
  0x0c: EF.dg12,
  0x0e: EF.dg14,
  0x0f: EF.dg15,
};

interface PaceState {
  step: number;
  kPi: Uint8Array;
  s?: bigint;
  mappedG?: InstanceType<EmrtdCurve['Point']>;
  pkPicc?: Uint8Array;
  pkPcd?: Uint8Array;
  ksEnc?: Uint8Array;
  ksMac?: Uint8Array;
}

/**
 * A virtual ICAO 9303 eMRTD chip: an ISO/IEC 7816-4 card application that answers command
 * APDUs with response APDUs exactly like a contactless passport behind a PC/SC reader —
 * SELECT, READ BINARY, GET CHALLENGE, EXTERNAL AUTHENTICATE (BAC), MSE:Set AT + GENERAL
 * AUTHENTICATE (PACE ECDH Generic Mapping), secure messaging (3DES / AES), Chip Authentication
 * and Active Authentication, with configurable read limits and fault modes.
 *
 * Drive it with {@link VirtualEmrtd.transmit}; put it on a real PC/SC stack with
 * `SimulatedDocumentReader` (vpcd). `transmit` answers `null` when the card has left the field
 * (the `removeAfterBytes` fault).
 *
 * @example
 * const card = await VirtualEmrtd.create({ holder: await createSampleHolder() });
 * card.powerOn();
 * card.transmit(hex('00A4040C07A0000002471001')); // → 9000
 */
export class VirtualEmrtd {
  readonly files: EmrtdFiles;
  readonly atr: Uint8Array;
  readonly #options: Required<
    Omit<VirtualEmrtdOptions, 'can' | 'random' | 'faults' | 'files' | 'pace'>
  >;
  readonly #pace: PaceConfig | false;
  readonly #can: string | undefined;
  readonly #faults: EmrtdFaults;
  readonly #random: (length: number) => Uint8Array;
  readonly #fileSystem: Map<number, Uint8Array>;
  #appSelected = false;
  #currentEf: number | undefined;
  #sm: CardSecureMessaging | undefined;
  #accessGranted = false;
  #rndIc: Uint8Array | undefined;
  #paceState: PaceState | undefined;
  #caSelected = false;
  #pendingSm: CardSecureMessaging | undefined;
  #removed = false;
  #bytesServed = 0;
  #protectedReads = 0;
  #cloneAaKey: KeyObject | undefined;
  #protocolRun: 'BAC' | 'PACE' | undefined;

  constructor(options: VirtualEmrtdOptions) {
    // `pace: false` alone means a BAC-only chip
    const accessControl =
      options.accessControl ??
      (options.pace === false ? 'bac-only' : VIRTUAL_EMRTD_DEFAULTS.accessControl);
    const merged = { ...VIRTUAL_EMRTD_DEFAULTS, ...stripUndefined(options), accessControl };
    if (
      !Number.isInteger(merged.maxReadLength) ||
      merged.maxReadLength < 1 ||
      merged.maxReadLength > 256
    ) {
      throw new RangeError(`maxReadLength must be 1..256, got ${merged.maxReadLength}`);
    }
    if (options.can !== undefined && !/^\d{6}$/.test(options.can))
      throw new RangeError('can must be 6 digits');
    if (merged.accessControl !== 'bac-only' && options.pace === false) {
      throw new RangeError(`accessControl ${merged.accessControl} needs a PACE configuration`);
    }
    this.files = options.files;
    this.#pace = merged.accessControl === 'bac-only' ? false : options.pace;
    this.#can = options.can;
    this.#faults = options.faults ?? {};
    this.#random = options.random ?? ((n) => new Uint8Array(randomBytes(n)));
    this.#options = {
      accessControl: merged.accessControl,
      extendedLength: merged.extendedLength,
      maxReadLength: merged.maxReadLength,
      maxExtendedReadLength: merged.maxExtendedReadLength,
      oversizeReadStatus: merged.oversizeReadStatus,
      oversizeReadUnprotected: merged.oversizeReadUnprotected,
    };
    this.#fileSystem = new Map(options.files.files);
    if (!this.#pace) this.#fileSystem.delete(EF.cardAccess);
    if (this.#faults.hideCloneDetection === true) hideCloneDetectionFiles(this.#fileSystem);
    if (this.#options.extendedLength) {
      const max = this.#options.maxExtendedReadLength;
      const maxBytes = Uint8Array.of((max >> 8) & 0xff, max & 0xff);
      this.#fileSystem.set(EF.atrInfo, tlv(0x7f66, tlv(0x02, maxBytes), tlv(0x02, maxBytes)));
    }
    this.atr = buildAtr(this.#options.extendedLength);
  }

  /** Generates files (PKI, DS, SOD, keys) for `holder` and returns the card. */
  static async create(options: VirtualEmrtdCreateOptions): Promise<VirtualEmrtd> {
    const faults = options.faults ?? {};
    const pace =
      options.pace === undefined
        ? ({ curve: 'brainpoolP256r1', cipher: 'AES-128' } as const)
        : options.pace;
    const pki = options.pki ?? (await TestPki.create());
    const signingPki = faults.untrustedDs
      ? await TestPki.create({ cscaName: 'kycd untrusted CSCA' })
      : pki;
    const rsa = options.sodSignature === 'rsa-pkcs1' || options.sodSignature === 'rsa-pss';
    const documentSigner = await signingPki.issueDocumentSigner({
      expired: faults.expiredDs === true,
      keyType: rsa ? 'rsa' : 'ec',
    });
    let swappedPhoto: EmrtdPhoto | undefined;
    if (faults.hashMismatch === true)
      swappedPhoto = await anotherPersonsPhoto(options.holder.photo);
    else if (faults.hashMismatch) swappedPhoto = faults.hashMismatch;
    const files = buildEmrtdFiles(options.holder, {
      documentSigner,
      pace: options.accessControl === 'bac-only' ? false : pace,
      chipAuthentication: options.chipAuthentication ?? true,
      ...(options.chipAuthenticationCipher ? { caCipher: options.chipAuthenticationCipher } : {}),
      activeAuthentication: options.activeAuthentication ?? false,
      ...(faults.corruptTlvInDataGroup !== undefined
        ? { corruptTlvInDataGroup: faults.corruptTlvInDataGroup }
        : {}),
      ...(swappedPhoto ? { swappedPhoto } : {}),
      ...(options.sodSignature === 'rsa-pss' ? { rsaSignature: 'pss' as const } : {}),
    });
    return new VirtualEmrtd({
      ...options,
      files,
      pace: options.accessControl === 'bac-only' ? false : pace,
    });
  }

  /** The access-control protocol that last succeeded in this power cycle. */
  get protocolRun(): 'BAC' | 'PACE' | undefined {
    return this.#protocolRun;
  }

  /** True once the card has left the field (the `removeAfterBytes` fault fired). */
  get removed(): boolean {
    return this.#removed;
  }

  /** Power on / reset: the MF is selected, every session and key is forgotten. */
  powerOn(): void {
    this.#appSelected = false;
    this.#currentEf = undefined;
    this.#sm = undefined;
    this.#pendingSm = undefined;
    this.#accessGranted = false;
    this.#rndIc = undefined;
    this.#paceState = undefined;
    this.#caSelected = false;
    this.#protocolRun = undefined;
  }

  /** Power off: same as a reset for a contactless chip. */
  powerOff(): void {
    this.powerOn();
  }

  /**
   * Processes one command APDU and returns the response APDU (data ‖ SW1 SW2), or `null` when
   * the card has left the field. Never throws for malformed input: that is a status word.
   */
  transmit(commandBytes: Uint8Array): Uint8Array | null {
    if (this.#removed) return null;
    let command: CommandApdu;
    try {
      command = parseCommandApdu(commandBytes);
    } catch (error) {
      if (error instanceof ApduFormatError) return swBytes(SW.wrongLength);
      throw error;
    }
    if (command.extended && !this.#options.extendedLength) return swBytes(SW.wrongLength);
    const claBase = command.cla & ~0x1c & 0xff;
    if (claBase !== 0x00) return swBytes(SW.claNotSupported);
    if ((command.cla & 0x0c) === 0x0c) return this.#transmitProtected(command);
    if (this.#sm) {
      // a plain command ends the secure-messaging session (ICAO 9303-11 §9.8.6)
      this.#killSession();
      if (command.ins !== 0xa4 || command.p1 !== 0x04) return swBytes(SW.smMissing);
    }
    const response = this.#dispatch(command, false);
    return response === null ? null : concat(response.data, swBytes(response.sw));
  }

  #killSession(): void {
    this.#sm = undefined;
    this.#pendingSm = undefined;
    this.#accessGranted = false;
    this.#caSelected = false;
  }

  #transmitProtected(command: CommandApdu): Uint8Array | null {
    const sm = this.#sm;
    if (!sm) return swBytes(SW.smWrong);
    let plain: CommandApdu;
    try {
      plain = sm.unwrapCommand(command);
    } catch (error) {
      if (error instanceof SmStatusError) {
        this.#killSession();
        return swBytes(error.sw);
      }
      throw error;
    }
    const isRead = plain.ins === 0xb0 || plain.ins === 0xb1;
    if (isRead) this.#protectedReads++;
    const response = this.#dispatch(plain, true);
    if (response === null) return null;
    if (
      isRead &&
      this.#options.oversizeReadUnprotected &&
      (response.sw === SW.wrongLength || (response.sw & 0xff00) === 0x6c00)
    ) {
      // the chip answers outside SM, which ends the session (9303-11 §9.8.6)
      this.#killSession();
      return swBytes(response.sw);
    }
    const wrongMac = isRead && this.#faults.wrongMacOnRead === this.#protectedReads;
    let wrapped = sm.wrapResponse(response.data, response.sw, wrongMac);
    if (isRead && this.#faults.truncateOnRead === this.#protectedReads) {
      wrapped = concat(wrapped.subarray(0, Math.max(0, wrapped.length - 2 - 7)), swBytes(SW.ok));
    }
    if (this.#pendingSm) {
      this.#sm = this.#pendingSm;
      this.#pendingSm = undefined;
    }
    return wrapped;
  }

  #dispatch(command: CommandApdu, isProtected: boolean): CardResponse | null {
    switch (command.ins) {
      case 0xa4:
        return this.#select(command, isProtected);
      case 0xb0:
        return this.#readBinary(command, isProtected);
      case 0x84:
        return this.#getChallenge(command);
      case 0x82:
        return this.#externalAuthenticate(command);
      case 0x22:
        return this.#manageSecurityEnvironment(command, isProtected);
      case 0x86:
        return this.#generalAuthenticate(command, isProtected);
      case 0x88:
        return this.#internalAuthenticate(command, isProtected);
      default:
        return { data: new Uint8Array(0), sw: SW.insNotSupported };
    }
  }

  #status(sw: number): CardResponse {
    return { data: new Uint8Array(0), sw };
  }

  #select(command: CommandApdu, isProtected: boolean): CardResponse {
    const fci = (command.p2 & 0x0c) !== 0x0c;
    if (command.p1 === 0x04) {
      if (!bytesEqual(command.data, EMRTD_AID)) return this.#status(SW.fileNotFound);
      this.#appSelected = true;
      this.#currentEf = undefined;
      return { data: fci ? tlv(0x6f, tlv(0x84, EMRTD_AID)) : new Uint8Array(0), sw: SW.ok };
    }
    if (command.p1 !== 0x00 && command.p1 !== 0x02) return this.#status(SW.wrongP1P2);
    if (
      command.data.length === 0 ||
      (command.data.length === 2 && command.data[0] === 0x3f && command.data[1] === 0x00)
    ) {
      if (command.p1 !== 0x00) return this.#status(SW.wrongP1P2);
      this.#appSelected = false;
      this.#currentEf = undefined;
      return this.#status(SW.ok);
    }
    if (command.data.length !== 2) return this.#status(SW.wrongData);
    const fid = ((command.data[0] ?? 0) << 8) | (command.data[1] ?? 0);
    const inMf = fid === EF.cardAccess || fid === EF.atrInfo;
    if (inMf ? this.#appSelected && fid !== EF.cardAccess : !this.#appSelected)
      return this.#status(SW.fileNotFound);
    const file = this.#fileSystem.get(fid);
    if (!file) return this.#status(SW.fileNotFound);
    if (!inMf && !(isProtected && this.#accessGranted))
      return this.#status(SW.securityNotSatisfied);
    this.#currentEf = fid;
    const fcp = tlv(
      0x62,
      tlv(0x80, Uint8Array.of((file.length >> 8) & 0xff, file.length & 0xff)),
      tlv(0x82, Uint8Array.of(0x01)),
      tlv(0x83, command.data),
    );
    return { data: fci ? fcp : new Uint8Array(0), sw: SW.ok };
  }

  #readBinary(command: CommandApdu, isProtected: boolean): CardResponse | null {
    let fid = this.#currentEf;
    let offset: number;
    if ((command.p1 & 0x80) !== 0) {
      if ((command.p1 & 0x60) !== 0) return this.#status(SW.wrongP1P2);
      fid = SFI[command.p1 & 0x1f];
      if (fid === undefined || !this.#fileSystem.has(fid)) return this.#status(SW.fileNotFound);
      const inMf = fid === EF.cardAccess || fid === EF.atrInfo;
      if (!inMf && !this.#appSelected) return this.#status(SW.fileNotFound);
      offset = command.p2;
    } else {
      offset = ((command.p1 & 0x7f) << 8) | command.p2;
    }
    if (fid === undefined) return this.#status(SW.noCurrentEf);
    const file = this.#fileSystem.get(fid);
    if (!file) return this.#status(SW.noCurrentEf);
    const open = fid === EF.cardAccess || fid === EF.atrInfo;
    if (!open && !(isProtected && this.#accessGranted))
      return this.#status(SW.securityNotSatisfied);
    if (command.le === undefined) return this.#status(SW.wrongLength);
    if (offset > file.length) return this.#status(SW.wrongOffset);
    const limit = this.#readLimit(command.extended, isProtected);
    if (command.le > limit) {
      if (this.#options.oversizeReadStatus === '6Cxx') return this.#status(0x6c00 | (limit & 0xff));
      return this.#status(SW.wrongLength);
    }
    const length = Math.min(command.le, file.length - offset);
    if (
      isProtected &&
      this.#faults.removeAfterBytes !== undefined &&
      this.#bytesServed + length > this.#faults.removeAfterBytes
    ) {
      this.#removed = true;
      return null;
    }
    if (isProtected) this.#bytesServed += length;
    const data = file.subarray(offset, offset + length);
    return { data, sw: length < command.le ? SW.endOfFile : SW.ok };
  }

  #readLimit(extended: boolean, isProtected: boolean): number {
    if (extended) {
      const max = this.#options.maxExtendedReadLength;
      if (!isProtected || !this.#sm) return max - 2;
      const block = this.#sm.algorithm === 'AES' ? 16 : 8;
      let le = max;
      while (le > 0 && protectedResponseLength(le, block) > max) le--;
      return le;
    }
    const smCap = isProtected ? (this.#sm?.algorithm === 'AES' ? 223 : 231) : 256;
    return Math.min(this.#options.maxReadLength, smCap);
  }

  #getChallenge(command: CommandApdu): CardResponse {
    if (command.le !== 8) return this.#status(SW.wrongLength);
    this.#rndIc = this.#random(8);
    return { data: this.#rndIc, sw: SW.ok };
  }

  #externalAuthenticate(command: CommandApdu): CardResponse {
    if (this.#options.accessControl === 'pace-only') return this.#status(SW.insNotSupported);
    const rndIc = this.#rndIc;
    this.#rndIc = undefined;
    if (!rndIc) return this.#status(SW.conditionsNotSatisfied);
    if (command.data.length !== 40) return this.#status(SW.wrongLength);
    const kSeed = createHash('sha1').update(this.files.mrz.mrzInformation).digest().subarray(0, 16);
    const kEnc = kdf(kSeed, KDF_COUNTER.enc, '3DES');
    const kMac = kdf(kSeed, KDF_COUNTER.mac, '3DES');
    const eIfd = command.data.subarray(0, 32);
    const mIfd = command.data.subarray(32, 40);
    if (!bytesEqual(retailMac(kMac, pad(eIfd, 8)), mIfd)) return this.#status(SW.authFailed);
    const s = tdesDecrypt(kEnc, eIfd);
    const rndIfd = s.subarray(0, 8);
    if (!bytesEqual(s.subarray(8, 16), rndIc)) return this.#status(SW.authFailed);
    const kIfd = s.subarray(16, 32);
    const kIc = this.#random(16);
    const r = concat(rndIc, rndIfd, kIc);
    const eIc = tdesEncrypt(kEnc, r);
    const mIc = retailMac(kMac, pad(eIc, 8));
    const ksSeed = kIfd.map((b, i) => b ^ (kIc[i] ?? 0));
    this.#sm = new CardSecureMessaging({
      algorithm: '3DES',
      ksEnc: kdf(ksSeed, KDF_COUNTER.enc, '3DES'),
      ksMac: kdf(ksSeed, KDF_COUNTER.mac, '3DES'),
      ssc: concat(rndIc.subarray(4, 8), rndIfd.subarray(4, 8)),
    });
    this.#accessGranted = true;
    this.#protocolRun = 'BAC';
    return { data: concat(eIc, mIc), sw: SW.ok };
  }

  #manageSecurityEnvironment(command: CommandApdu, isProtected: boolean): CardResponse {
    let objects;
    try {
      objects = parseTlvs(command.data);
    } catch (error) {
      if (error instanceof TlvParseError) return this.#status(SW.wrongData);
      throw error;
    }
    const p1p2 = (command.p1 << 8) | command.p2;
    if (p1p2 === 0xc1a4) {
      if (!this.#pace) return this.#status(SW.insNotSupported);
      const oid = findTlv(objects, 0x80);
      if (!oid || !bytesEqual(tlv(0x06, oid), derOid(paceOid(this.#pace))))
        return this.#status(SW.wrongData);
      const paramId = findTlv(objects, 0x84);
      const curve = EMRTD_CURVES[this.#pace.curve];
      if (paramId && (paramId.length !== 1 || paramId[0] !== curve.paceParameterId))
        return this.#status(SW.wrongData);
      const ref = findTlv(objects, 0x83);
      if (!ref || ref.length !== 1) return this.#status(SW.wrongData);
      let password: Uint8Array;
      if (ref[0] === 0x01)
        password = createHash('sha1').update(this.files.mrz.mrzInformation).digest();
      else if (ref[0] === 0x02 && this.#can) password = new TextEncoder().encode(this.#can);
      else return this.#status(SW.refDataNotFound);
      this.#paceState = {
        step: 1,
        kPi: kdf(password, KDF_COUNTER.pace, paceAlgorithm(this.#pace), paceKeyLength(this.#pace)),
      };
      return this.#status(SW.ok);
    }
    if (p1p2 === 0x41a4) {
      if (!isProtected || !this.#accessGranted) return this.#status(SW.securityNotSatisfied);
      const oid = findTlv(objects, 0x80);
      const key = this.files.chipAuthenticationKey;
      if (
        !key ||
        key.cipher !== 'AES-128' ||
        !oid ||
        !bytesEqual(tlv(0x06, oid), derOid(OID.caEcdhAes128))
      ) {
        return this.#status(SW.wrongData);
      }
      this.#caSelected = true;
      return this.#status(SW.ok);
    }
    if (p1p2 === 0x41a6) {
      // Chip Authentication with 3DES (9303-11 §6.2.4.1): MSE:Set KAT carries the ephemeral key
      if (!isProtected || !this.#accessGranted) return this.#status(SW.securityNotSatisfied);
      const key = this.files.chipAuthenticationKey;
      const ephemeral = findTlv(objects, 0x91);
      if (!key || key.cipher !== '3DES' || !ephemeral) return this.#status(SW.wrongData);
      return this.#chipAuthenticationAgreement(ephemeral, '3DES');
    }
    return this.#status(SW.wrongP1P2);
  }

  #randomScalar(curve: EmrtdCurve): bigint {
    for (;;) {
      const k = bytesToBigInt(this.#random(curve.size));
      if (k > 0n && k < curve.Point.Fn.ORDER) return k;
    }
  }

  #generalAuthenticate(command: CommandApdu, isProtected: boolean): CardResponse {
    let inner;
    try {
      const outer = parseTlvs(command.data);
      const dynamic = findTlv(outer, 0x7c);
      if (dynamic === undefined) return this.#status(SW.wrongData);
      inner = parseTlvs(dynamic);
    } catch (error) {
      if (error instanceof TlvParseError) return this.#status(SW.wrongData);
      throw error;
    }
    if (isProtected && this.#caSelected) return this.#chipAuthentication(inner);
    const state = this.#paceState;
    if (!state || !this.#pace || isProtected) return this.#status(SW.conditionsNotSatisfied);
    const curve = EMRTD_CURVES[this.#pace.curve];
    const G = curve.Point.BASE;
    try {
      switch (state.step) {
        case 1: {
          if (inner.length !== 0) return this.#status(SW.wrongData);
          const s = this.#random(16);
          state.s = bytesToBigInt(s);
          state.step = 2;
          const z =
            paceAlgorithm(this.#pace) === 'AES'
              ? aesEncrypt(state.kPi, s)
              : tdesEncrypt(state.kPi, s);
          return { data: tlv(0x7c, tlv(0x80, z)), sw: SW.ok };
        }
        case 2: {
          const pkMapPcd = curve.Point.fromBytes(findTlv(inner, 0x81) ?? new Uint8Array(0));
          const skMapPicc = this.#randomScalar(curve);
          const pkMapPicc = G.multiply(skMapPicc).toBytes(false);
          const h = pkMapPcd.multiply(skMapPicc);
          state.mappedG = G.multiply(state.s ?? 1n).add(h);
          state.step = 3;
          return { data: tlv(0x7c, tlv(0x82, pkMapPicc)), sw: SW.ok };
        }
        case 3: {
          const pkPcdBytes = findTlv(inner, 0x83) ?? new Uint8Array(0);
          const pkPcd = curve.Point.fromBytes(pkPcdBytes);
          const mappedG = state.mappedG;
          if (!mappedG) return this.#status(SW.conditionsNotSatisfied);
          const skPicc = this.#randomScalar(curve);
          const pkPicc = mappedG.multiply(skPicc).toBytes(false);
          if (bytesEqual(pkPicc, pkPcdBytes)) return this.#status(SW.wrongData);
          const k = bigIntToBytes(pkPcd.multiply(skPicc).toAffine().x, curve.size);
          const algorithm = paceAlgorithm(this.#pace);
          state.ksEnc = kdf(k, KDF_COUNTER.enc, algorithm, paceKeyLength(this.#pace));
          state.ksMac = kdf(k, KDF_COUNTER.mac, algorithm, paceKeyLength(this.#pace));
          state.pkPicc = pkPicc;
          state.pkPcd = Uint8Array.from(pkPcdBytes);
          state.step = 4;
          return { data: tlv(0x7c, tlv(0x84, pkPicc)), sw: SW.ok };
        }
        case 4: {
          const tPcd = findTlv(inner, 0x85);
          const { ksEnc, ksMac, pkPicc, pkPcd } = state;
          if (!tPcd || !ksEnc || !ksMac || !pkPicc || !pkPcd) return this.#status(SW.wrongData);
          const oid = derOid(paceOid(this.#pace));
          const algorithm = paceAlgorithm(this.#pace);
          const token = (publicKey: Uint8Array): Uint8Array =>
            paceToken(algorithm, ksMac, tlv(0x7f49, oid, tlv(0x86, publicKey)));
          const expected = token(pkPicc);
          this.#paceState = undefined;
          if (!bytesEqual(expected, tPcd)) return this.#status(SW.authFailed);
          const tPicc = token(pkPcd);
          this.#sm = new CardSecureMessaging({
            algorithm,
            ksEnc,
            ksMac,
            ssc: new Uint8Array(algorithm === 'AES' ? 16 : 8),
          });
          this.#accessGranted = true;
          this.#protocolRun = 'PACE';
          return { data: tlv(0x7c, tlv(0x86, tPicc)), sw: SW.ok };
        }
        default:
          return this.#status(SW.conditionsNotSatisfied);
      }
    } catch (error) {
      // an invalid point from the terminal (not on the curve, wrong encoding)
      this.#paceState = undefined;
      if (error instanceof Error) return this.#status(SW.wrongData);
      throw error;
    }
  }

  #chipAuthentication(inner: ReturnType<typeof parseTlvs>): CardResponse {
    this.#caSelected = false;
    const response = this.#chipAuthenticationAgreement(
      findTlv(inner, 0x80) ?? new Uint8Array(0),
      'AES',
    );
    return response.sw === SW.ok ? { data: tlv(0x7c), sw: SW.ok } : response;
  }

  /**
   * The chip's half of CA key agreement: K = x(SK_chip · PK_terminal); new SM keys from K, SSC 0.
   * They take effect after this command's (old-key) response. A clone lacks SK_chip.
   */
  #chipAuthenticationAgreement(ephemeral: Uint8Array, algorithm: 'AES' | '3DES'): CardResponse {
    const key = this.files.chipAuthenticationKey;
    if (!key) return this.#status(SW.conditionsNotSatisfied);
    const curve = EMRTD_CURVES[key.curve];
    let pkPcd;
    try {
      pkPcd = curve.Point.fromBytes(ephemeral);
    } catch {
      return this.#status(SW.wrongData);
    }
    const sk = this.#faults.chipClone ? this.#randomScalar(curve) : key.privateKey;
    const k = bigIntToBytes(pkPcd.multiply(sk).toAffine().x, curve.size);
    this.#pendingSm = new CardSecureMessaging({
      algorithm,
      ksEnc: kdf(k, KDF_COUNTER.enc, algorithm, 16),
      ksMac: kdf(k, KDF_COUNTER.mac, algorithm, 16),
      ssc: new Uint8Array(algorithm === 'AES' ? 16 : 8),
    });
    return { data: new Uint8Array(0), sw: SW.ok };
  }

  #internalAuthenticate(command: CommandApdu, isProtected: boolean): CardResponse {
    if (!isProtected || !this.#accessGranted) return this.#status(SW.securityNotSatisfied);
    const key = this.files.activeAuthenticationKey;
    if (!key) return this.#status(SW.insNotSupported);
    if (command.data.length !== 8) return this.#status(SW.wrongData);
    let signingKey = key;
    if (this.#faults.chipClone) {
      this.#cloneAaKey ??= generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey;
      signingKey = this.#cloneAaKey;
    }
    return { data: activeAuthenticationSign(signingKey, command.data, this.#random), sw: SW.ok };
  }
}

/** DG tags (ICAO 9303-10 §4.6.1) of the clone-detection data groups DG14 and DG15. */
const CLONE_DETECTION_TAGS = new Set([0x6e, 0x6f]);

/** The `hideCloneDetection` fault: drop DG14/DG15 and their tags from EF.COM's list (EF.SOD is left as signed). */
function hideCloneDetectionFiles(fileSystem: Map<number, Uint8Array>): void {
  fileSystem.delete(EF.dg14);
  fileSystem.delete(EF.dg15);
  const com = fileSystem.get(EF.com);
  const outer = com === undefined ? undefined : parseTlvs(com)[0];
  if (outer === undefined) return;
  const rebuilt = parseTlvs(outer.value).map((o) =>
    o.tag === 0x5c
      ? tlv(
          0x5c,
          o.value.filter((t) => !CLONE_DETECTION_TAGS.has(t)),
        )
      : tlv(o.tag, o.value),
  );
  fileSystem.set(EF.com, tlv(0x60, ...rebuilt));
}

/** Bytes of a protected response carrying `dataLength` bytes: DO87 ‖ DO99 ‖ DO8E ‖ SW1 SW2 (9303-11 §9.8.6). */
function protectedResponseLength(dataLength: number, block: number): number {
  const do87 =
    dataLength === 0
      ? 0
      : tlv(0x87, new Uint8Array(1 + (Math.floor(dataLength / block) + 1) * block)).length;
  return do87 + 4 + 10 + 2;
}

function paceAlgorithm(pace: PaceConfig): SmAlgorithm {
  return pace.cipher === '3DES' ? '3DES' : 'AES';
}

/** The PACE authentication token (9303-11 §4.4.3.4): AES-CMAC or the retail MAC, 8 bytes. */
function paceToken(algorithm: SmAlgorithm, ksMac: Uint8Array, input: Uint8Array): Uint8Array {
  return algorithm === 'AES'
    ? aesCmac(ksMac, input).subarray(0, 8)
    : retailMac(ksMac, pad(input, 8));
}

function paceKeyLength(pace: PaceConfig): number {
  return pace.cipher === 'AES-128' || pace.cipher === '3DES'
    ? 16
    : pace.cipher === 'AES-192'
      ? 24
      : 32;
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/**
 * The ATR a PC/SC reader synthesizes for an ISO 14443-4 card (PC/SC part 3 §3.1.3.2.3):
 * 3B 8n 80 01 ‖ historical bytes ‖ TCK. The historical bytes carry card capabilities
 * (compact-TLV tag 7, ISO 7816-4 §8.1.1.2.7) whose third byte declares extended Lc/Le (bit 7).
 */
export function buildAtr(extendedLength: boolean): Uint8Array {
  const historical = Uint8Array.of(0x80, 0x73, 0xb0, 0x21, extendedLength ? 0xc0 : 0x80);
  const body = concat(Uint8Array.of(0x80 | historical.length, 0x80, 0x01), historical);
  let tck = 0;
  for (const b of body) tck ^= b;
  return concat(Uint8Array.of(0x3b), body, Uint8Array.of(tck));
}

/** For the `hashMismatch` fault: the portrait of the last sample face, or a generated face, never the holder's own photo. */
async function anotherPersonsPhoto(own: EmrtdPhoto): Promise<EmrtdPhoto> {
  const id = SAMPLE_FACE_PHOTOS[SAMPLE_FACE_PHOTOS.length - 1]?.id;
  if (id !== undefined) {
    try {
      const portrait = await createSamplePortrait(id);
      if (!bytesEqual(portrait.data, own.data)) return portrait;
    } catch {
      // the sample photos are unavailable: fall back to a generated face
    }
  }
  for (let variant = 5; ; variant++) {
    const generated = await createSamplePhoto({ variant });
    if (!bytesEqual(generated.data, own.data)) return generated;
  }
}
