import { describe, expect, it } from 'vitest';
import { hex, toHex } from '../bytes.js';
import { checkDigit, deriveBacKeys, mrzInformation } from './bacKeys.js';
import { kdf, KDF_COUNTER } from './kdf.js';
import { retailMac } from './retailMac.js';
import { aesCmac } from './aesCmac.js';
import { padIso9797 } from './padding.js';

describe('BAC key derivation (9303-11 App. D.2)', () => {
  it('derives MRZ_information, Kseed, Kenc, Kmac for L898902C<', () => {
    const info = mrzInformation('L898902C', '690806', '940623');
    expect(info).toBe('L898902C<369080619406236');
    const keys = deriveBacKeys(info);
    expect(toHex(keys.kSeed)).toBe('239AB9CB282DAF66231DC5A4DF6BFBAE');
    expect(toHex(keys.kEnc)).toBe('AB94FDECF2674FDFB9B391F85D7F76F2');
    expect(toHex(keys.kMac)).toBe('7962D9ECE03D1ACD4C76089DCE131543');
  });

  it('handles the TD1 long document number example (D23145890734…)', () => {
    const keys = deriveBacKeys('D23145890734934071279507122');
    expect(toHex(keys.kSeed)).toBe('B366AD857DDCA2B08C0E299811714730');
    expect(toHex(keys.kEnc)).toBe('F4313713DFA438B68C045D1FBCE5DF1C');
    expect(toHex(keys.kMac)).toBe('E052C4340DFBF789435DC8E56240460E');
  });

  it('computes check digits', () => {
    expect(checkDigit('L898902C<')).toBe('3');
    expect(checkDigit('740812')).toBe('2');
    expect(checkDigit('T22000129')).toBe('3');
    expect(() => checkDigit('ab')).toThrow(TypeError);
  });

  it('derives the BAC session keys from KSseed (D.3)', () => {
    const ksSeed = hex('0036D272F5C350ACAC50C3F572D23600');
    expect(toHex(kdf(ksSeed, KDF_COUNTER.enc, '3DES'))).toBe('979EC13B1CBFE9DCD01AB0FED307EAE5');
    expect(toHex(kdf(ksSeed, KDF_COUNTER.mac, '3DES'))).toBe('F1CB1F1FB5ADF208806B89DC579DC1F8');
  });
});

describe('retail MAC (ISO 9797-1 alg. 3)', () => {
  it('computes M_IFD of D.3', () => {
    const eIfd = hex('72C29C2371CC9BDB65B779B8E8D37B29ECC154AA56A8799FAE2F498F76ED92F2');
    expect(toHex(retailMac(hex('7962D9ECE03D1ACD4C76089DCE131543'), padIso9797(eIfd, 8)))).toBe(
      '5F1448EEA8AD90A7',
    );
  });
});

describe('KDF (9303-11 §9.7.1)', () => {
  it('PACE DH session keys (App. G.2)', () => {
    const k = hex(
      '6BABC7B3A72BCD7EA385E4C62DB2625BD8613B24149E146A629311C4CA6698E38B834B6A9E9CD7184BA8834AFF5043D436950C4C1E7832367C10CB8C314D40E5990B0DF7013E64B4549E2270923D06F08CFF6BD3E977DDE6ABE4C31D55C0FA2E465E553E77BDF75E3193D3834FC26E8EB1EE2FA1E4FC97C18C3F6CFFFE2607FD',
    );
    expect(toHex(kdf(k, KDF_COUNTER.enc, 'AES-128'))).toBe('2F7F46ADCC9E7E521B45D192FAFA9126');
    expect(toHex(kdf(k, KDF_COUNTER.mac, 'AES-128'))).toBe('805A1D27D45A5116F73C54469462B7D8');
  });

  it('Chip Authentication session keys (App. I)', () => {
    const k = hex('67950559D0C06B4D4B86972D14460837461087F8419FDBC36AAF6CEAAC462832');
    expect(toHex(kdf(k, KDF_COUNTER.enc, 'AES-128'))).toBe('0A9DA4DB03BDDE39FC5202BC44B2E89E');
    expect(toHex(kdf(k, KDF_COUNTER.mac, 'AES-128'))).toBe('4B1C06491ED5140CA2B537D344C6C0B1');
  });

  it('PACE password key Kπ and the 3DES Kenc/Kmac from the same K (App. G.2)', () => {
    const k = hex('7E2D2A41C74EA0B38CD36F863939BFA8E9032AAD');
    expect(toHex(kdf(k, KDF_COUNTER.pace, 'AES-128'))).toBe('89DED1B26624EC1E634C1989302849DD');
    expect(toHex(kdf(k, KDF_COUNTER.enc, '3DES'))).toBe('3DC4F8862F8A1570B57FEFDCFEC43E46');
    expect(toHex(kdf(k, KDF_COUNTER.mac, '3DES'))).toBe('BC641C6B2FA8B5704552322007761F85');
  });

  it('gives 24 and 32 byte AES keys from SHA-256', () => {
    expect(kdf(hex('01'), 1, 'AES-192').length).toBe(24);
    expect(kdf(hex('01'), 1, 'AES-256').length).toBe(32);
  });
});

describe('AES-CMAC (RFC 4493 test vectors)', () => {
  const key = hex('2b7e151628aed2a6abf7158809cf4f3c');
  it('empty, 16, 40 and 64 byte messages', () => {
    expect(toHex(aesCmac(key, new Uint8Array(0)))).toBe('BB1D6929E95937287FA37D129B756746');
    expect(toHex(aesCmac(key, hex('6bc1bee22e409f96e93d7e117393172a')))).toBe(
      '070A16B46B4D4144F79BDD9DD04A287C',
    );
    expect(
      toHex(
        aesCmac(
          key,
          hex('6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e5130c81c46a35ce411'),
        ),
      ),
    ).toBe('DFA66747DE9AE63030CA32611497C827');
    expect(
      toHex(
        aesCmac(
          key,
          hex(
            '6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e5130c81c46a35ce411e5fbc1191a0a52eff69f2445df4f9b17ad2b417be66c3710',
          ),
        ),
      ),
    ).toBe('51F0BEBF7E3B9D92FC49741779363CFE');
  });
});
