import type {
  DocumentFields,
  DocumentKind,
  DocumentReadResult,
} from '../documents/DocumentReadResult.js';
import { maskIdNumber } from './maskIdNumber.js';

/** How much of a document read the POS client receives (config `privacy.posResult`). */
export type PosResultLevel = 'verdict' | 'summary' | 'full';

/** `verdict`: only whether the document is genuine. */
export interface PosDocumentVerdict {
  readonly level: 'verdict';
  readonly kind: DocumentKind;
  readonly genuine: boolean;
}

/** `summary`: the verdict plus name, masked document number and document type. */
export interface PosDocumentSummary {
  readonly level: 'summary';
  readonly kind: DocumentKind;
  readonly genuine: boolean;
  readonly documentType: string;
  readonly fullName: string;
  readonly documentNumberMasked: string;
  readonly issuingState?: string;
}

/** `full`: every field and the authenticity details; the photo only as its format and size. */
export interface PosDocumentFull {
  readonly level: 'full';
  readonly kind: DocumentKind;
  readonly genuine: boolean;
  readonly accessControl: DocumentReadResult['accessControl'];
  readonly fields: DocumentFields;
  readonly authenticity: DocumentReadResult['authenticity'];
  readonly photo?: { readonly format: string; readonly bytes: number };
}

/** What {@link shapePosResult} returns, by level. */
export type PosDocumentResult = PosDocumentVerdict | PosDocumentSummary | PosDocumentFull;

/**
 * Shape a document read for the POS client according to `privacy.posResult`. The photo's
 * pixels never go to a POS, whatever the level: the signed registration goes to the carrier
 * directly.
 * @throws {RangeError} on an unknown level.
 */
export function shapePosResult(
  result: DocumentReadResult,
  level: PosResultLevel,
): PosDocumentResult {
  const genuine = result.authenticity.genuine;
  switch (level) {
    case 'verdict':
      return { level, kind: result.kind, genuine };
    case 'summary':
      return {
        level,
        kind: result.kind,
        genuine,
        documentType: result.fields.documentType,
        fullName: result.fields.fullName,
        documentNumberMasked: maskIdNumber(result.fields.documentNumber),
        ...(result.fields.issuingState === undefined
          ? {}
          : { issuingState: result.fields.issuingState }),
      };
    case 'full':
      return {
        level,
        kind: result.kind,
        genuine,
        accessControl: result.accessControl,
        fields: { ...result.fields },
        authenticity: result.authenticity,
        ...(result.photo === undefined
          ? {}
          : { photo: { format: result.photo.format, bytes: result.photo.encoded.length } }),
      };
    default:
      throw new RangeError(`unknown POS result level ${String(level as unknown)}`);
  }
}
