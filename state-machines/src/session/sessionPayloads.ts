import { errorCodeOf } from '../errors/failureReasonOf.js';
import type {
  DocumentReadProgress,
  DocumentReadSummary,
  FaceCapturePhase,
  FaceCaptureResult,
  FaceMatchResult,
  RegistrationSubmitResult,
  SessionDocumentKind,
} from './sessionTypes.js';

/*
 * Shape checks and fail-safe normalisers for what reaches the session machine: event payloads
 * (which the daemon forwards from clients and drivers) and actor results. A malformed payload
 * is ignored; a malformed result never counts as a success.
 */

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
const shortString = (v: unknown, max: number): v is string =>
  typeof v === 'string' && v.length > 0 && v.length <= max;
const DOCUMENT_KINDS: readonly string[] = ['emrtd', 'cn-resident-id'];

/** True for a known document kind. */
export function isDocumentKind(v: unknown): v is SessionDocumentKind {
  return typeof v === 'string' && DOCUMENT_KINDS.includes(v);
}

/** True for a structurally sound MRZ or CAN (the daemon validates check digits before sending). */
export function isWellFormedCredentials(c: unknown): boolean {
  if (!isRecord(c)) return false;
  if (c.kind === 'can') return shortString(c.can, 16);
  return (
    c.kind === 'mrz' &&
    shortString(c.documentNumber, 64) &&
    shortString(c.dateOfBirth, 16) &&
    shortString(c.dateOfExpiry, 16)
  );
}

/** True for `{ msisdn, operatorId }` as non-empty short strings. */
export function isWellFormedConfirmation(c: unknown): boolean {
  return isRecord(c) && shortString(c.msisdn, 32) && shortString(c.operatorId, 128);
}

/** True for `{ kind: 'camera' | 'documentReader', id }`. */
export function isWellFormedDevice(d: unknown): boolean {
  return (
    isRecord(d) && (d.kind === 'camera' || d.kind === 'documentReader') && shortString(d.id, 256)
  );
}

/** True for `{ givenAtMs, textId }`. */
export function isWellFormedConsent(c: unknown): boolean {
  return (
    isRecord(c) &&
    typeof c.givenAtMs === 'number' &&
    Number.isFinite(c.givenAtMs) &&
    shortString(c.textId, 128)
  );
}

/** True for a review decision with an operator id and a boolean verdict. */
export function isWellFormedReview(e: unknown): boolean {
  return (
    isRecord(e) &&
    shortString(e.operatorId, 128) &&
    typeof e.approve === 'boolean' &&
    (e.note === undefined || typeof e.note === 'string')
  );
}

/** Largest file a chip read may report (an eMRTD file is at most a few hundred KiB). */
const MAX_FILE_BYTES = 16 * 1024 * 1024;
const byteCount = (v: unknown): v is number =>
  Number.isInteger(v) && (v as number) >= 0 && (v as number) <= MAX_FILE_BYTES;

/**
 * True for a {@link DocumentReadProgress} the wire can carry: a known phase with its fields and
 * nothing else; byte counts are integers in 0..16 MiB and never past a known file length.
 */
export function isWellFormedDocumentProgress(p: unknown): p is DocumentReadProgress {
  if (!isRecord(p)) return false;
  const keys = Object.keys(p).sort().join(',');
  switch (p.phase) {
    case 'accessControl':
      return keys === 'phase,protocol' && (p.protocol === 'PACE' || p.protocol === 'BAC');
    case 'read':
      return (
        keys === 'bytesRead,file,phase,totalBytes' &&
        shortString(p.file, 32) &&
        byteCount(p.bytesRead) &&
        byteCount(p.totalBytes) &&
        (p.totalBytes === 0 || p.bytesRead <= p.totalBytes)
      );
    case 'verify':
      return keys === 'phase';
    default:
      return false;
  }
}

const FACE_PHASES: readonly string[] = ['positioning', 'liveness', 'bestFrame'];

/** True for a known {@link FaceCapturePhase}. */
export function isFaceCapturePhase(v: unknown): v is FaceCapturePhase {
  return typeof v === 'string' && FACE_PHASES.includes(v);
}

const codeOrUndefined = (v: unknown): string | undefined => errorCodeOf({ code: v });

/** `readDocument`'s result, fail-safe: only a literal `true` counts as genuine or as having a photo. */
export function normalizeDocumentSummary(output: unknown): DocumentReadSummary {
  const o = isRecord(output) ? output : {};
  const authenticityCode = codeOrUndefined(o.authenticityCode);
  const photoUnavailableCode = codeOrUndefined(o.photoUnavailableCode);
  return {
    kind: isDocumentKind(o.kind) ? o.kind : 'emrtd',
    hasPhoto: o.hasPhoto === true,
    genuine: o.genuine === true,
    ...(authenticityCode === undefined ? {} : { authenticityCode }),
    ...(photoUnavailableCode === undefined ? {} : { photoUnavailableCode }),
  };
}

/** `captureFace`'s verdict, fail-safe: passed only when `passed` is literally `true`. */
export function normalizeCaptureResult(output: unknown): FaceCaptureResult {
  const o = isRecord(output) ? output : {};
  const reasons = Array.isArray(o.reasons)
    ? o.reasons
        .map(codeOrUndefined)
        .filter((r): r is string => r !== undefined)
        .slice(0, 16)
    : [];
  const passed = o.passed === true;
  return { passed, reasons: passed || reasons.length > 0 ? reasons : ['session_step_failed'] };
}

/** `matchFace`'s result, fail-safe: an unknown decision is `inconclusive`, never `match`. */
export function normalizeMatchResult(output: unknown): FaceMatchResult {
  const o = isRecord(output) ? output : {};
  const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
  const decision =
    o.decision === 'match' || o.decision === 'no_match' ? o.decision : 'inconclusive';
  return { score: num(o.score), threshold: num(o.threshold), decision };
}

/** `submitRegistration`'s result: anything but `delivered` is reported as `queued` (the outbox has it). */
export function normalizeSubmitResult(output: unknown): RegistrationSubmitResult {
  return { status: isRecord(output) && output.status === 'delivered' ? 'delivered' : 'queued' };
}
