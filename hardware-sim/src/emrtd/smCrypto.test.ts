import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hex, toHex } from './bytes.js';
import { aesCmac, kdf, pad, retailMac, unpad } from './smCrypto.js';

describe('smCrypto (ICAO 9303-11 worked examples)', () => {
  it('derives the BAC keys of App. D.2', () => {
    const seed = createHash('sha1').update('L898902C<369080619406236').digest();
    expect(toHex(seed)).toBe('239AB9CB282DAF66231DC5A4DF6BFBAEDF477565');
    const kSeed = seed.subarray(0, 16);
    expect(toHex(kdf(kSeed, 1, '3DES'))).toBe('AB94FDECF2674FDFB9B391F85D7F76F2');
    expect(toHex(kdf(kSeed, 2, '3DES'))).toBe('7962D9ECE03D1ACD4C76089DCE131543');
  });

  it('derives the BAC session keys of App. D.3', () => {
    const ksSeed = hex('0036D272F5C350ACAC50C3F572D23600');
    expect(toHex(kdf(ksSeed, 1, '3DES'))).toBe('979EC13B1CBFE9DCD01AB0FED307EAE5');
    expect(toHex(kdf(ksSeed, 2, '3DES'))).toBe('F1CB1F1FB5ADF208806B89DC579DC1F8');
  });

  it('computes the retail MAC of App. D.3 (M_IFD) and D.4 (CC)', () => {
    const kMac = hex('7962D9ECE03D1ACD4C76089DCE131543');
    const eIfd = hex('72C29C2371CC9BDB65B779B8E8D37B29ECC154AA56A8799FAE2F498F76ED92F2');
    expect(toHex(retailMac(kMac, pad(eIfd, 8)))).toBe('5F1448EEA8AD90A7');
    const ksMac = hex('F1CB1F1FB5ADF208806B89DC579DC1F8');
    expect(
      toHex(
        retailMac(ksMac, hex('887022120C06C2270CA4020C800000008709016375432908C044F68000000000')),
      ),
    ).toBe('BF8B92D635FF24F8');
  });

  it('derives the PACE and CA keys of App. G.1 and I', () => {
    const k = hex('28768D20701247DAE81804C9E780EDE582A9996DB4A315020B2733197DB84925');
    expect(toHex(kdf(k, 1, 'AES'))).toBe('F5F0E35C0D7161EE6724EE513A0D9A7F');
    expect(toHex(kdf(k, 2, 'AES'))).toBe('FE251C7858B356B24514B3BD5F4297D1');
    const kPi = kdf(createHash('sha1').update('T22000129364081251010318').digest(), 3, 'AES');
    expect(toHex(kPi)).toBe('89DED1B26624EC1E634C1989302849DD');
    const ca = hex('67950559D0C06B4D4B86972D14460837461087F8419FDBC36AAF6CEAAC462832');
    expect(toHex(kdf(ca, 1, 'AES'))).toBe('0A9DA4DB03BDDE39FC5202BC44B2E89E');
    expect(toHex(kdf(ca, 2, 'AES'))).toBe('4B1C06491ED5140CA2B537D344C6C0B1');
  });

  it('computes AES-CMAC per RFC 4493 example 2 and the PACE token of App. G.1', () => {
    const key = hex('2b7e151628aed2a6abf7158809cf4f3c');
    expect(toHex(aesCmac(key, hex('6bc1bee22e409f96e93d7e117393172a')))).toBe(
      '070A16B46B4D4144F79BDD9DD04A287C',
    );
    expect(toHex(aesCmac(key, new Uint8Array(0)))).toBe('BB1D6929E95937287FA37D129B756746');
    const ksMac = hex('FE251C7858B356B24514B3BD5F4297D1');
    const input = hex(
      '7F494F060A04007F000702020402028641049E880F842905B8B3181F7AF7CAA9F0EFB743847F44A306D2D28C1D9EC65DF6DB7764B22277A2EDDC3C265A9F018F9CB852E111B768B326904B59A0193776F094',
    );
    expect(toHex(aesCmac(ksMac, input).subarray(0, 8))).toBe('C2B0BD78D94BA866');
  });

  it('pads and unpads per ISO/IEC 9797-1 method 2', () => {
    expect(toHex(pad(hex('0102'), 8))).toBe('0102800000000000');
    expect(toHex(pad(hex('0102030405060708'), 8))).toBe('01020304050607088000000000000000');
    expect(unpad(hex('0102800000000000'))).toEqual(hex('0102'));
    expect(unpad(hex('0102000000000000'))).toBeUndefined();
  });
});
