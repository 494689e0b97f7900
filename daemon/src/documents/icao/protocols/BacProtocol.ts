import { CommandApdu } from '../apdu/CommandApdu.js';
import { ProtocolError } from '../ProtocolError.js';
import { bytesEqual, concat, wipe } from '../bytes.js';
import { tdesCbc } from '../crypto/blockCiphers.js';
import { retailMac } from '../crypto/retailMac.js';
import { padIso9797 } from '../crypto/padding.js';
import { kdf, KDF_COUNTER } from '../crypto/kdf.js';
import type { BacKeys } from '../crypto/bacKeys.js';
import { SecureMessaging } from '../sm/SecureMessaging.js';
import type { SecureMessagingSender } from '../sm/SecureMessagingSender.js';
import { secureRandom, type RandomSource } from './randomBytes.js';

/** What BAC establishes: the 3DES secure channel (plus the values the worked example checks). */
export interface BacResult {
  readonly secureMessaging: SecureMessaging;
  readonly rndIcc: Uint8Array;
}

/**
 * Basic Access Control (ICAO 9303-11 §4.3): GET CHALLENGE, EXTERNAL AUTHENTICATE with the
 * MRZ-derived keys, session keys from K.IFD ⊕ K.IC, SSC from the nonces. Wrong keys reject with
 * `document_access_denied` (`ProtocolError { protocol: 'BAC', step, sw }`).
 */
export class BacProtocol {
  private readonly sender: SecureMessagingSender;
  private readonly random: RandomSource;

  constructor(sender: SecureMessagingSender, options: { random?: RandomSource } = {}) {
    this.sender = sender;
    this.random = options.random ?? secureRandom;
  }

  /** Run BAC with `keys` (from {@link deriveBacKeys}). Installs nothing: the caller installs the channel. */
  async run(keys: BacKeys, signal?: AbortSignal): Promise<BacResult> {
    const challenge = await this.sender.send(
      new CommandApdu({ cla: 0x00, ins: 0x84, p1: 0, p2: 0, ne: 8 }),
      signal,
    );
    if (!challenge.ok || challenge.data.length !== 8) {
      throw new ProtocolError('document_protocol_error', {
        protocol: 'BAC',
        step: 'getChallenge',
        sw: challenge.sw,
        message: `expected 8 bytes, got ${challenge.data.length}`,
      });
    }
    const rndIcc = challenge.data;
    const rndIfd = this.random(8);
    const kIfd = this.random(16);
    const s = concat(rndIfd, rndIcc, kIfd);
    const eIfd = tdesCbc(keys.kEnc, new Uint8Array(8), s, true);
    const mIfd = retailMac(keys.kMac, padIso9797(eIfd, 8));
    const auth = await this.sender.send(
      new CommandApdu({ cla: 0x00, ins: 0x82, p1: 0, p2: 0, data: concat(eIfd, mIfd), ne: 40 }),
      signal,
    );
    if (auth.sw === 0x6300 || auth.sw === 0x6982 || auth.sw === 0x6a80 || auth.sw === 0x6985) {
      throw new ProtocolError('document_access_denied', {
        protocol: 'BAC',
        step: 'externalAuthenticate',
        sw: auth.sw,
        message: 'the chip rejected the MRZ-derived keys',
      });
    }
    if (!auth.ok || auth.data.length !== 40) {
      throw new ProtocolError('document_protocol_error', {
        protocol: 'BAC',
        step: 'externalAuthenticate',
        sw: auth.sw,
        message: `expected 40 bytes, got ${auth.data.length}`,
      });
    }
    const eIc = auth.data.subarray(0, 32);
    const mIc = auth.data.subarray(32, 40);
    if (!bytesEqual(retailMac(keys.kMac, padIso9797(eIc, 8)), mIc)) {
      throw new ProtocolError('document_access_denied', {
        protocol: 'BAC',
        step: 'verifyIccMac',
        sw: auth.sw,
        message: "the chip's cryptogram MAC does not verify",
      });
    }
    const r = tdesCbc(keys.kEnc, new Uint8Array(8), eIc, false);
    if (!bytesEqual(r.subarray(0, 8), rndIcc) || !bytesEqual(r.subarray(8, 16), rndIfd)) {
      throw new ProtocolError('document_access_denied', {
        protocol: 'BAC',
        step: 'verifyNonces',
        sw: auth.sw,
        message: 'the chip did not echo our nonces',
      });
    }
    const kIc = r.subarray(16, 32);
    const ksSeed = new Uint8Array(16);
    for (let i = 0; i < 16; i++) ksSeed[i] = (kIfd[i] as number) ^ (kIc[i] as number);
    const ksEnc = kdf(ksSeed, KDF_COUNTER.enc, '3DES');
    const ksMac = kdf(ksSeed, KDF_COUNTER.mac, '3DES');
    const ssc = concat(rndIcc.subarray(4, 8), rndIfd.subarray(4, 8));
    const secureMessaging = new SecureMessaging({ cipher: '3DES', ksEnc, ksMac, ssc });
    wipe(kIfd, s, r, ksSeed, ksEnc, ksMac);
    return { secureMessaging, rndIcc };
  }
}
