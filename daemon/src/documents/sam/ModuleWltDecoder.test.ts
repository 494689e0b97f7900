import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { Value } from '@sinclair/typebox/value';
import { VirtualSamReader, startSamPty, SIM_DEFAULT_PORTRAIT_JPEG } from '@kycd/hardware-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadWltDecoderModule } from './ModuleWltDecoder.js';
import { loadWltDecoder, openSamReader } from './openSamReader.js';
import { readResidentId } from './readResidentId.js';
import { SamConfigSchema, type SamConfig } from './SamConfig.js';

const config = (patch: Record<string, unknown>): SamConfig =>
  Value.Default(SamConfigSchema, structuredClone(patch)) as SamConfig;

let dir: string;
const modules: Record<string, string> = {
  // a vendor module: a factory taking moduleOptions, answering a BMP header it builds from the blob
  'factory.mjs': `export default function createWltDecoder(options) {
    return { name: 'vendor-' + options.model, decode: async (wlt, context) => ({ format: 'bmp', bytes: Uint8Array.of(0x42, 0x4d, wlt.length & 0xff, (context.samId ?? '').length) }) };
  }`,
  'named.mjs': `export const createWltDecoder = { name: 'plain', decode: async () => ({ format: 'jpeg', bytes: Uint8Array.of(0xff, 0xd8, 0xff, 0xd9) }) };`,
  'throws.mjs': `export default { name: 'broken', decode: async () => { throw new Error('licence not valid for this SAM'); } };`,
  'answers-junk.mjs': `export default { name: 'junk', decode: async () => ({ format: 'png', bytes: 'not bytes' }) };`,
  'says-jpeg-sends-png.mjs': `export default { name: 'png', decode: async () => ({ format: 'jpeg', bytes: Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a) }) };`,
  'says-bmp-sends-jpeg.mjs': `export default { name: 'mislabelled', decode: async () => ({ format: 'bmp', bytes: Uint8Array.of(0xff, 0xd8, 0xff, 0xd9) }) };`,
  'no-decoder.mjs': `export default 42;`,
  'syntax.mjs': `export default {`,
};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kycd-wlt-'));
  for (const [name, text] of Object.entries(modules)) await writeFile(join(dir, name), text);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('WLT decoder from a vendor module (documents.sam.wltDecoder.kind "module")', () => {
  it('loads a factory default export with moduleOptions, and a createWltDecoder object export (absolute or relative path)', async () => {
    const d = await loadWltDecoder(
      config({
        wltDecoder: {
          kind: 'module',
          modulePath: join(dir, 'factory.mjs'),
          moduleOptions: { model: 'X1' },
        },
      }),
    );
    expect(d?.name).toBe(`module:${join(dir, 'factory.mjs')} (vendor-X1)`);
    expect(
      await d?.decode(new Uint8Array(1024), { samId: '05.01-20101224-0000000001-1234567890' }),
    ).toEqual({ format: 'bmp', bytes: Uint8Array.of(0x42, 0x4d, 0, 36) });
    const named = await loadWltDecoderModule(relative(process.cwd(), join(dir, 'named.mjs')));
    expect((await named.decode(new Uint8Array(1024), {})).format).toBe('jpeg');
  });

  it('holds the vendor code to the interface: its failures and malformed answers are document_photo_decoder_failed', async () => {
    const broken = await loadWltDecoderModule(join(dir, 'throws.mjs'));
    await expect(broken.decode(new Uint8Array(1024), {})).rejects.toMatchObject({
      code: 'document_photo_decoder_failed',
      message: expect.stringMatching(/licence not valid/),
    });
    const junk = await loadWltDecoderModule(join(dir, 'answers-junk.mjs'));
    await expect(junk.decode(new Uint8Array(1024), {})).rejects.toMatchObject({
      code: 'document_photo_decoder_failed',
    });
    // The image's own bytes decide its format, never the module's word.
    const png = await loadWltDecoderModule(join(dir, 'says-jpeg-sends-png.mjs'));
    await expect(png.decode(new Uint8Array(1024), {})).rejects.toMatchObject({
      code: 'document_photo_decoder_failed',
    });
    const mislabelled = await loadWltDecoderModule(join(dir, 'says-bmp-sends-jpeg.mjs'));
    expect((await mislabelled.decode(new Uint8Array(1024), {})).format).toBe('jpeg');
  });

  it('a module that is missing, does not parse or exports no decoder is a TypeError naming the config key', async () => {
    for (const name of ['no-such.mjs', 'syntax.mjs', 'no-decoder.mjs']) {
      await expect(loadWltDecoderModule(join(dir, name))).rejects.toThrow(
        /documents\.sam\.wltDecoder\.modulePath/,
      );
    }
    await expect(loadWltDecoder(config({ wltDecoder: { kind: 'module' } }))).rejects.toThrow(
      /modulePath is empty/,
    );
  });

  it('openSamReader wires the module decoder: a read through the simulated SAM carries the decoded photo', async () => {
    await writeFile(
      join(dir, 'portrait.mjs'),
      `export default { name: 'fixed', decode: async () => ({ format: 'jpeg', bytes: Uint8Array.from(${JSON.stringify([...SIM_DEFAULT_PORTRAIT_JPEG])}) }) };`,
    );
    const pty = await startSamPty(new VirtualSamReader({ card: {} }));
    try {
      const sam = await openSamReader(
        config({
          enabled: true,
          serialPath: pty.path,
          wltDecoder: { kind: 'module', modulePath: join(dir, 'portrait.mjs') },
        }),
      );
      const result = await readResidentId(sam.reader, { wltDecoder: sam.wltDecoder });
      expect(result.photoUnavailable).toBeUndefined();
      expect(result.photo?.format).toBe('wlt'); // as stored on the card; rgb is what the module decoded
      expect(result.photo?.rgb?.width).toBeGreaterThan(0);
      await sam.close();
    } finally {
      await pty.close();
    }
  });
});
