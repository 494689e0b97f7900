import { describe, expect, it } from 'vitest';
import { hex, toHex } from '../bytes.js';
import { deriveBacKeys, mrzInformation } from '../crypto/bacKeys.js';
import { CommandApdu } from '../apdu/CommandApdu.js';
import { ScriptedTransport } from '../transport/ScriptedTransport.js';
import { SecureMessagingSender } from '../sm/SecureMessagingSender.js';
import { ProtocolError } from '../ProtocolError.js';
import { BacProtocol } from './BacProtocol.js';

const RND_IC = '4608F91988702212';
const RND_IFD = '781723860C06C226';
const K_IFD = '0B795240CB7049B01C19B33E32804F0B';
const CMD_DATA = '72C29C2371CC9BDB65B779B8E8D37B29ECC154AA56A8799FAE2F498F76ED92F25F1448EEA8AD90A7';
const RESPONSE = '46B9342A41396CD7386BF5803104D7CEDC122B9132139BAF2EEDC94EE178534F2F2D235D074D7449';

function fixedRandom(): (n: number) => Uint8Array {
  const values = [hex(RND_IFD), hex(K_IFD)];
  return (n) => {
    const v = values.shift();
    if (v === undefined || v.length !== n) throw new Error(`unexpected random(${n})`);
    return v;
  };
}

describe('BacProtocol (9303-11 App. D.3)', () => {
  it('runs the worked example and establishes the D.4 secure channel', async () => {
    const transport = new ScriptedTransport([
      { command: '0084000008', response: `${RND_IC}9000` },
      { command: `0082000028${CMD_DATA}28`, response: `${RESPONSE}9000` },
      // D.4 step 1: SELECT EF.COM under the new channel
      {
        command: '0CA4020C158709016375432908C044F68E08BF8B92D635FF24F800',
        response: '990290008E08FA855A5D4C50A8ED9000',
      },
    ]);
    const sender = new SecureMessagingSender(transport);
    const keys = deriveBacKeys(mrzInformation('L898902C', '690806', '940623'));
    const result = await new BacProtocol(sender, { random: fixedRandom() }).run(keys);
    expect(toHex(result.rndIcc)).toBe(RND_IC);
    expect(result.secureMessaging.cipher).toBe('3DES');
    expect(toHex(result.secureMessaging.ssc)).toBe('887022120C06C226');
    sender.setSecureMessaging(result.secureMessaging);
    const select = await sender.send(
      new CommandApdu({ cla: 0, ins: 0xa4, p1: 2, p2: 0x0c, data: hex('011E') }),
    );
    expect(select.sw).toBe(0x9000);
    expect(toHex(result.secureMessaging.ssc)).toBe('887022120C06C228');
    expect(transport.remaining).toBe(0);
  });

  it('rejects wrong keys with document_access_denied (BAC externalAuthenticate 6300)', async () => {
    const transport = new ScriptedTransport([
      { command: '0084000008', response: `${RND_IC}9000` },
      { command: (c) => c[1] === 0x82, response: '6300' },
    ]);
    const keys = deriveBacKeys(mrzInformation('L898902C', '690806', '940624'));
    const err = await new BacProtocol(new SecureMessagingSender(transport))
      .run(keys)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProtocolError);
    expect(err).toMatchObject({
      code: 'document_access_denied',
      protocol: 'BAC',
      step: 'externalAuthenticate',
      sw: 0x6300,
    });
  });

  it('rejects a chip cryptogram with a bad MAC', async () => {
    const bad = `${RESPONSE.slice(0, -2)}48`;
    const transport = new ScriptedTransport([
      { command: '0084000008', response: `${RND_IC}9000` },
      { command: `0082000028${CMD_DATA}28`, response: `${bad}9000` },
    ]);
    const keys = deriveBacKeys(mrzInformation('L898902C', '690806', '940623'));
    await expect(
      new BacProtocol(new SecureMessagingSender(transport), { random: fixedRandom() }).run(keys),
    ).rejects.toMatchObject({
      code: 'document_access_denied',
      step: 'verifyIccMac',
    });
  });
});
