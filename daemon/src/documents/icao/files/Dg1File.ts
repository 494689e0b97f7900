import { EmrtdError } from '../EmrtdError.js';
import { parseTlv, requireTlv } from '../tlv/BerTlv.js';
import { parseMrz, type ParsedMrz } from './mrzFields.js';

/** DG1 (9303-10 §4.7.1): the MRZ as stored on the chip (`61 { 5F1F MRZ }`). */
export class Dg1File {
  readonly mrz: string;
  readonly parsed: ParsedMrz;

  private constructor(mrz: string, parsed: ParsedMrz) {
    this.mrz = mrz;
    this.parsed = parsed;
  }

  /** Parse DG1; an MRZ that is not TD1/TD2/TD3 is `document_response_malformed`. */
  static parse(bytes: Uint8Array): Dg1File {
    const outer = parseTlv(bytes);
    if (outer.tag !== 0x61)
      throw new EmrtdError(
        'document_response_malformed',
        `DG1: expected tag 61, got ${outer.tag.toString(16)}`,
      );
    const mrz = Buffer.from(requireTlv(outer.value, 0x5f1f, 'DG1').value).toString('latin1');
    if (!/^[A-Z0-9<]+$/.test(mrz))
      throw new EmrtdError(
        'document_response_malformed',
        'DG1: MRZ has characters outside A-Z 0-9 <',
      );
    try {
      return new Dg1File(mrz, parseMrz(mrz));
    } catch (err) {
      if (err instanceof EmrtdError && err.code === 'document_credentials_invalid')
        throw new EmrtdError('document_response_malformed', `DG1: ${err.message}`);
      throw err;
    }
  }
}
