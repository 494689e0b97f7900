import { constants, createHash, createPublicKey, publicDecrypt, randomBytes } from 'node:crypto';
import { bigIntToBytes, bytesEqual, bytesToBigInt, concat, hex, toHex } from '../bytes.js';
import { EMRTD_CURVES, type EmrtdCurveName } from '../ecCurves.js';
import {
  aesCmac,
  aesDecrypt,
  aesEcb,
  aesEncrypt,
  kdf,
  pad,
  smMac,
  tdesDecrypt,
  tdesEncrypt,
  retailMac,
  unpad,
  type SmAlgorithm,
} from '../smCrypto.js';
import { derOid } from '../der.js';
import { findTlv, parseTlvs, tlv } from '../Tlv.js';

/** Anything that answers APDUs like a card. */
export interface ApduCard {
  transmit(command: Uint8Array): Uint8Array | null | Promise<Uint8Array | null>;
}

/** A response split into data and status word. */
export interface Response {
  readonly data: Uint8Array;
  readonly sw: number;
}

/** Thrown by the terminal when the card's answer fails a check (MAC, format). */
export class TerminalError extends Error {
  constructor(
    readonly code: 'mac' | 'malformed' | 'removed' | 'status',
    message: string,
    readonly sw?: number,
  ) {
    super(message);
  }
}

function split(raw: Uint8Array): Response {
  if (raw.length < 2) throw new TerminalError('malformed', 'response shorter than a status word');
  return {
    data: raw.subarray(0, raw.length - 2),
    sw: ((raw[raw.length - 2] ?? 0) << 8) | (raw[raw.length - 1] ?? 0),
  };
}

function inc(ssc: Uint8Array): void {
  for (let i = ssc.length - 1; i >= 0; i--) {
    ssc[i] = ((ssc[i] ?? 0) + 1) & 0xff;
    if (ssc[i] !== 0) return;
  }
}

/**
 * A deliberately small inspection-system (terminal) side for tests: BAC, PACE-GM, secure
 * messaging wrap/unwrap, file reads, CA, AA. Test-only; the daemon has its own host stack.
 */
export class TestTerminal {
  sm: { algorithm: SmAlgorithm; ksEnc: Uint8Array; ksMac: Uint8Array; ssc: Uint8Array } | undefined;
  apduCount = 0;

  constructor(readonly card: ApduCard) {}

  async raw(command: Uint8Array | string): Promise<Uint8Array> {
    const bytes = typeof command === 'string' ? hex(command) : command;
    this.apduCount++;
    const r = await this.card.transmit(bytes);
    if (r === null) throw new TerminalError('removed', 'card removed');
    return r;
  }

  async send(command: Uint8Array | string): Promise<Response> {
    return split(await this.raw(command));
  }

  /** Wraps a plain command (header + data + le) with the current SM keys, sends it, and unwraps the response. */
  async sendSecure(
    cla: number,
    ins: number,
    p1: number,
    p2: number,
    data: Uint8Array,
    le: number | undefined,
    extended = false,
  ): Promise<Response> {
    const sm = this.sm;
    if (!sm) throw new Error('no SM session');
    const block = sm.algorithm === 'AES' ? 16 : 8;
    inc(sm.ssc);
    const header = Uint8Array.of(cla | 0x0c, ins, p1, p2);
    let do87: Uint8Array = new Uint8Array(0);
    if (data.length > 0) {
      const iv = sm.algorithm === 'AES' ? aesEcb(sm.ksEnc, sm.ssc) : new Uint8Array(8);
      const enc =
        sm.algorithm === 'AES'
          ? aesEncrypt(sm.ksEnc, pad(data, 16), iv)
          : tdesEncrypt(sm.ksEnc, pad(data, 8));
      do87 = tlv(0x87, Uint8Array.of(1), enc);
    }
    let do97: Uint8Array = new Uint8Array(0);
    if (le !== undefined) {
      do97 =
        extended || le > 256
          ? tlv(0x97, Uint8Array.of((le >> 8) & 0xff, le & 0xff))
          : tlv(0x97, Uint8Array.of(le === 256 ? 0 : le));
    }
    const mac = smMac(
      sm.algorithm,
      sm.ksMac,
      pad(concat(sm.ssc, pad(header, block), do87, do97), block),
    );
    const body = concat(do87, do97, tlv(0x8e, mac));
    const apdu = extended
      ? concat(
          header,
          Uint8Array.of(0, (body.length >> 8) & 0xff, body.length & 0xff),
          body,
          Uint8Array.of(0, 0),
        )
      : concat(header, Uint8Array.of(body.length), body, Uint8Array.of(0));
    const response = await this.send(apdu);
    return this.unwrap(response);
  }

  unwrap(response: Response): Response {
    const sm = this.sm;
    if (!sm) throw new Error('no SM session');
    inc(sm.ssc);
    if (response.data.length === 0) {
      this.sm = undefined;
      throw new TerminalError(
        'status',
        `unprotected status ${response.sw.toString(16)}`,
        response.sw,
      );
    }
    let objects;
    try {
      objects = parseTlvs(response.data);
    } catch (e) {
      throw new TerminalError('malformed', `SM response does not parse: ${(e as Error).message}`);
    }
    const do87 = objects.find((o) => o.tag === 0x87);
    const do99 = findTlv(objects, 0x99);
    const do8e = findTlv(objects, 0x8e);
    if (!do99 || !do8e) throw new TerminalError('malformed', 'DO99/DO8E missing');
    const block = sm.algorithm === 'AES' ? 16 : 8;
    const macInput = concat(
      sm.ssc,
      do87 ? tlv(0x87, do87.value) : new Uint8Array(0),
      tlv(0x99, do99),
    );
    if (!bytesEqual(smMac(sm.algorithm, sm.ksMac, pad(macInput, block)), do8e)) {
      this.sm = undefined;
      throw new TerminalError('mac', 'response MAC does not verify');
    }
    let data: Uint8Array = new Uint8Array(0);
    if (do87) {
      const cipher = do87.value.subarray(1);
      const plain =
        sm.algorithm === 'AES'
          ? aesDecrypt(sm.ksEnc, cipher, aesEcb(sm.ksEnc, sm.ssc))
          : tdesDecrypt(sm.ksEnc, cipher);
      data = unpad(plain) ?? new Uint8Array(0);
    }
    return { data, sw: ((do99[0] ?? 0) << 8) | (do99[1] ?? 0) };
  }

  /** BAC with the MRZ information; the nonces can be fixed for worked examples. */
  async bac(
    mrzInformation: string,
    fixed: { rndIfd?: Uint8Array; kIfd?: Uint8Array } = {},
  ): Promise<Response> {
    const kSeed = createHash('sha1').update(mrzInformation).digest().subarray(0, 16);
    const kEnc = kdf(kSeed, 1, '3DES');
    const kMac = kdf(kSeed, 2, '3DES');
    const challenge = await this.send('0084000008');
    if (challenge.sw !== 0x9000) return challenge;
    const rndIc = challenge.data;
    const rndIfd = fixed.rndIfd ?? new Uint8Array(randomBytes(8));
    const kIfd = fixed.kIfd ?? new Uint8Array(randomBytes(16));
    const eIfd = tdesEncrypt(kEnc, concat(rndIfd, rndIc, kIfd));
    const mIfd = retailMac(kMac, pad(eIfd, 8));
    const r = await this.send(concat(hex('0082000028'), eIfd, mIfd, hex('28')));
    if (r.sw !== 0x9000) return r;
    const eIc = r.data.subarray(0, 32);
    if (!bytesEqual(retailMac(kMac, pad(eIc, 8)), r.data.subarray(32, 40)))
      throw new TerminalError('mac', 'BAC M_IC wrong');
    const plain = tdesDecrypt(kEnc, eIc);
    const kIc = plain.subarray(16, 32);
    const ksSeed = kIfd.map((b, i) => b ^ (kIc[i] ?? 0));
    this.sm = {
      algorithm: '3DES',
      ksEnc: kdf(ksSeed, 1, '3DES'),
      ksMac: kdf(ksSeed, 2, '3DES'),
      ssc: concat(rndIc.subarray(4, 8), rndIfd.subarray(4, 8)),
    };
    return r;
  }

  /** PACE ECDH-GM with AES-128 on a curve, password = MRZ information (ref 1) or a CAN (ref 2). */
  async pace(
    password: { mrz: string } | { can: string },
    curveName: EmrtdCurveName = 'brainpoolP256r1',
    oid = '0.4.0.127.0.7.2.2.4.2.2',
  ): Promise<Response> {
    const tdes = oid.endsWith('.1');
    const alg: SmAlgorithm = tdes ? '3DES' : 'AES';
    const curve = EMRTD_CURVES[curveName];
    const P = curve.Point;
    const ref = 'mrz' in password ? 1 : 2;
    const pi =
      'mrz' in password
        ? createHash('sha1').update(password.mrz).digest()
        : new TextEncoder().encode(password.can);
    const kPi = kdf(pi, 3, alg, 16);
    const oidBytes = derOid(oid);
    const mseBody = concat(
      tlv(0x80, oidBytes.subarray(2)),
      tlv(0x83, Uint8Array.of(ref)),
      tlv(0x84, Uint8Array.of(curve.paceParameterId)),
    );
    const mse = await this.send(concat(hex('0022C1A4'), Uint8Array.of(mseBody.length), mseBody));
    if (mse.sw !== 0x9000) return mse;
    const ga = async (cla: number, inner: Uint8Array): Promise<Response> => {
      const body = tlv(0x7c, inner);
      return this.send(concat(Uint8Array.of(cla, 0x86, 0, 0, body.length), body, Uint8Array.of(0)));
    };
    const r1 = await ga(0x10, new Uint8Array(0));
    if (r1.sw !== 0x9000) return r1;
    const z =
      findTlv(parseTlvs(findTlv(parseTlvs(r1.data), 0x7c) ?? new Uint8Array(0)), 0x80) ??
      new Uint8Array(0);
    const s = bytesToBigInt(tdes ? tdesDecrypt(kPi, z) : aesDecrypt(kPi, z));
    const rnd = (): bigint =>
      (bytesToBigInt(new Uint8Array(randomBytes(40))) % (P.Fn.ORDER - 1n)) + 1n;
    const skMap = rnd();
    const r2 = await ga(0x10, tlv(0x81, P.BASE.multiply(skMap).toBytes(false)));
    if (r2.sw !== 0x9000) return r2;
    const pkMapPicc = P.fromBytes(
      findTlv(parseTlvs(findTlv(parseTlvs(r2.data), 0x7c) ?? new Uint8Array(0)), 0x82) ??
        new Uint8Array(0),
    );
    const g = P.BASE.multiply(s).add(pkMapPicc.multiply(skMap));
    const sk = rnd();
    const pkPcd = g.multiply(sk).toBytes(false);
    const r3 = await ga(0x10, tlv(0x83, pkPcd));
    if (r3.sw !== 0x9000) return r3;
    const pkPicc =
      findTlv(parseTlvs(findTlv(parseTlvs(r3.data), 0x7c) ?? new Uint8Array(0)), 0x84) ??
      new Uint8Array(0);
    const k = bigIntToBytes(P.fromBytes(pkPicc).multiply(sk).toAffine().x, curve.size);
    const ksEnc = kdf(k, 1, alg, 16);
    const ksMac = kdf(k, 2, alg, 16);
    const token = (input: Uint8Array): Uint8Array =>
      tdes ? retailMac(ksMac, pad(input, 8)) : aesCmac(ksMac, input).subarray(0, 8);
    const tPcd = token(tlv(0x7f49, oidBytes, tlv(0x86, pkPicc)));
    const r4 = await ga(0x00, tlv(0x85, tPcd));
    if (r4.sw !== 0x9000) return r4;
    const tPicc = findTlv(parseTlvs(findTlv(parseTlvs(r4.data), 0x7c) ?? new Uint8Array(0)), 0x86);
    const expected = token(tlv(0x7f49, oidBytes, tlv(0x86, pkPcd)));
    if (!tPicc || !bytesEqual(tPicc, expected))
      throw new TerminalError('mac', `T_PICC wrong: ${toHex(tPicc ?? new Uint8Array(0))}`);
    this.sm = { algorithm: alg, ksEnc, ksMac, ssc: new Uint8Array(tdes ? 8 : 16) };
    return r4;
  }

  /** Reads a whole file under SM by FID with `chunk`-byte reads. */
  async readFile(fid: number, chunk = 223, extended = false): Promise<Uint8Array> {
    const sel = await this.sendSecure(
      0x00,
      0xa4,
      0x02,
      0x0c,
      Uint8Array.of(fid >> 8, fid & 0xff),
      undefined,
    );
    if (sel.sw !== 0x9000)
      throw new TerminalError(
        'status',
        `SELECT ${fid.toString(16)} → ${sel.sw.toString(16)}`,
        sel.sw,
      );
    const head = await this.sendSecure(0x00, 0xb0, 0, 0, new Uint8Array(0), 8, extended);
    if (head.sw !== 0x9000)
      throw new TerminalError('status', `READ BINARY → ${head.sw.toString(16)}`, head.sw);
    const lenByte = head.data[1] ?? 0;
    const hdr = lenByte < 0x80 ? 2 : 2 + (lenByte & 0x7f);
    let total = lenByte < 0x80 ? lenByte : 0;
    for (let i = 2; i < hdr; i++) total = total * 256 + (head.data[i] ?? 0);
    total += hdr;
    const parts: Uint8Array[] = [head.data.subarray(0, Math.min(8, total))];
    let offset = parts[0]?.length ?? 0;
    while (offset < total) {
      const n = Math.min(chunk, total - offset);
      const r = await this.sendSecure(
        0x00,
        0xb0,
        (offset >> 8) & 0x7f,
        offset & 0xff,
        new Uint8Array(0),
        n,
        extended,
      );
      if (r.sw !== 0x9000)
        throw new TerminalError('status', `READ BINARY at ${offset} → ${r.sw.toString(16)}`, r.sw);
      parts.push(r.data);
      offset += r.data.length;
      if (r.data.length === 0) throw new TerminalError('malformed', 'empty read');
    }
    return concat(...parts);
  }

  /** Chip Authentication (9303-11 §6.2, ECDH, AES-128) with the key in DG14; switches the terminal's SM keys. */
  async chipAuthentication(
    dg14: Uint8Array,
    cipher: 'AES-128' | '3DES' = 'AES-128',
  ): Promise<Response> {
    const infos = parseTlvs(
      parseTlvs(parseTlvs(dg14)[0]?.value ?? new Uint8Array(0))[0]?.value ?? new Uint8Array(0),
    );
    const pkOid = toHex(derOid('0.4.0.127.0.7.2.2.1.2'));
    let curveName: EmrtdCurveName | undefined;
    let chipKey: Uint8Array | undefined;
    for (const info of infos) {
      const [oid, spki] = parseTlvs(info.value);
      if (!oid || toHex(tlv(0x06, oid.value)) !== pkOid || !spki) continue;
      const [alg, bits] = parseTlvs(spki.value);
      const curveOid = toHex(
        parseTlvs(alg?.value ?? new Uint8Array(0))[1]?.value ?? new Uint8Array(0),
      );
      curveName =
        curveOid === toHex(derOid('1.3.36.3.3.2.8.1.1.7').subarray(2))
          ? 'brainpoolP256r1'
          : 'P-256';
      chipKey = bits?.value.subarray(1);
    }
    if (!curveName || !chipKey) throw new TerminalError('malformed', 'DG14 has no CA public key');
    const curve = EMRTD_CURVES[curveName];
    const sk = (bytesToBigInt(new Uint8Array(randomBytes(40))) % (curve.Point.Fn.ORDER - 1n)) + 1n;
    const ephemeral = curve.Point.BASE.multiply(sk).toBytes(false);
    const k = bigIntToBytes(curve.Point.fromBytes(chipKey).multiply(sk).toAffine().x, curve.size);
    if (cipher === '3DES') {
      const kat = await this.sendSecure(0, 0x22, 0x41, 0xa6, tlv(0x91, ephemeral), undefined);
      if (kat.sw !== 0x9000) return kat;
      this.sm = {
        algorithm: '3DES',
        ksEnc: kdf(k, 1, '3DES'),
        ksMac: kdf(k, 2, '3DES'),
        ssc: new Uint8Array(8),
      };
      return kat;
    }
    const mse = await this.sendSecure(
      0,
      0x22,
      0x41,
      0xa4,
      tlv(0x80, derOid('0.4.0.127.0.7.2.2.3.2.2').subarray(2)),
      undefined,
    );
    if (mse.sw !== 0x9000) return mse;
    const ga = await this.sendSecure(0, 0x86, 0, 0, tlv(0x7c, tlv(0x80, ephemeral)), 256);
    if (ga.sw !== 0x9000) return ga;
    this.sm = {
      algorithm: 'AES',
      ksEnc: kdf(k, 1, 'AES', 16),
      ksMac: kdf(k, 2, 'AES', 16),
      ssc: new Uint8Array(16),
    };
    return ga;
  }

  /** Active Authentication (9303-11 §6.1, RSA ISO 9796-2 scheme 1, SHA-1) with the key in DG15; true when the signature verifies. */
  async activeAuthentication(dg15: Uint8Array): Promise<boolean> {
    const spki = parseTlvs(dg15)[0]?.value ?? new Uint8Array(0);
    const key = createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' });
    const challenge = new Uint8Array(randomBytes(8));
    const r = await this.sendSecure(0, 0x88, 0, 0, challenge, 256);
    if (r.sw !== 0x9000)
      throw new TerminalError('status', `INTERNAL AUTHENTICATE → ${r.sw.toString(16)}`, r.sw);
    const m = new Uint8Array(publicDecrypt({ key, padding: constants.RSA_NO_PADDING }, r.data));
    if (m[0] !== 0x6a || m[m.length - 1] !== 0xbc) return false;
    const m1 = m.subarray(1, m.length - 21);
    const digest = m.subarray(m.length - 21, m.length - 1);
    return bytesEqual(createHash('sha1').update(m1).update(challenge).digest(), digest);
  }
}
