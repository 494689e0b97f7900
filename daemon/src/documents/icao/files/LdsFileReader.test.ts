import { describe, expect, it } from 'vitest';
import { EmrtdError } from '../EmrtdError.js';
import { encodeTlv, parseTlv } from '../tlv/BerTlv.js';
import { SecureMessagingSender } from '../sm/SecureMessagingSender.js';
import type { CardTransport } from '../transport/CardTransport.js';
import { LdsFileReader, maxReadData } from './LdsFileReader.js';

/** A plain (no SM) card with one EF 0102, serving READ BINARY with even and odd INS and a read limit. */
function fileCard(file: Uint8Array, limit: number, log: string[]): CardTransport {
  return {
    transmit: async (c) => {
      const ins = c[1] as number;
      if (ins === 0xa4) return Uint8Array.of(0x90, 0x00);
      const le = (c.at(-1) as number) === 0 ? 256 : (c.at(-1) as number);
      if (le > limit) return Uint8Array.of(0x67, 0x00);
      let offset: number;
      let wrap = false;
      if (ins === 0xb0) offset = (((c[2] as number) & 0x7f) << 8) | (c[3] as number);
      else if (ins === 0xb1) {
        const do54 = parseTlv(c.subarray(5, 5 + (c[4] as number)));
        offset = do54.value.reduce((a, b) => a * 256 + b, 0);
        wrap = true;
      } else throw new EmrtdError('document_transmission_failed', 'unexpected INS');
      log.push(`${ins.toString(16)}@${offset}`);
      const room = wrap ? le - 4 : le;
      const data = file.subarray(offset, offset + room);
      const body = wrap ? encodeTlv(0x53, data) : data;
      return Uint8Array.from([
        ...body,
        data.length < room ? 0x62 : 0x90,
        data.length < room ? 0x82 : 0x00,
      ]);
    },
  };
}

describe('maxReadData', () => {
  it('gives the 223 (AES) / 231 (3DES) of 9303-11 for a short response, 256 plain, and fits any declared extended size', () => {
    expect(maxReadData(258, 16)).toBe(223);
    expect(maxReadData(258, 8)).toBe(231);
    expect(maxReadData(258, undefined)).toBe(256);
    // 1024: DO87 = 87 82 03 E1 01 ‖ 992 bytes (991 data + 1 padding) → 997 + DO99 4 + DO8E 10 + SW 2 = 1013 ≤ 1024; 1008 would need 1029
    expect(maxReadData(1024, 16)).toBe(991);
    expect(maxReadData(0x1000, 16)).toBe(4063);
    expect(maxReadData(0x1000, 8)).toBe(4071);
    expect(maxReadData(10, 16)).toBe(0);
  });
});

describe('LdsFileReader', () => {
  it('reads a 40 KB file: even INS up to offset 32767, then odd INS with DO54/DO53', async () => {
    const content = new Uint8Array(40_000).map((_, i) => (i * 31) & 0xff);
    const file = encodeTlv(0x75, content);
    const log: string[] = [];
    const progress: number[] = [];
    const reader = new LdsFileReader(new SecureMessagingSender(fileCard(file, 256, log)), {
      onProgress: (p) => progress.push(p.bytesRead),
    });
    const got = await reader.readFile(0x0102, 'DG2');
    expect(Buffer.from(got!).equals(Buffer.from(file))).toBe(true);
    expect(log.some((l) => l.startsWith('b1@'))).toBe(true);
    expect(log.filter((l) => l.startsWith('b0@')).every((l) => Number(l.slice(3)) <= 0x7fff)).toBe(
      true,
    );
    expect(progress.at(-1)).toBe(file.length);
  });

  it('steps down when the chip refuses the read length (6700) and keeps the smaller size', async () => {
    const file = encodeTlv(0x61, new Uint8Array(1000).fill(7));
    const log: string[] = [];
    const got = await new LdsFileReader(
      new SecureMessagingSender(fileCard(file, 128, log)),
    ).readFile(0x0101, 'DG1');
    expect(got!.length).toBe(file.length);
    expect(log.length).toBe(Math.ceil(file.length / 128));
  });
});
