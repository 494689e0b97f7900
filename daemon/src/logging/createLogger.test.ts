import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from './createLogger.js';

function capture(): { logger: ReturnType<typeof createLogger>; text: () => string } {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, cb) {
      lines.push(String(chunk));
      cb();
    },
  });
  return {
    logger: createLogger({ level: 'debug', destination, pretty: false }),
    text: () => lines.join(''),
  };
}

const MRZ_LINE_2 = 'E12345678<CHN9003072M3105209<<<<<<<<<<<<<<02';
/** A BMP, as the WLT decoders answer: "BM", then a header and pixels. */
const BMP_BASE64 = Buffer.concat([Buffer.from('BM'), Buffer.alloc(60, 0x7f)]).toString('base64');
const JPEG_BASE64 = Buffer.concat([
  Buffer.from([0xff, 0xd8, 0xff, 0xe0]),
  Buffer.alloc(300, 9),
]).toString('base64');

describe('createLogger', () => {
  it('redacts document fields, photos and embeddings by key, at any of the first levels', () => {
    const { logger, text } = capture();
    logger.info(
      {
        documentNumber: 'E12345678',
        fields: { fullName: 'ZHANG WEI', mrz: MRZ_LINE_2 },
        deep: { x: { embedding: [0.1, 0.2] } },
        photo: 'abc',
      },
      'read',
    );
    const out = text();
    expect(out).not.toContain('E12345678');
    expect(out).not.toContain('ZHANG WEI');
    expect(out).not.toContain('0.1,0.2');
    expect(out).toContain('[redacted]');
  });

  it('scrubs error messages and stacks, and messages, of ID numbers, MRZ lines, images and vectors', () => {
    const { logger, text } = capture();
    const err = new Error(
      `check digit mismatch in ${MRZ_LINE_2} for document E12345678 (holder 11010519491231002X)`,
    );
    logger.error(
      { err, reason: `chip photo ${JPEG_BASE64} did not decode` },
      `read of E12345678 failed`,
    );
    logger.warn({ err: String(err) }, 'as a string');
    logger.info({}, `decoded photo ${BMP_BASE64}`);
    logger.debug(
      { live: Array.from({ length: 512 }, (_, i) => i / 512), bytes: new Uint8Array([1, 2, 3]) },
      `vector ${Array.from({ length: 20 }, (_, i) => (i / 7).toFixed(4)).join(', ')}`,
    );
    const out = text();
    for (const secret of [
      'E12345678',
      '11010519491231002X',
      MRZ_LINE_2,
      JPEG_BASE64.slice(0, 40),
      BMP_BASE64.slice(0, 40),
      '0.1428, 0.2857',
    ])
      expect(out).not.toContain(secret);
    // Masked, not lost: the last four characters stay for support.
    expect(out).toContain('*****5678');
    expect(out).toContain('1*************002X');
    expect(out).toContain('[redacted-mrz]');
    // The rest of the line survives.
    expect(out).toContain('check digit mismatch');
    expect(out).toContain('did not decode');
    const lines = out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines[0]).toMatchObject({
      level: 50,
      msg: 'read of *****5678 failed',
      err: { type: 'Error' },
    });
    expect(lines[3]).toMatchObject({ live: '[redacted]', bytes: '[redacted]' });
  });

  it('leaves ordinary values alone', () => {
    const { logger, text } = capture();
    logger.info(
      {
        session: '5d6ccb26-c573-4e71-b7c1-6a0a106d6ebe',
        url: 'ws://127.0.0.1:7450/v1',
        attempts: [1, 2, 3],
      },
      'kycd listening',
    );
    const line = JSON.parse(text()) as Record<string, unknown>;
    expect(line).toMatchObject({
      session: '5d6ccb26-c573-4e71-b7c1-6a0a106d6ebe',
      url: 'ws://127.0.0.1:7450/v1',
      attempts: [1, 2, 3],
      msg: 'kycd listening',
    });
  });
});
