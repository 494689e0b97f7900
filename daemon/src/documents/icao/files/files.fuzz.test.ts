import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { EmrtdError } from '../EmrtdError.js';
import { hex } from '../bytes.js';
import { encodeTlv } from '../tlv/BerTlv.js';
import { EfCom } from './EfCom.js';
import { Dg1File } from './Dg1File.js';
import { Dg2File, parseIso19794Face } from './Dg2File.js';
import { parseDg11, parseDg12 } from './Dg11File.js';
import { SodFile, parseLdsSecurityObject } from './SodFile.js';
import { SecurityInfos } from './SecurityInfos.js';
import { jpeg2000Codestream } from './decodeFaceImage.js';
import { decodeOid, encodeOid } from '../tlv/oid.js';
import { parseAtrInfoMaxResponse } from '../readEmrtd.js';

/** Every parser of chip data: hostile bytes may only produce an EmrtdError, never a crash or another error type. */
const PARSERS: Record<string, (b: Uint8Array) => unknown> = {
  EfCom: (b) => EfCom.parse(b),
  Dg1File: (b) => Dg1File.parse(b),
  Dg2File: (b) => Dg2File.parse(b),
  iso19794: (b) => parseIso19794Face(b),
  Dg11: (b) => parseDg11(b),
  Dg12: (b) => parseDg12(b),
  SodFile: (b) => SodFile.parse(b),
  LdsSecurityObject: (b) => parseLdsSecurityObject(b),
  SecurityInfos: (b) => SecurityInfos.parse(b),
  jp2: (b) => jpeg2000Codestream(b),
  oid: (b) => decodeOid(b),
  atrInfo: (b) => parseAtrInfoMaxResponse(b),
};

/** Wrap random content in the right outer tag so the fuzzer gets past the first check. */
const OUTER: Record<string, number | undefined> = {
  EfCom: 0x60,
  Dg1File: 0x61,
  Dg2File: 0x75,
  Dg11: 0x6b,
  Dg12: 0x6c,
  SodFile: 0x77,
  SecurityInfos: 0x31,
  LdsSecurityObject: 0x30,
};

describe('chip-data parsers under fuzzing', () => {
  for (const [name, parse] of Object.entries(PARSERS)) {
    it(`${name} throws only EmrtdError on random input`, () => {
      fc.assert(
        fc.property(fc.uint8Array({ maxLength: 300 }), fc.boolean(), (bytes, wrap) => {
          const outer = OUTER[name];
          const input = wrap && outer !== undefined ? encodeTlv(outer, bytes) : bytes;
          try {
            parse(input);
          } catch (err) {
            expect(err).toBeInstanceOf(EmrtdError);
          }
        }),
        { numRuns: 400 },
      );
    });
  }

  it('round-trips OIDs', () => {
    for (const oid of [
      '0.4.0.127.0.7.2.2.4.2.2',
      '1.2.840.10045.4.3.2',
      '2.23.136.1.1.1',
      '1.3.36.3.3.2.8.1.1.7',
    ])
      expect(decodeOid(encodeOid(oid))).toBe(oid);
  });

  it('parses EF.COM of 9303-11 D.4 (DG1, DG2)', () => {
    const com = EfCom.parse(hex('60145F0104303130375F36063034303030305C026175'));
    expect(com.ldsVersion).toBe('0107');
    expect(com.dataGroups).toEqual([1, 2]);
  });

  it('parses DG11/DG12 fields', () => {
    const dg11 = encodeTlv(
      0x6b,
      new Uint8Array([
        ...encodeTlv(0x5c, hex('5F0E5F2B')),
        ...encodeTlv(0x5f0e, Buffer.from('SPECIMEN<<ANNA<MARIA')),
        ...encodeTlv(0x5f2b, Buffer.from('19740812')),
      ]),
    );
    expect(parseDg11(dg11)).toEqual({
      fullName: 'SPECIMEN ANNA MARIA',
      fullDateOfBirth: '19740812',
    });
    const dg12 = encodeTlv(
      0x6c,
      new Uint8Array([
        ...encodeTlv(0x5f19, Buffer.from('UTOPIA MFA')),
        ...encodeTlv(0x5f26, Buffer.from('20240415')),
      ]),
    );
    expect(parseDg12(dg12)).toEqual({ issuingAuthority: 'UTOPIA MFA', dateOfIssue: '20240415' });
  });
});
