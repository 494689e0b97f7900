import type { DocumentReadResult } from '../documents/DocumentReadResult.js';
import { shapePosResult, type PosResultLevel } from '../privacy/shapePosResult.js';

/** What `document.read` and the session snapshot carry about the document. */
export interface DocumentSummaryView {
  kind: string;
  /** Display fields, shaped by `privacy.posResult` (never the photo). */
  summary: Record<string, string>;
  accessControl: string;
  genuine: boolean;
}

/**
 * The POS's view of a read document, at the configured level (`verdict`: nothing but the
 * verdict; `summary`, the default: name, masked number, type; `full`: every field).
 */
export function summarizeDocument(
  result: DocumentReadResult,
  level: PosResultLevel,
): DocumentSummaryView {
  const shaped = shapePosResult(result, level);
  const summary: Record<string, string> = {};
  if (shaped.level === 'summary') {
    summary.documentType = shaped.documentType;
    summary.fullName = shaped.fullName;
    summary.documentNumber = shaped.documentNumberMasked;
    if (shaped.issuingState !== undefined) summary.issuingState = shaped.issuingState;
  } else if (shaped.level === 'full') {
    for (const [key, value] of Object.entries(shaped.fields))
      if (typeof value === 'string') summary[key] = value;
  }
  return {
    kind: result.kind,
    summary,
    accessControl: result.accessControl,
    genuine: result.authenticity.genuine,
  };
}
