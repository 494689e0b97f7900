import { Value } from '@sinclair/typebox/value';
import { VirtualSamReader, startSamPty } from '@kycd/hardware-sim';
import { describe, expect, it } from 'vitest';
import { HttpWltDecoder } from './HttpWltDecoder.js';
import { openSamReader, createWltDecoder } from './openSamReader.js';
import { readResidentId } from './readResidentId.js';
import { SamConfigSchema, type SamConfig } from './SamConfig.js';

const config = (patch: Record<string, unknown>): SamConfig =>
  Value.Default(SamConfigSchema, structuredClone(patch)) as SamConfig;

describe('SamConfig and openSamReader', () => {
  it('every key has a default', () => {
    const c = config({});
    expect(Value.Check(SamConfigSchema, c)).toBe(true);
    expect(c).toMatchObject({
      transport: 'serial',
      baudRate: 115200,
      timeouts: { findCard: 300, readBaseInfo: 3500 },
      wltDecoder: { kind: 'none' },
    });
  });

  it('builds the HTTP decoder only when configured', () => {
    expect(createWltDecoder(config({}))).toBeUndefined();
    expect(
      createWltDecoder(
        config({ wltDecoder: { kind: 'http', url: 'http://127.0.0.1:19196/decode' } }),
      ),
    ).toBeInstanceOf(HttpWltDecoder);
    expect(() => createWltDecoder(config({ wltDecoder: { kind: 'http' } }))).toThrow(TypeError);
  });

  it('opens a serial reader from config (the simulator pty) and reads through it', async () => {
    const sim = new VirtualSamReader({ card: {} });
    const pty = await startSamPty(sim);
    try {
      const sam = await openSamReader(config({ enabled: true, serialPath: pty.path }));
      const result = await readResidentId(sam.reader, { wltDecoder: sam.wltDecoder });
      expect(result.photoUnavailable?.code).toBe('document_photo_decoder_missing');
      await sam.close();
    } finally {
      await pty.close();
    }
  });

  it('a missing device → document_reader_unavailable; no device named → TypeError', async () => {
    await expect(
      openSamReader(config({ serialPath: '/dev/kycd-no-such-reader' })),
    ).rejects.toMatchObject({ code: 'document_reader_unavailable' });
    await expect(openSamReader(config({}))).rejects.toThrow(TypeError);
    await expect(openSamReader(config({ transport: 'usb' }))).rejects.toThrow(TypeError);
  });
});
