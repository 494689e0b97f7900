import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SIM_DEFAULT_PORTRAIT_JPEG } from '@kycd/hardware-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpWltDecoder } from './HttpWltDecoder.js';
import { SamError } from './SamError.js';

/** A fake vendor decoding service on loopback; the handler is swapped per test. */
let handler: (body: string, req: IncomingMessage, res: ServerResponse) => void = () => undefined;
let server: Server;
let url: string;
const received: string[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      received.push(body);
      handler(body, req, res);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/decodeWlt`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

const wlt = new Uint8Array(1024).fill(7);
const json = (res: ServerResponse, value: unknown, status = 200): void => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(value));
};

async function failureOf(p: Promise<unknown>): Promise<SamError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(SamError);
  return err as SamError;
}

describe('HttpWltDecoder against a fake vendor service', () => {
  it('posts the WLT as base64 with the SAM id and returns the JPEG (format from magic bytes)', async () => {
    handler = (_b, _q, res) =>
      json(res, {
        resultFlag: 0,
        identityPic: Buffer.from(SIM_DEFAULT_PORTRAIT_JPEG).toString('base64'),
      });
    const decoder = new HttpWltDecoder({ url, headers: { 'x-site-key': 'k' } });
    const image = await decoder.decode(wlt, { samId: '05.01-20101126-0000000042-0123456789' });
    expect(image.format).toBe('jpeg');
    expect(Buffer.from(image.bytes).equals(Buffer.from(SIM_DEFAULT_PORTRAIT_JPEG))).toBe(true);
    expect(JSON.parse(received.at(-1)!)).toEqual({
      wlt: Buffer.from(wlt).toString('base64'),
      samId: '05.01-20101126-0000000042-0123456789',
    });
    expect(decoder.name).toMatch(/^http:127\.0\.0\.1:\d+$/u);
  });

  it('accepts a BMP under "image", with a data: prefix', async () => {
    handler = (_b, _q, res) =>
      json(res, {
        image: 'data:image/bmp;base64,' + Buffer.from('BM' + 'x'.repeat(60)).toString('base64'),
      });
    expect((await new HttpWltDecoder({ url }).decode(wlt, {})).format).toBe('bmp');
  });

  it.each([
    [
      'an HTTP error',
      (res: ServerResponse) => json(res, { error: 'unlicensed' }, 500),
      /HTTP status 500/u,
    ],
    ['non-JSON', (res: ServerResponse) => res.end('<html>'), /not JSON/u],
    ['no image member', (res: ServerResponse) => json(res, { resultFlag: -5 }), /no image/u],
    ['not base64', (res: ServerResponse) => json(res, { image: '@@@' }), /not base64/u],
    [
      'neither JPEG nor BMP',
      (res: ServerResponse) => json(res, { image: Buffer.from('GIF89a').toString('base64') }),
      /neither JPEG nor BMP/u,
    ],
    ['too large', (res: ServerResponse) => json(res, { image: 'A'.repeat(5000) }), /exceeds/u],
  ])('%s → document_photo_decoder_failed', async (_name, reply, message) => {
    handler = (_b, _q, res) => reply(res);
    const err = await failureOf(
      new HttpWltDecoder({ url, maxResponseBytes: 4096 }).decode(wlt, {}),
    );
    expect(err.code).toBe('document_photo_decoder_failed');
    expect(err.message).toMatch(message);
  });

  it('a service that does not answer in time → document_photo_decoder_failed', async () => {
    handler = () => undefined;
    const err = await failureOf(new HttpWltDecoder({ url, timeoutMs: 100 }).decode(wlt, {}));
    expect(err.code).toBe('document_photo_decoder_failed');
    expect(err.message).toMatch(/no answer within 100 ms/u);
  });

  it('a cancelled decode → document_aborted', async () => {
    handler = () => undefined;
    const ac = new AbortController();
    const p = new HttpWltDecoder({ url }).decode(wlt, { signal: ac.signal });
    setTimeout(() => ac.abort(), 20);
    await expect(p).rejects.toMatchObject({ code: 'document_aborted' });
  });

  it('an unreachable service → document_photo_decoder_failed', async () => {
    const err = await failureOf(
      new HttpWltDecoder({ url: 'http://127.0.0.1:1/decode', timeoutMs: 1000 }).decode(wlt, {}),
    );
    expect(err.code).toBe('document_photo_decoder_failed');
  });

  it('refuses a non-http URL synchronously', () => {
    expect(() => new HttpWltDecoder({ url: 'file:///etc/passwd' })).toThrow(TypeError);
  });
});
