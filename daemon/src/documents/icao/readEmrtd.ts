import { createHash } from 'node:crypto';
import type {
  AuthenticityCheck,
  DocumentFields,
  DocumentPhoto,
  DocumentReadResult,
} from '../DocumentReadResult.js';
import { CommandApdu } from './apdu/CommandApdu.js';
import { EmrtdError } from './EmrtdError.js';
import { ProtocolError } from './ProtocolError.js';
import { deriveBacKeys, mrzInformation } from './crypto/bacKeys.js';
import { normalizeCredentials, type EmrtdCredentials } from './EmrtdCredentials.js';
import { EfCom } from './files/EfCom.js';
import { Dg1File } from './files/Dg1File.js';
import { Dg2File } from './files/Dg2File.js';
import { parseDg11, parseDg12 } from './files/Dg11File.js';
import { SodFile } from './files/SodFile.js';
import { SecurityInfos, OID_AA } from './files/SecurityInfos.js';
import { decodeFaceImage } from './files/decodeFaceImage.js';
import { LdsFileReader, type FileReadProgress } from './files/LdsFileReader.js';
import { EMRTD_AID, FID, dataGroupFid, type DataGroupNumber } from './files/lds.js';
import { BacProtocol } from './protocols/BacProtocol.js';
import { PaceProtocol, selectPaceSuite, type PaceSuite } from './protocols/PaceProtocol.js';
import { ChipAuthentication, planChipAuthentication } from './protocols/ChipAuthentication.js';
import { ActiveAuthentication } from './protocols/ActiveAuthentication.js';
import type { RandomSource } from './protocols/randomBytes.js';
import { SecureMessagingSender, type ApduTrace } from './sm/SecureMessagingSender.js';
import type { CardTransport } from './transport/CardTransport.js';
import { parseTlv, parseTlvList } from './tlv/BerTlv.js';
import { decodeOid } from './tlv/oid.js';
import { CscaTrustStore } from '../authenticity/CscaTrustStore.js';
import {
  verifyPassiveAuthentication,
  type PassiveAuthenticationReport,
} from '../authenticity/PassiveAuthentication.js';

/** SELECT by AID of the eMRTD application (Doc 9303-10), no response data expected. */
const SELECT_EMRTD_APPLICATION = new CommandApdu({
  cla: 0,
  ins: 0xa4,
  p1: 0x04,
  p2: 0x0c,
  data: EMRTD_AID,
});

/** Progress of {@link readEmrtd}: the phase, and for file reads the bytes read of the file. */
export type EmrtdReadProgress =
  | { readonly phase: 'accessControl'; readonly protocol: 'PACE' | 'BAC' }
  | ({ readonly phase: 'read' } & FileReadProgress)
  | { readonly phase: 'verify' };

/** Options of {@link readEmrtd}. */
export interface ReadEmrtdOptions {
  /** MRZ or CAN; without them the read fails with `document_credentials_required`. */
  readonly credentials?: EmrtdCredentials;
  /** CSCA trust anchors; without any, Passive Authentication reports the chain as not run. */
  readonly trustStore?: CscaTrustStore;
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: EmrtdReadProgress) => void;
  /** Trace of every APDU (lengths and status words only, never data). */
  readonly onTrace?: (trace: ApduTrace) => void;
  /** Run PACE when EF.CardAccess offers it (default true); false forces BAC (tests, benchmarks). */
  readonly preferPace?: boolean;
  /** Use extended-length reads when the chip declares them (default true). */
  readonly useExtendedLength?: boolean;
  /** Cap on short READ BINARY data bytes (default 256, further capped by SM to 223/231). */
  readonly maxShortRead?: number;
  /**
   * Data groups to read besides DG1 and DG2 when EF.SOD lists them (default 11, 12: the ones
   * readable without Terminal Authentication). DG14 and DG15 are read whenever EF.SOD lists
   * them, whatever this says: clone detection is not optional.
   */
  readonly optionalDataGroups?: readonly OptionalDataGroup[];
  /** Decode the face image to RGB (default true). */
  readonly decodePhoto?: boolean;
  /** Verification time for certificate validity (default now). */
  readonly now?: Date;
  /** Randomness for nonces and ephemeral keys (tests). */
  readonly random?: RandomSource;
}

/** The eMRTD-specific extras of a read, beside the common {@link DocumentReadResult}. */
export interface EmrtdReadResult extends DocumentReadResult {
  readonly kind: 'emrtd';
  readonly accessControl: 'PACE' | 'BAC';
  /** The PACE suite when PACE ran, and why PACE did not run when BAC did. */
  readonly pace?: { readonly oid: string; readonly cipher: string; readonly curve: string };
  readonly paceSkippedReason?: string;
  /** Every Passive Authentication step on its own. */
  readonly passiveAuthentication: PassiveAuthenticationReport;
  /** The raw data groups read (DG number → bytes), e.g. for archiving with the SOD. */
  readonly dataGroups: ReadonlyMap<number, Uint8Array>;
  readonly sod: Uint8Array;
  /** Whether extended-length reads were used. */
  readonly extendedLengthUsed: boolean;
}

/** ECDSA signature algorithm OIDs of DG14's ActiveAuthenticationInfo (BSI TR-03111) → hash. */
const AA_ECDSA_HASHES: Readonly<Record<string, string>> = {
  '0.4.0.127.0.7.1.1.4.1.1': 'sha1',
  '0.4.0.127.0.7.1.1.4.1.2': 'sha224',
  '0.4.0.127.0.7.1.1.4.1.3': 'sha256',
  '0.4.0.127.0.7.1.1.4.1.4': 'sha384',
  '0.4.0.127.0.7.1.1.4.1.5': 'sha512',
};

/** Which optional data groups are read by default. */
/** The data groups {@link ReadEmrtdOptions.optionalDataGroups} can ask for. */
export type OptionalDataGroup = 11 | 12;
const DEFAULT_OPTIONAL_DGS: readonly OptionalDataGroup[] = [11, 12];

function isoDate(yyyymmdd: string | undefined): string | undefined {
  if (yyyymmdd === undefined || !/^\d{8}$/.test(yyyymmdd)) return undefined;
  return `${yyyymmdd.slice(0, 4)}-${yyyymmdd.slice(4, 6)}-${yyyymmdd.slice(6, 8)}`;
}

/** Parse EF.ATR/INFO's extended length information (7F66 { 02 max command, 02 max response }). */
export function parseAtrInfoMaxResponse(bytes: Uint8Array): number | undefined {
  try {
    const stack = [bytes];
    while (stack.length > 0) {
      const cur = stack.pop() as Uint8Array;
      for (const t of parseTlvList(cur)) {
        if (t.tag === 0x7f66) {
          const ints = parseTlvList(t.value).filter((x) => x.tag === 0x02);
          const resp = ints[1] ?? ints[0];
          if (resp === undefined || resp.value.length > 3) return undefined;
          let v = 0;
          for (const b of resp.value) v = v * 256 + b;
          return v > 0 ? v : undefined;
        }
        if (t.constructed) stack.push(t.value);
      }
    }
  } catch {
    return undefined;
  }
  return undefined;
}

function check(
  status: AuthenticityCheck['status'],
  code?: string,
  reason?: string,
): AuthenticityCheck {
  return {
    status,
    ...(code === undefined ? {} : { code }),
    ...(reason === undefined ? {} : { reason }),
  };
}

/**
 * Read an eMRTD (ICAO 9303 passport or eID) through `transport`: access control (PACE when
 * EF.CardAccess offers a suite kycd implements, else BAC — the result says which ran), EF.COM,
 * EF.SOD, DG1, DG2 and the optional data groups listed in the signed EF.SOD (never the unsigned
 * EF.COM), Chip Authentication (DG14) and Active Authentication (DG15) whenever EF.SOD lists
 * them — a listed DG14/DG15 the chip does not serve fails the check — then Passive Authentication against
 * `trustStore`. Any failure rejects with an `EmrtdError` / `ProtocolError` and yields no data;
 * authenticity findings (hash mismatch, untrusted DS, cloned chip) are reported in
 * `authenticity` with `genuine: false` — use {@link assertGenuine} to turn them into an error.
 *
 * @example
 * ```ts
 * const result = await readEmrtd(transport, {
 *   credentials: { kind: 'mrz', documentNumber: 'L898902C3', birthDate: '740812', expiryDate: '120415' },
 *   trustStore: await CscaTrustStore.fromDirectory('/etc/kycd/csca'),
 *   onProgress: (p) => console.log(p),
 * });
 * ```
 */
export async function readEmrtd(
  transport: CardTransport,
  options: ReadEmrtdOptions = {},
): Promise<EmrtdReadResult> {
  const t0 = performance.now();
  const { signal, onProgress } = options;
  if (options.credentials === undefined)
    throw new EmrtdError(
      'document_credentials_required',
      'reading this document needs the MRZ (document number, birth date, expiry date) or the CAN',
    );
  const credentials = normalizeCredentials(options.credentials);
  const random = options.random;
  const sender = new SecureMessagingSender(
    transport,
    options.onTrace === undefined ? {} : { onTrace: options.onTrace },
  );
  const plainReader = new LdsFileReader(sender);

  // 1. What the chip offers: EF.CardAccess (PACE) and EF.ATR/INFO (extended length), in the MF.
  let paceSuite: PaceSuite | undefined;
  let paceSkippedReason: string | undefined;
  const cardAccess = await plainReader
    .readFile(FID.EF_CARD_ACCESS, 'EF.CardAccess', signal)
    .catch((err: unknown) => {
      if (err instanceof ProtocolError && err.code === 'document_protocol_error') return undefined; // some chips answer 6986/6A86 instead of 6A82
      throw err;
    });
  if (cardAccess === undefined) paceSkippedReason = 'the chip has no EF.CardAccess (no PACE)';
  else {
    paceSuite = selectPaceSuite(SecurityInfos.parse(cardAccess).paceInfos());
    if (paceSuite === undefined)
      paceSkippedReason =
        'EF.CardAccess offers no PACE suite kycd implements (ECDH-GM on a standardized curve)';
  }
  if (options.preferPace === false && paceSuite !== undefined) {
    paceSuite = undefined;
    paceSkippedReason = 'PACE disabled by the caller';
  }
  let maxExtendedResponse: number | undefined;
  if (options.useExtendedLength !== false && transport.extendedLengthSupported === true) {
    const atrInfo = await plainReader
      .readFile(FID.EF_ATR_INFO, 'EF.ATR/INFO', signal)
      .catch(() => undefined);
    maxExtendedResponse =
      (atrInfo === undefined ? undefined : parseAtrInfoMaxResponse(atrInfo)) ?? 0x1000;
  }

  // 2. Access control. Returns the protocol that ran; installs the channel.
  const tAccess = performance.now();
  /** SELECT the eMRTD application on the current channel; a chip that refuses is not an eMRTD. */
  const selectApplication = async (): Promise<void> => {
    const sel = await sender.send(SELECT_EMRTD_APPLICATION, signal);
    if (!sel.ok)
      throw new ProtocolError('document_not_emrtd', {
        protocol: 'SELECT',
        step: 'selectApplication',
        sw: sel.sw,
      });
  };
  const establish = async (again: boolean): Promise<'PACE' | 'BAC'> => {
    if (paceSuite !== undefined) {
      onProgress?.({ phase: 'accessControl', protocol: 'PACE' });
      sender.setSecureMessaging(undefined);
      if (again) await sender.send(SELECT_EMRTD_APPLICATION, signal); // ends the broken session
      const pace = await new PaceProtocol(sender, random === undefined ? {} : { random }).run(
        paceSuite,
        credentials,
        signal,
      );
      sender.setSecureMessaging(pace.secureMessaging);
      await selectApplication();
      return 'PACE';
    }
    if (credentials.kind === 'can') {
      throw new EmrtdError(
        'document_credentials_required',
        `the chip does not offer PACE (${paceSkippedReason ?? 'unknown'}), and BAC needs the MRZ, not the CAN`,
      );
    }
    onProgress?.({ phase: 'accessControl', protocol: 'BAC' });
    sender.setSecureMessaging(undefined);
    await selectApplication();
    const keys = deriveBacKeys(
      mrzInformation(credentials.documentNumber, credentials.birthDate, credentials.expiryDate),
    );
    const bac = await new BacProtocol(sender, random === undefined ? {} : { random }).run(
      keys,
      signal,
    );
    sender.setSecureMessaging(bac.secureMessaging);
    return 'BAC';
  };
  let accessControl: 'PACE' | 'BAC';
  try {
    accessControl = await establish(false);
  } catch (err) {
    // PACE failed for a reason other than wrong keys (a chip quirk, an unexpected status):
    // fall back to BAC with MRZ credentials, and say so. If BAC fails too, report PACE's error.
    const fallback =
      paceSuite !== undefined &&
      credentials.kind === 'mrz' &&
      err instanceof ProtocolError &&
      err.protocol === 'PACE' &&
      (err.code === 'document_protocol_error' || err.code === 'document_response_malformed');
    if (!fallback) throw err;
    paceSkippedReason = `${err.message}; fell back to BAC`;
    const failedSuite = paceSuite;
    paceSuite = undefined;
    try {
      accessControl = await establish(true);
    } catch {
      paceSuite = failedSuite;
      throw err;
    }
  }
  const accessMs = performance.now() - tAccess;
  /** A dead channel (refused read length, refused DG14/DG15, failed CA): authenticate again. */
  let reauthentications = 0;
  const reestablish = async (): Promise<void> => {
    reauthentications++;
    accessControl = await establish(true);
  };

  // 3. Files.
  const tRead = performance.now();
  const reader = new LdsFileReader(sender, {
    extendedLength: maxExtendedResponse !== undefined,
    ...(maxExtendedResponse === undefined
      ? {}
      : { maxExtendedResponse: Math.min(maxExtendedResponse, 65538) }),
    ...(options.maxShortRead === undefined ? {} : { maxShortRead: options.maxShortRead }),
    ...(onProgress === undefined
      ? {}
      : { onProgress: (p: FileReadProgress) => onProgress({ phase: 'read', ...p }) }),
    // a chip that refuses a long read outside SM closed the channel: BAC/PACE again, fresh keys
    reauthenticate: reestablish,
  });
  const require = async (fid: number, name: string): Promise<Uint8Array> => {
    const bytes = await reader.readFile(fid, name, signal);
    if (bytes === undefined)
      throw new EmrtdError('document_file_not_found', `${name} is missing on the chip`, {
        data: { file: name },
      });
    return bytes;
  };
  // EF.COM is not signed: a clone can drop DG14/DG15 from it to dodge clone detection. It is
  // read (it is mandatory) but which data groups exist is taken from the signed EF.SOD.
  const efCom = EfCom.parse(await require(FID.EF_COM, 'EF.COM'));
  const sodBytes = await require(FID.EF_SOD, 'EF.SOD');
  const sod = SodFile.parse(sodBytes);
  const signedDataGroups = new Set(sod.dataGroupHashes.keys());
  const hiddenInEfCom = (dg: number): string =>
    efCom.dataGroups.includes(dg as DataGroupNumber) ? '' : '; EF.COM does not list it either';
  const dataGroups = new Map<number, Uint8Array>();
  const optional = new Set(options.optionalDataGroups ?? DEFAULT_OPTIONAL_DGS);
  const caOptions = random === undefined ? {} : { random };
  /** Read a clone-detection data group the SOD lists; undefined when the chip does not serve it (the channel is re-established if the refusal killed it). */
  const readSignedOptional = async (
    dg: 14 | 15,
  ): Promise<Uint8Array | undefined | ProtocolError> => {
    try {
      return await reader.readFile(dataGroupFid(dg), `DG${dg}`, signal);
    } catch (err) {
      if (
        !(err instanceof ProtocolError) ||
        (err.code !== 'document_access_denied' && err.code !== 'document_protocol_error')
      )
        throw err;
      if (sender.secureMessaging?.dead === true) await reestablish();
      return err;
    }
  };

  // Chip Authentication right after access control (before the other data groups), per 9303-11.
  let chipAuthentication = check(
    'not_supported',
    undefined,
    'EF.SOD lists no DG14: the chip does not offer Chip Authentication',
  );
  let dg14Infos: SecurityInfos | undefined;
  if (signedDataGroups.has(14)) {
    const dg14 = await readSignedOptional(14);
    if (!(dg14 instanceof Uint8Array)) {
      const why = dg14 === undefined ? 'the chip answers that it has no such file' : dg14.message;
      chipAuthentication = check(
        'failed',
        'document_chip_authentication_failed',
        `EF.SOD lists DG14 but the chip does not serve it (${why}${hiddenInEfCom(14)}): the chip may be a clone`,
      );
    } else {
      dataGroups.set(14, dg14);
      dg14Infos = SecurityInfos.parse(parseTlv(dg14).value);
      const plan = planChipAuthentication(dg14Infos);
      if (plan === undefined) {
        chipAuthentication =
          dg14Infos.chipAuthenticationInfos().length === 0 &&
          dg14Infos.chipAuthenticationPublicKeyInfos().length === 0
            ? check('not_supported', undefined, 'the signed DG14 offers no Chip Authentication')
            : check(
                'not_run',
                'document_unsupported_algorithm',
                'DG14 offers only Chip Authentication variants kycd does not implement (kycd runs ECDH)',
              );
      } else {
        try {
          const newSm = await new ChipAuthentication(sender, caOptions).run(plan, signal);
          sender.setSecureMessaging(newSm);
          // the first response under the new keys proves the chip holds the DG14 private key
          const ok = await reader.select(FID.EF_COM, 'EF.COM', signal);
          if (!ok)
            throw new ProtocolError('document_chip_authentication_failed', {
              protocol: 'CA',
              step: 'confirm',
            });
          chipAuthentication = check('passed');
        } catch (err) {
          if (
            !(err instanceof EmrtdError) ||
            err.code === 'document_aborted' ||
            err.code === 'document_card_removed' ||
            err.code === 'document_transmission_failed'
          )
            throw err;
          if (err.code === 'document_unsupported_algorithm') {
            // decided before any APDU: the channel is intact
            chipAuthentication = check(
              'not_run',
              err.code,
              `Chip Authentication could not run: ${err.message}`,
            );
          } else {
            chipAuthentication = check(
              'failed',
              'document_chip_authentication_failed',
              `Chip Authentication failed (${err.message}): the chip may be a clone`,
            );
            // the channel is dead: authenticate again to finish reading, and say so
            await reestablish();
          }
        }
      }
    }
  }
  for (const dg of [1, 2] as const) dataGroups.set(dg, await require(dataGroupFid(dg), `DG${dg}`));
  for (const dg of [11, 12] as const) {
    if (!optional.has(dg) || !signedDataGroups.has(dg)) continue;
    const bytes = await reader.readFile(dataGroupFid(dg), `DG${dg}`, signal);
    if (bytes !== undefined) dataGroups.set(dg, bytes);
  }

  // Active Authentication.
  let activeAuthentication = check(
    'not_supported',
    undefined,
    'EF.SOD lists no DG15: the chip does not offer Active Authentication',
  );
  const dg15 = signedDataGroups.has(15) ? await readSignedOptional(15) : undefined;
  if (signedDataGroups.has(15) && !(dg15 instanceof Uint8Array)) {
    const why = dg15 === undefined ? 'the chip answers that it has no such file' : dg15.message;
    activeAuthentication = check(
      'failed',
      'document_active_authentication_failed',
      `EF.SOD lists DG15 but the chip does not serve it (${why}${hiddenInEfCom(15)}): the chip may be a clone`,
    );
  }
  if (dg15 instanceof Uint8Array) {
    dataGroups.set(15, dg15);
    let ecdsaHash: string | undefined;
    let unsupported: string | undefined;
    const aaInfo = dg14Infos?.infos.find((i) => i.protocol === OID_AA);
    const sigOid = aaInfo?.elements[1];
    if (sigOid?.tag === 0x06) {
      const o = decodeOid(sigOid.value);
      ecdsaHash = AA_ECDSA_HASHES[o];
      if (ecdsaHash === undefined)
        unsupported = `DG14 names the Active Authentication signature algorithm ${o}, which kycd does not implement`;
    }
    if (unsupported !== undefined)
      activeAuthentication = check(
        'not_run',
        'document_unsupported_algorithm',
        `Active Authentication could not run: ${unsupported}`,
      );
    else {
      try {
        const ok = await new ActiveAuthentication(sender, caOptions).run(dg15, {
          ...(signal === undefined ? {} : { signal }),
          ...(ecdsaHash === undefined ? {} : { ecdsaHash }),
        });
        activeAuthentication = ok
          ? check('passed')
          : check(
              'failed',
              'document_active_authentication_failed',
              'the Active Authentication signature does not verify: the chip may be a clone',
            );
      } catch (err) {
        if (err instanceof EmrtdError && err.code === 'document_unsupported_algorithm')
          activeAuthentication = check(
            'not_run',
            err.code,
            `Active Authentication could not run: ${err.message}`,
          );
        else if (
          err instanceof ProtocolError &&
          err.code === 'document_active_authentication_failed'
        )
          activeAuthentication = check('failed', err.code, err.message);
        else throw err;
      }
    }
  }
  const readMs = performance.now() - tRead;

  // 4. Verify and decode.
  const tVerify = performance.now();
  onProgress?.({ phase: 'verify' });
  const dg1 = Dg1File.parse(dataGroups.get(1) as Uint8Array);
  const dg2 = Dg2File.parse(dataGroups.get(2) as Uint8Array);
  const dg11 = dataGroups.has(11) ? parseDg11(dataGroups.get(11) as Uint8Array) : undefined;
  const dg12 = dataGroups.has(12) ? parseDg12(dataGroups.get(12) as Uint8Array) : undefined;
  const passiveAuthentication = verifyPassiveAuthentication({
    sod,
    dataGroups,
    trustStore: options.trustStore ?? CscaTrustStore.empty(),
    ...(options.now === undefined ? {} : { now: options.now }),
  });
  const face = dg2.images[0];
  let photo: DocumentPhoto | undefined;
  let photoUnavailable: { code: string; reason: string } | undefined;
  if (face !== undefined) {
    if (options.decodePhoto === false) photo = { format: face.format, encoded: face.encoded };
    else {
      try {
        const rgb = await decodeFaceImage(face);
        photo = { format: face.format, encoded: face.encoded, rgb };
      } catch (err) {
        if (!(err instanceof EmrtdError)) throw err;
        photoUnavailable = { code: err.code, reason: err.message };
      }
    }
  }
  const cloneChecks = [chipAuthentication, activeAuthentication];
  const cloneOffered = cloneChecks.some((c) => c.status !== 'not_supported');
  const genuine =
    passiveAuthentication.check.status === 'passed' &&
    !cloneChecks.some((c) => c.status === 'failed' || c.status === 'not_run') &&
    (!cloneOffered || cloneChecks.some((c) => c.status === 'passed'));
  const mrzFields = dg1.parsed.fields;
  const fields: DocumentFields = {
    ...mrzFields,
    ...(dg11?.fullName === undefined ? {} : { nameLatin: dg11.fullName }),
    ...(dg11?.personalNumber === undefined ? {} : { personalNumber: dg11.personalNumber }),
    ...(isoDate(dg11?.fullDateOfBirth) === undefined
      ? {}
      : { birthDate: isoDate(dg11?.fullDateOfBirth) as string }),
    ...(dg11?.address === undefined ? {} : { address: dg11.address }),
    ...(dg12?.issuingAuthority === undefined ? {} : { issuingAuthority: dg12.issuingAuthority }),
    ...(isoDate(dg12?.dateOfIssue) === undefined
      ? {}
      : { issueDate: isoDate(dg12?.dateOfIssue) as string }),
  };
  const verifyMs = performance.now() - tVerify;
  const c = sender.counters;
  return {
    kind: 'emrtd',
    accessControl,
    fields,
    ...(photo === undefined ? {} : { photo }),
    ...(photoUnavailable === undefined ? {} : { photoUnavailable }),
    authenticity: {
      passiveAuthentication: passiveAuthentication.check,
      chipAuthentication,
      activeAuthentication,
      genuine,
    },
    timing: {
      accessControlMs: Math.round(accessMs * 10) / 10,
      readMs: Math.round(readMs * 10) / 10,
      verifyMs: Math.round(verifyMs * 10) / 10,
      totalMs: Math.round((performance.now() - t0) * 10) / 10,
      apdus: c.apdus,
      bytesSent: c.bytesSent,
      bytesReceived: c.bytesReceived,
      fileBytes: reader.bytesRead,
      reauthentications,
    },
    ...(accessControl === 'PACE' && paceSuite !== undefined
      ? { pace: { oid: paceSuite.oid, cipher: paceSuite.cipher, curve: paceSuite.curve.name } }
      : {}),
    ...(accessControl === 'BAC' && paceSkippedReason !== undefined ? { paceSkippedReason } : {}),
    passiveAuthentication,
    dataGroups,
    sod: sodBytes,
    extendedLengthUsed: reader.usesExtendedLength,
  };
}

/** SHA-256 of the encoded photo, hex (for logs and the CLI; never the photo itself). */
export function photoSha256(photo: DocumentPhoto): string {
  return createHash('sha256').update(photo.encoded).digest('hex');
}

/**
 * Throw the first authenticity failure of `result` as an `EmrtdError` (e.g.
 * `document_hash_mismatch`, `document_ds_untrusted`, `document_chip_authentication_failed`), or
 * `document_ds_untrusted` / `document_trust_store_empty` when a check could not run.
 */
export function assertGenuine(result: DocumentReadResult): void {
  if (result.authenticity.genuine) return;
  const a = result.authenticity;
  const bad =
    [a.passiveAuthentication, a.chipAuthentication, a.activeAuthentication].find(
      (c) => c.status === 'failed',
    ) ??
    [a.passiveAuthentication, a.chipAuthentication, a.activeAuthentication].find(
      (c) => c.status !== 'passed' && c.status !== 'not_supported',
    ) ??
    a.passiveAuthentication;
  const code = bad.code ?? 'document_sod_invalid';
  throw new EmrtdError(
    code as ConstructorParameters<typeof EmrtdError>[0],
    `document is not proven genuine: ${bad.reason ?? bad.status}`,
  );
}
