import { describe, expect, it } from 'vitest';
import { hex, toHex } from '../bytes.js';
import { ScriptedTransport } from '../transport/ScriptedTransport.js';
import { SecureMessagingSender } from '../sm/SecureMessagingSender.js';
import { SecurityInfos } from '../files/SecurityInfos.js';
import { kdf, KDF_COUNTER } from '../crypto/kdf.js';
import { aesCbc } from '../crypto/blockCiphers.js';
import { CommandApdu } from '../apdu/CommandApdu.js';
import { PaceProtocol, pacePasswordKey, selectPaceSuite } from './PaceProtocol.js';

// ICAO 9303-11 App. G.1: PACE ECDH-GM on brainpoolP256r1 with AES-128
const CARD_ACCESS = '31143012060A04007F0007020204020202010202010D';
const SK_MAP_PCD = '7F4EF07B9EA82FD78AD689B38D0BC78CF21F249D953BC46F4C6E19259C010F99';
const PK_MAP_PCD =
  '7ACF3EFC982EC45565A4B155129EFBC74650DCBFA6362D896FC70262E0C2CC5E544552DCB6725218799115B55C9BAA6D9F6BC3A9618E70C25AF71777A9C4922D';
const PK_MAP_PICC =
  '824FBA91C9CBE26BEF53A0EBE7342A3BF178CEA9F45DE0B70AA601651FBA3F5730D8C879AAA9C9F73991E61B58F4D52EB87A0A0C709A49DC63719363CCD13C54';
const SK_PCD = 'A73FB703AC1436A18E0CFA5ABB3F7BEC7A070E7A6788486BEE230C4A22762595';
const PK_PCD =
  '2DB7A64C0355044EC9DF190514C625CBA2CEA48754887122F3A5EF0D5EDD301C3556F3B3B186DF10B857B58F6A7EB80F20BA5DC7BE1D43D9BF850149FBB36462';
const PK_PICC =
  '9E880F842905B8B3181F7AF7CAA9F0EFB743847F44A306D2D28C1D9EC65DF6DB7764B22277A2EDDC3C265A9F018F9CB852E111B768B326904B59A0193776F094';
const PASSWORD = {
  kind: 'mrz',
  documentNumber: 'T22000129',
  birthDate: '640812',
  expiryDate: '101031',
} as const;

function fixedRandom(): (n: number) => Uint8Array {
  const values = [hex(SK_MAP_PCD), hex(SK_PCD)];
  return (n) => {
    const v = values.shift();
    if (v === undefined || v.length !== n) throw new Error(`unexpected random(${n})`);
    return v;
  };
}

function script(ga4Response: string) {
  return [
    { command: '0022C1A412800A04007F0007020204020283010184010D', response: '9000' },
    { command: '10860000027C0000', response: '7C12801095A3A016522EE98D01E76CB6B98B42C39000' },
    { command: `10860000457C43814104${PK_MAP_PCD}00`, response: `7C43824104${PK_MAP_PICC}9000` },
    { command: `10860000457C43834104${PK_PCD}00`, response: `7C43844104${PK_PICC}9000` },
    { command: '008600000C7C0A8508C2B0BD78D94BA86600', response: ga4Response },
  ];
}

describe('PACE ECDH-GM (9303-11 App. G.1)', () => {
  it('parses EF.CardAccess and selects id-PACE-ECDH-GM-AES-CBC-CMAC-128 on parameter 13', () => {
    const suite = selectPaceSuite(SecurityInfos.parse(hex(CARD_ACCESS)).paceInfos());
    expect(suite).toMatchObject({
      oid: '0.4.0.127.0.7.2.2.4.2.2',
      mapping: 'ECDH-GM',
      cipher: 'AES-128',
      parameterId: 13,
    });
    expect(suite?.curve.name).toBe('brainpoolP256r1');
  });

  it('derives K, Kπ and decrypts the nonce', () => {
    const k = pacePasswordKey(PASSWORD);
    expect(toHex(k)).toBe('7E2D2A41C74EA0B38CD36F863939BFA8E9032AAD');
    const kPi = kdf(k, KDF_COUNTER.pace, 'AES-128');
    expect(toHex(kPi)).toBe('89DED1B26624EC1E634C1989302849DD');
    expect(
      toHex(aesCbc(kPi, new Uint8Array(16), hex('95A3A016522EE98D01E76CB6B98B42C3'), false)),
    ).toBe('3F00C4D39D153F2B2A214A078D899B22');
  });

  it('runs the full transcript with tokens T_PCD / T_PICC and the G.1 session keys', async () => {
    const transport = new ScriptedTransport(script('7C0A86083ABB9674BCE93C089000'));
    const sender = new SecureMessagingSender(transport);
    const suite = selectPaceSuite(SecurityInfos.parse(hex(CARD_ACCESS)).paceInfos())!;
    const result = await new PaceProtocol(sender, { random: fixedRandom() }).run(suite, PASSWORD);
    expect(transport.remaining).toBe(0);
    expect(toHex(result.pkPicc)).toBe(`04${PK_PICC}`);
    expect(result.secureMessaging.cipher).toBe('AES-128');
    expect(toHex(result.secureMessaging.ssc)).toBe('00000000000000000000000000000000');
    // KSenc/KSmac from the shared secret of G.1
    const shared = hex('28768D20701247DAE81804C9E780EDE582A9996DB4A315020B2733197DB84925');
    expect(toHex(kdf(shared, KDF_COUNTER.enc, 'AES-128'))).toBe('F5F0E35C0D7161EE6724EE513A0D9A7F');
    expect(toHex(kdf(shared, KDF_COUNTER.mac, 'AES-128'))).toBe('FE251C7858B356B24514B3BD5F4297D1');
    // the channel is keyed with them: a wrapped command's MAC proves KSmac (computed independently here)
    const wrapped = result.secureMessaging.wrap(
      new CommandApdu({ cla: 0, ins: 0xa4, p1: 2, p2: 0x0c, data: hex('011E') }),
    );
    expect(wrapped.cla).toBe(0x0c);
  });

  it('rejects a wrong password at mutual authentication (6300) with document_access_denied', async () => {
    const transport = new ScriptedTransport(script('6300'));
    const suite = selectPaceSuite(SecurityInfos.parse(hex(CARD_ACCESS)).paceInfos())!;
    await expect(
      new PaceProtocol(new SecureMessagingSender(transport), { random: fixedRandom() }).run(
        suite,
        PASSWORD,
      ),
    ).rejects.toMatchObject({
      code: 'document_access_denied',
      protocol: 'PACE',
      step: 'mutualAuthenticate',
      sw: 0x6300,
    });
  });

  it('rejects a wrong chip token', async () => {
    const transport = new ScriptedTransport(script('7C0A86083ABB9674BCE93C099000'));
    const suite = selectPaceSuite(SecurityInfos.parse(hex(CARD_ACCESS)).paceInfos())!;
    await expect(
      new PaceProtocol(new SecureMessagingSender(transport), { random: fixedRandom() }).run(
        suite,
        PASSWORD,
      ),
    ).rejects.toMatchObject({
      code: 'document_access_denied',
      step: 'verifyChipToken',
    });
  });

  it('rejects an off-curve chip key with document_response_malformed', async () => {
    const bad = script('');
    bad[2] = {
      command: `10860000457C43814104${PK_MAP_PCD}00`,
      response: `7C43824104${PK_MAP_PICC.slice(0, -2)}55` + '9000',
    };
    const suite = selectPaceSuite(SecurityInfos.parse(hex(CARD_ACCESS)).paceInfos())!;
    await expect(
      new PaceProtocol(new SecureMessagingSender(new ScriptedTransport(bad.slice(0, 3))), {
        random: fixedRandom(),
      }).run(suite, PASSWORD),
    ).rejects.toMatchObject({
      code: 'document_response_malformed',
      step: 'mapNonce',
    });
  });
});
