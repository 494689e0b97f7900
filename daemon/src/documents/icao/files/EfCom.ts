import { EmrtdError } from '../EmrtdError.js';
import { parseTlv, requireTlv } from '../tlv/BerTlv.js';
import { dataGroupForTag, type DataGroupNumber } from './lds.js';

/** EF.COM (9303-10 §4.6.1): LDS version and the list of data groups present. */
export class EfCom {
  readonly ldsVersion: string;
  readonly unicodeVersion: string;
  readonly dataGroups: readonly DataGroupNumber[];

  private constructor(ldsVersion: string, unicodeVersion: string, dataGroups: DataGroupNumber[]) {
    this.ldsVersion = ldsVersion;
    this.unicodeVersion = unicodeVersion;
    this.dataGroups = dataGroups;
  }

  /** Parse EF.COM (`60 { 5F01, 5F36, 5C }`). */
  static parse(bytes: Uint8Array): EfCom {
    const outer = parseTlv(bytes);
    if (outer.tag !== 0x60)
      throw new EmrtdError(
        'document_response_malformed',
        `EF.COM: expected tag 60, got ${outer.tag.toString(16)}`,
      );
    const lds = requireTlv(outer.value, 0x5f01, 'EF.COM');
    const uni = requireTlv(outer.value, 0x5f36, 'EF.COM');
    const list = requireTlv(outer.value, 0x5c, 'EF.COM');
    const dgs: DataGroupNumber[] = [];
    for (const tag of list.value) {
      const dg = dataGroupForTag(tag);
      if (dg !== undefined && !dgs.includes(dg)) dgs.push(dg);
    }
    return new EfCom(
      Buffer.from(lds.value).toString('latin1'),
      Buffer.from(uni.value).toString('latin1'),
      dgs,
    );
  }
}
