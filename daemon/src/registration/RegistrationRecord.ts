import { createHash } from 'node:crypto';
import type { AuthenticityCheck, DocumentReadResult } from '../documents/DocumentReadResult.js';
import type { RegistrationConfig } from '../config/sections/registration.js';
import { maskIdNumber } from '../privacy/maskIdNumber.js';
import type { AuditWitness } from '../store/AuditLog.js';

/** Liveness evidence that goes into the record (numbers only, never frames). */
export interface LivenessEvidence {
  readonly passed: boolean;
  /** Registered `liveness_*` codes when an attempt failed. */
  readonly reasons?: readonly string[];
  /** Timeline, scores, frame hashes — plain JSON, never images. */
  readonly evidence?: Readonly<Record<string, unknown>>;
  /** The challenge sequence that was asked and completed, e.g. `['turn_left', 'blink']`. */
  readonly challenges?: readonly string[];
  /** Passive anti-spoof score (0..1, higher = live) and the threshold it was held to. */
  readonly antiSpoofScore?: number;
  readonly antiSpoofThreshold?: number;
  /** Model ids from the manifest. */
  readonly models?: readonly string[];
  readonly durationMs?: number;
}

/** Face-match evidence (chip photo vs live face, 1:1). */
export interface MatchEvidence {
  readonly passed: boolean;
  readonly similarity: number;
  readonly threshold: number;
  readonly decision?: 'match' | 'no_match' | 'inconclusive';
  readonly modelId?: string;
}

/** The signed registration record, version 1. Serialised as RFC 8785 canonical JSON. */
export interface RegistrationRecord {
  readonly recordVersion: 1;
  readonly registrationId: string;
  readonly sessionId: string;
  /** E.164, e.g. `+8613800138000`. */
  readonly msisdn: string;
  readonly operatorId: string;
  readonly storeId: string;
  readonly terminalId: string;
  readonly keyId: string;
  readonly document: {
    readonly kind: DocumentReadResult['kind'];
    readonly accessControl: DocumentReadResult['accessControl'];
    readonly fields: Readonly<Record<string, string>>;
    readonly maskedFields: readonly string[];
    readonly photoSha256?: string;
    readonly photoFormat?: string;
    readonly photoBase64?: string;
  };
  readonly authenticity: {
    readonly genuine: boolean;
    readonly passiveAuthentication: AuthenticityCheck;
    readonly chipAuthentication: AuthenticityCheck;
    readonly activeAuthentication: AuthenticityCheck;
  };
  readonly liveness: LivenessEvidence;
  readonly match: MatchEvidence;
  readonly timestamps: {
    readonly sessionStartedAt?: string;
    readonly documentReadAt?: string;
    readonly livenessCompletedAt?: string;
    readonly matchedAt?: string;
    readonly confirmedAt: string;
  };
  /**
   * The terminal's audit trail head when the record was signed (absent on an empty trail). The
   * carrier keeps it, so `kycd audit verify --witness SEQ:HASH` can later prove that the shop's
   * database was not rolled back or rewritten since.
   */
  readonly auditHead?: AuditWitness;
}

/** What {@link buildRegistrationRecord} needs besides the configuration. */
export interface RegistrationRecordInput {
  readonly registrationId: string;
  readonly sessionId: string;
  readonly msisdn: string;
  readonly operatorId: string;
  readonly storeId: string;
  readonly terminalId: string;
  readonly keyId: string;
  readonly document: DocumentReadResult;
  readonly liveness: LivenessEvidence;
  readonly match: MatchEvidence;
  readonly sessionStartedAt?: number;
  readonly documentReadAt?: number;
  readonly livenessCompletedAt?: number;
  readonly matchedAt?: number;
  readonly confirmedAt: number;
  readonly auditHead?: AuditWitness;
}

const E164 = /^\+[1-9]\d{6,14}$/;
const ID_LIKE = /^[\p{L}\p{N}_.:@-]{1,128}$/u;

/**
 * Build the record from the session's results, applying `registration.record` (masked and
 * omitted fields, chip photo embedded or only hashed).
 * @throws {TypeError} on an MSISDN that is not E.164 or an operator/store/terminal id that is
 *   empty, too long or has characters outside letters, digits and `_ . : @ -`.
 */
export function buildRegistrationRecord(
  input: RegistrationRecordInput,
  config: RegistrationConfig['record'],
): RegistrationRecord {
  if (!E164.test(input.msisdn))
    throw new TypeError(
      `msisdn must be E.164 (+ and 7–15 digits), got ${JSON.stringify(input.msisdn.slice(0, 20))}`,
    );
  for (const [name, value] of [
    ['operatorId', input.operatorId],
    ['storeId', input.storeId],
    ['terminalId', input.terminalId],
  ] as const) {
    if (!ID_LIKE.test(value))
      throw new TypeError(`${name} must be 1–128 letters, digits or _ . : @ -`);
  }
  const masked = new Set<string>(config.maskFields);
  const omitted = new Set<string>(config.omitFields);
  const fields: Record<string, string> = {};
  const maskedFields: string[] = [];
  for (const [key, value] of Object.entries(input.document.fields)) {
    if (typeof value !== 'string' || omitted.has(key)) continue;
    if (masked.has(key)) {
      fields[key] = maskIdNumber(value);
      maskedFields.push(key);
    } else {
      fields[key] = value;
    }
  }
  const photo = input.document.photo;
  const iso = (ms: number | undefined): string | undefined =>
    ms === undefined ? undefined : new Date(ms).toISOString();
  const a = input.document.authenticity;
  return {
    recordVersion: 1,
    registrationId: input.registrationId,
    sessionId: input.sessionId,
    msisdn: input.msisdn,
    operatorId: input.operatorId,
    storeId: input.storeId,
    terminalId: input.terminalId,
    keyId: input.keyId,
    document: {
      kind: input.document.kind,
      accessControl: input.document.accessControl,
      fields,
      maskedFields: maskedFields.sort(),
      ...(photo === undefined
        ? {}
        : {
            photoSha256: createHash('sha256').update(photo.encoded).digest('hex'),
            photoFormat: photo.format,
            ...(config.includeChipPhoto
              ? { photoBase64: Buffer.from(photo.encoded).toString('base64') }
              : {}),
          }),
    },
    authenticity: {
      genuine: a.genuine,
      passiveAuthentication: a.passiveAuthentication,
      chipAuthentication: a.chipAuthentication,
      activeAuthentication: a.activeAuthentication,
    },
    liveness: input.liveness,
    match: input.match,
    timestamps: {
      ...(iso(input.sessionStartedAt) === undefined
        ? {}
        : { sessionStartedAt: iso(input.sessionStartedAt) as string }),
      ...(iso(input.documentReadAt) === undefined
        ? {}
        : { documentReadAt: iso(input.documentReadAt) as string }),
      ...(iso(input.livenessCompletedAt) === undefined
        ? {}
        : { livenessCompletedAt: iso(input.livenessCompletedAt) as string }),
      ...(iso(input.matchedAt) === undefined ? {} : { matchedAt: iso(input.matchedAt) as string }),
      confirmedAt: new Date(input.confirmedAt).toISOString(),
    },
    ...(input.auditHead === undefined
      ? {}
      : { auditHead: { seq: input.auditHead.seq, hash: input.auditHead.hash } }),
  };
}
