import type { DocumentReadResult } from '../documents/DocumentReadResult.js';

/** What the POS sees of a document by default (`summary`): name, masked number, type. */
export interface DocumentSummaryView {
  kind: string;
  summary: Record<string, string>;
  accessControl: string;
  genuine: boolean;
}

/** Mask all but the first 2 and last 2 characters of an identifier (`11**************2X`). */
export function maskIdentifier(value: string): string {
  if (value.length <= 4) return '*'.repeat(value.length);
  return `${value.slice(0, 2)}${'*'.repeat(value.length - 4)}${value.slice(-2)}`;
}

/** The default POS view of a read document: no photo, no dates of birth, a masked number. */
export function summarizeDocument(result: DocumentReadResult): DocumentSummaryView {
  const summary: Record<string, string> = {
    documentType: result.fields.documentType,
    fullName: result.fields.fullName,
    documentNumber: maskIdentifier(result.fields.documentNumber),
  };
  if (result.fields.issuingState !== undefined) summary.issuingState = result.fields.issuingState;
  if (result.fields.expiryDate !== undefined) summary.expiryDate = result.fields.expiryDate;
  return { kind: result.kind, summary, accessControl: result.accessControl, genuine: result.authenticity.genuine };
}
