import { beforeAll, describe, expect, it } from 'vitest';
import { TestPki } from '../pki/TestPki.js';
import { hex, toHex } from './bytes.js';
import { createSampleHolder } from './createSampleHolder.js';
import { buildEmrtdFiles, EF } from './EmrtdFiles.js';
import type { EmrtdHolder } from './EmrtdHolder.js';
import { scriptedRandom } from './__fixtures__/scriptedRandom.js';
import { TestTerminal, TerminalError } from './__fixtures__/TestTerminal.js';
import { buildAtr, VirtualEmrtd } from './VirtualEmrtd.js';

let pki: TestPki;
let holder: EmrtdHolder;

beforeAll(async () => {
  pki = await TestPki.create();
  holder = await createSampleHolder();
});

function rsp(card: VirtualEmrtd, command: string): string {
  const r = card.transmit(hex(command));
  return r === null ? 'REMOVED' : toHex(r);
}

async function exampleCard(
  mrz: { documentNumber: string; dateOfBirth: string; dateOfExpiry: string },
  options: { pace: boolean; random: (n: number) => Uint8Array; ldsVersion?: string },
): Promise<VirtualEmrtd> {
  const documentSigner = await pki.issueDocumentSigner();
  const pace = options.pace ? ({ curve: 'brainpoolP256r1', cipher: 'AES-128' } as const) : false;
  const files = buildEmrtdFiles(
    { ...holder, ...mrz },
    {
      documentSigner,
      pace,
      chipAuthentication: false,
      activeAuthentication: false,
      ldsVersion: options.ldsVersion ?? '0107',
    },
  );
  const card = new VirtualEmrtd({
    files,
    pace,
    accessControl: options.pace ? 'pace-and-bac' : 'bac-only',
    random: options.random,
  });
  card.powerOn();
  return card;
}

describe('VirtualEmrtd — BAC and 3DES secure messaging (9303-11 App. D.3, D.4)', () => {
  it('answers the worked example byte for byte', async () => {
    const card = await exampleCard(
      { documentNumber: 'L898902C', dateOfBirth: '690806', dateOfExpiry: '940623' },
      {
        pace: false,
        ldsVersion: '0106',
        random: scriptedRandom('4608F91988702212', '0B4F80323EB3191CB04970CB4052790B'),
      },
    );
    expect(card.files.mrz.mrzInformation).toBe('L898902C<369080619406236');
    expect(rsp(card, '00A4040C07A0000002471001')).toBe('9000');
    expect(rsp(card, '0084000008')).toBe('4608F919887022129000');
    expect(
      rsp(
        card,
        '0082000028' +
          '72C29C2371CC9BDB65B779B8E8D37B29ECC154AA56A8799FAE2F498F76ED92F25F1448EEA8AD90A7' +
          '28',
      ),
    ).toBe(
      '46B9342A41396CD7386BF5803104D7CEDC122B9132139BAF2EEDC94EE178534F2F2D235D074D7449' + '9000',
    );
    expect(card.protocolRun).toBe('BAC');
    // D.4: SELECT EF.COM, READ BINARY 4, READ BINARY 18 at offset 4
    expect(rsp(card, '0CA4020C158709016375432908C044F68E08BF8B92D635FF24F800')).toBe(
      '990290008E08FA855A5D4C50A8ED9000',
    );
    expect(rsp(card, '0CB000000D9701048E08ED6705417E96BA5500')).toBe(
      '8709019FF0EC34F9922651990290008E08AD55CC17140B2DED9000',
    );
    expect(rsp(card, '0CB000040D9701128E082EA28A70F3C7B53500')).toBe(
      '871901FB9235F4E4037F2327DCC8964F1F9B8C30F42C8E2FFF224A990290008E08C8B2787EAEA07D749000',
    );
  });

  it('rejects a wrong MRZ with 6300 and keeps files locked', async () => {
    const card = await exampleCard(
      { documentNumber: 'L898902C', dateOfBirth: '690806', dateOfExpiry: '940623' },
      { pace: false, random: scriptedRandom() },
    );
    const terminal = new TestTerminal(card);
    await terminal.send('00A4040C07A0000002471001');
    expect((await terminal.bac('L898902C<369080619406237')).sw).toBe(0x6300);
    expect(rsp(card, '00A4020C02011E')).toBe('6982');
  });
});

describe('VirtualEmrtd — PACE ECDH-GM brainpoolP256r1 AES-128 (9303-11 App. G.1)', () => {
  it('answers the worked example byte for byte, then serves files over AES SM', async () => {
    const card = await exampleCard(
      { documentNumber: 'T22000129', dateOfBirth: '640812', dateOfExpiry: '101031' },
      {
        pace: true,
        random: scriptedRandom(
          '3F00C4D39D153F2B2A214A078D899B22',
          '498FF49756F2DC1587840041839A85982BE7761D14715FB091EFA7BCE9058560',
          '107CF58696EF6155053340FD633392BA81909DF7B9706F226F32086C7AFF974A',
        ),
      },
    );
    expect(card.files.mrz.mrzInformation).toBe('T22000129364081251010318');
    expect(toHex(card.files.files.get(EF.cardAccess)!)).toBe(
      '31143012060A04007F0007020204020202010202010D',
    );
    expect(rsp(card, '00B09C0000')).toBe('31143012060A04007F0007020204020202010202010D6282');
    expect(rsp(card, '0022C1A412800A04007F0007020204020283010184010D')).toBe('9000');
    expect(rsp(card, '10860000027C0000')).toBe('7C12801095A3A016522EE98D01E76CB6B98B42C39000');
    expect(
      rsp(
        card,
        '10860000457C43814104' +
          '7ACF3EFC982EC45565A4B155129EFBC74650DCBFA6362D896FC70262E0C2CC5E' +
          '544552DCB6725218799115B55C9BAA6D9F6BC3A9618E70C25AF71777A9C4922D' +
          '00',
      ),
    ).toBe(
      '7C43824104' +
        '824FBA91C9CBE26BEF53A0EBE7342A3BF178CEA9F45DE0B70AA601651FBA3F57' +
        '30D8C879AAA9C9F73991E61B58F4D52EB87A0A0C709A49DC63719363CCD13C54' +
        '9000',
    );
    expect(
      rsp(
        card,
        '10860000457C43834104' +
          '2DB7A64C0355044EC9DF190514C625CBA2CEA48754887122F3A5EF0D5EDD301C' +
          '3556F3B3B186DF10B857B58F6A7EB80F20BA5DC7BE1D43D9BF850149FBB36462' +
          '00',
      ),
    ).toBe(
      '7C43844104' +
        '9E880F842905B8B3181F7AF7CAA9F0EFB743847F44A306D2D28C1D9EC65DF6DB' +
        '7764B22277A2EDDC3C265A9F018F9CB852E111B768B326904B59A0193776F094' +
        '9000',
    );
    expect(rsp(card, '008600000C7C0A8508C2B0BD78D94BA86600')).toBe('7C0A86083ABB9674BCE93C089000');
    expect(card.protocolRun).toBe('PACE');
    const terminal = new TestTerminal(card);
    terminal.sm = {
      algorithm: 'AES',
      ksEnc: hex('F5F0E35C0D7161EE6724EE513A0D9A7F'),
      ksMac: hex('FE251C7858B356B24514B3BD5F4297D1'),
      ssc: new Uint8Array(16),
    };
    expect(
      (await terminal.sendSecure(0, 0xa4, 0x04, 0x0c, hex('A0000002471001'), undefined)).sw,
    ).toBe(0x9000);
    const com = await terminal.readFile(EF.com);
    expect(toHex(com)).toBe('60145F0104303130375F36063034303030305C026175');
  });

  it('answers 6300 to a wrong authentication token', async () => {
    const card = await exampleCard(
      { documentNumber: 'T22000129', dateOfBirth: '640812', dateOfExpiry: '101031' },
      { pace: true, random: scriptedRandom() },
    );
    const terminal = new TestTerminal(card);
    await expect(terminal.pace({ mrz: 'T22000129364081251010319' })).resolves.toMatchObject({
      sw: 0x6300,
    });
    expect(card.protocolRun).toBeUndefined();
  });
});

describe('VirtualEmrtd — access rules, read limits, SM failures', () => {
  async function paceCard(
    options: Partial<ConstructorParameters<typeof VirtualEmrtd>[0]> = {},
  ): Promise<{ card: VirtualEmrtd; terminal: TestTerminal }> {
    const card = await VirtualEmrtd.create({ holder, pki, ...options });
    card.powerOn();
    const terminal = new TestTerminal(card);
    await terminal.send('00A4040C07A0000002471001');
    return { card, terminal };
  }

  it('keeps every file but EF.CardAccess locked before access control (6982)', async () => {
    const { card } = await paceCard();
    expect(rsp(card, '00A4020C020101')).toBe('6982');
    expect(rsp(card, '00B0810000')).toBe('6982');
    expect(rsp(card, '00A4000C00')).toBe('9000');
    expect(rsp(card, '00A4020C02011C')).toBe('9000');
    expect(rsp(card, '00B0000004').slice(-4)).toBe('9000');
  });

  it('reads all files after PACE with 223-byte reads; a plain command ends SM', async () => {
    const { card, terminal } = await paceCard();
    await terminal.pace({ mrz: card.files.mrz.mrzInformation });
    const dg1 = await terminal.readFile(EF.dg1);
    expect(new TextDecoder().decode(dg1.subarray(5))).toBe(
      card.files.mrz.line1 + card.files.mrz.line2,
    );
    const dg2 = await terminal.readFile(EF.dg2);
    expect(dg2).toEqual(card.files.files.get(EF.dg2));
    expect(rsp(card, '00A4020C020101')).toBe('6987');
    expect(rsp(card, '00A4020C020101')).toBe('6982');
  });

  it('accepts a CAN as PACE password and P-256 parameters', async () => {
    const { card, terminal } = await paceCard({
      can: '123456',
      pace: { curve: 'P-256', cipher: 'AES-128' },
    });
    expect((await terminal.pace({ can: '123456' }, 'P-256')).sw).toBe(0x9000);
    expect((await terminal.readFile(EF.com)).length).toBeGreaterThan(0);
    expect(card.protocolRun).toBe('PACE');
  });

  it('runs PACE with 3DES secure messaging (id-PACE-ECDH-GM-3DES-CBC-CBC)', async () => {
    const { card, terminal } = await paceCard({
      pace: { curve: 'brainpoolP256r1', cipher: '3DES' },
    });
    expect(toHex(card.files.files.get(EF.cardAccess)!)).toContain('04007F00070202040201');
    expect(
      (
        await terminal.pace(
          { mrz: card.files.mrz.mrzInformation },
          'brainpoolP256r1',
          '0.4.0.127.0.7.2.2.4.2.1',
        )
      ).sw,
    ).toBe(0x9000);
    expect((await terminal.readFile(EF.dg1, 231)).length).toBe(93);
  });

  it('caps short reads under AES SM at 223 bytes and answers 6700 or 6Cxx above the limit', async () => {
    const { card, terminal } = await paceCard();
    await terminal.pace({ mrz: card.files.mrz.mrzInformation });
    await terminal.sendSecure(0, 0xa4, 0x02, 0x0c, hex('0102'), undefined);
    expect((await terminal.sendSecure(0, 0xb0, 0, 0, new Uint8Array(0), 224)).sw).toBe(0x6700);
    const small = await paceCard({ maxReadLength: 160, oversizeReadStatus: '6Cxx' });
    await small.terminal.pace({ mrz: small.card.files.mrz.mrzInformation });
    await small.terminal.sendSecure(0, 0xa4, 0x02, 0x0c, hex('0102'), undefined);
    expect((await small.terminal.sendSecure(0, 0xb0, 0, 0, new Uint8Array(0), 200)).sw).toBe(
      0x6ca0,
    );
    expect(
      (await small.terminal.sendSecure(0, 0xb0, 0, 0, new Uint8Array(0), 160)).data.length,
    ).toBe(160);
  });

  it('oversizeReadUnprotected: a too-long read gets a bare 6700 / 6Cxx, which ends secure messaging until the terminal authenticates again', async () => {
    for (const [oversizeReadStatus, sw] of [
      ['6700', 0x6700],
      ['6Cxx', 0x6ca0],
    ] as const) {
      const { card, terminal } = await paceCard({
        maxReadLength: 160,
        oversizeReadStatus,
        oversizeReadUnprotected: true,
      });
      await terminal.pace({ mrz: card.files.mrz.mrzInformation });
      await terminal.sendSecure(0, 0xa4, 0x02, 0x0c, hex('0102'), undefined);
      await expect(
        terminal.sendSecure(0, 0xb0, 0, 0, new Uint8Array(0), 200),
      ).rejects.toMatchObject({ code: 'status', sw });
      expect(rsp(card, '0CB000000D9701A08E080000000000000000')).toBe('6988'); // no session any more
      expect((await terminal.pace({ mrz: card.files.mrz.mrzInformation })).sw).toBe(0x9000);
      await terminal.sendSecure(0, 0xa4, 0x02, 0x0c, hex('0102'), undefined);
      expect((await terminal.sendSecure(0, 0xb0, 0, 0, new Uint8Array(0), 160)).data.length).toBe(
        160,
      );
    }
  });

  it('serves extended-length reads only when it declares them', async () => {
    expect(toHex(buildAtr(true))).toBe(
      '3B8580018073B021C0' +
        toHex(Uint8Array.of(0x85 ^ 0x80 ^ 0x01 ^ 0x80 ^ 0x73 ^ 0xb0 ^ 0x21 ^ 0xc0)),
    );
    const plain = await paceCard();
    expect(rsp(plain.card, '00B0000000000A')).toBe('6700');
    const { card, terminal } = await paceCard({
      extendedLength: true,
      maxExtendedReadLength: 4096,
    });
    expect(card.atr[card.atr.length - 2]).toBe(0xc0);
    await terminal.pace({ mrz: card.files.mrz.mrzInformation });
    // 4063 data bytes: DO87 (87 82 0F E1 01 ‖ 4064) + DO99 + DO8E + SW = 4085 ≤ 4096; 4064 would need 4101
    const dg2 = await terminal.readFile(EF.dg2, 4063, true);
    expect(dg2).toEqual(card.files.files.get(EF.dg2));
    expect(terminal.apduCount).toBeLessThan(20);
    await terminal.sendSecure(0, 0xa4, 0x02, 0x0c, hex('0102'), undefined);
    const full = await terminal.sendSecure(0, 0xb0, 0, 0, new Uint8Array(0), 4063, true);
    expect(full.data.length).toBe(4063);
    expect((await terminal.sendSecure(0, 0xb0, 0, 0, new Uint8Array(0), 4064, true)).sw).toBe(
      0x6700,
    );
  });

  it('answers a wrong command MAC with 6988 and drops the channel', async () => {
    const { card, terminal } = await paceCard();
    await terminal.pace({ mrz: card.files.mrz.mrzInformation });
    expect(rsp(card, '0CA4020C158709016375432908C044F68E08BF8B92D635FF24F800')).toBe('6988');
    await expect(
      terminal.sendSecure(0, 0xa4, 0x02, 0x0c, hex('0101'), undefined),
    ).rejects.toMatchObject({ code: 'status', sw: 0x6988 });
  });

  it('refuses BAC on a PACE-only chip and PACE on a BAC-only chip', async () => {
    const paceOnly = await paceCard({ accessControl: 'pace-only' });
    expect((await paceOnly.terminal.bac(paceOnly.card.files.mrz.mrzInformation)).sw).toBe(0x6d00);
    const bacOnly = await paceCard({ accessControl: 'bac-only' });
    expect(rsp(bacOnly.card, '00A4000C00')).toBe('9000');
    expect(rsp(bacOnly.card, '00A4020C02011C')).toBe('6A82');
    expect((await bacOnly.terminal.pace({ mrz: bacOnly.card.files.mrz.mrzInformation })).sw).toBe(
      0x6d00,
    );
    await bacOnly.terminal.send('00A4040C07A0000002471001');
    expect((await bacOnly.terminal.bac(bacOnly.card.files.mrz.mrzInformation)).sw).toBe(0x9000);
    expect((await bacOnly.terminal.readFile(EF.dg1, 231)).length).toBe(93);
  });

  it('treats pace: false without accessControl as a BAC-only chip, and rejects contradictions', async () => {
    const { card } = await paceCard({ pace: false });
    expect(card.files.files.has(EF.cardAccess)).toBe(false);
    expect(rsp(card, '0022C1A40F800A04007F00070202040202830101')).toBe('6D00');
    await expect(
      VirtualEmrtd.create({ holder, pki, pace: false, accessControl: 'pace-only' }),
    ).rejects.toThrow(RangeError);
  });

  it('never throws on random command bytes', async () => {
    const fc = await import('fast-check');
    const { card } = await paceCard();
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const r = card.transmit(bytes);
        return r === null || r.length >= 2;
      }),
      { numRuns: 500 },
    );
  });

  it('treats a terminal error as TerminalError (fixture sanity)', () => {
    expect(new TerminalError('mac', 'x').code).toBe('mac');
  });
});
