import { describe, expect, it } from 'vitest';
import { VirtualSamReader } from './VirtualSamReader.js';
import {
  SimulatedWltDecoder,
  simulatedWltBlob,
  SIM_DEFAULT_PORTRAIT_JPEG,
} from './SimulatedWltDecoder.js';

const hex = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s.replace(/\s+/gu, ''), 'hex'));
const toHex = (b: Uint8Array): string => Buffer.from(b).toString('hex').toUpperCase();

function exchange(sim: VirtualSamReader, command: string): string[] {
  const out: string[] = [];
  const detach = sim.attach((b) => out.push(toHex(b)));
  sim.receive(hex(command));
  detach();
  return out;
}

describe('VirtualSamReader answers the DOCUMENTS.md frames', () => {
  it('status, find, select, read header, and the find-after-read rule', () => {
    const sim = new VirtualSamReader({ card: {} });
    expect(exchange(sim, 'AAAAAA9669000311FFED')).toEqual(['AAAAAA9669000400009094']);
    expect(exchange(sim, 'AAAAAA96690003200122')).toEqual(['AAAAAA9669000800009F0000000097']);
    expect(exchange(sim, 'AAAAAA96690003200221')).toEqual([
      'AAAAAA9669000C00009000000000000000009C',
    ]);
    const [read] = exchange(sim, 'AAAAAA96690003300132');
    expect(read!.slice(0, 28)).toBe('AAAAAA9669050800009001000400');
    expect(read!.length).toBe(1295 * 2);
    expect(exchange(sim, 'AAAAAA96690003200122')).toEqual(['AAAAAA9669000400008084']);
  });

  it('select without find is 81; read without select is 41; no card is 80', () => {
    const sim = new VirtualSamReader();
    expect(exchange(sim, 'AAAAAA96690003200122')).toEqual(['AAAAAA9669000400008084']);
    expect(exchange(sim, 'AAAAAA96690003200221')).toEqual(['AAAAAA9669000400008185']);
    expect(exchange(sim, 'AAAAAA96690003300132')).toEqual(['AAAAAA9669000400004145']);
  });

  it('answers a bad checksum with 10, an unknown command with 21, set-max-RF with 90', () => {
    const sim = new VirtualSamReader();
    expect(exchange(sim, 'AAAAAA96690003200121')).toEqual([toHex(hex('AAAAAA9669000400001014'))]);
    expect(exchange(sim, 'AAAAAA96690003777703')).toEqual([toHex(hex('AAAAAA9669000400002125'))]);
    expect(exchange(sim, 'AAAAAA9669000461FF50CA')).toEqual(['AAAAAA9669000400009094']);
  });

  it('self-test failure answers 60', () => {
    const sim = new VirtualSamReader();
    sim.injectFault({ kind: 'sam-self-test-failure' });
    expect(exchange(sim, 'AAAAAA9669000310FFEC')).toEqual(['AAAAAA9669000400006064']);
  });
});

describe('SimulatedWltDecoder', () => {
  it('blobs are WLT-shaped (WL, 102, 126) and decode to the registered JPEG', async () => {
    const decoder = new SimulatedWltDecoder();
    const blob = decoder.register(SIM_DEFAULT_PORTRAIT_JPEG);
    expect(blob.length).toBe(1024);
    expect(toHex(blob.subarray(0, 6))).toBe('574C66007E00');
    const image = await decoder.decode(blob);
    expect(image.format).toBe('jpeg');
    expect(Buffer.from(image.bytes).equals(Buffer.from(SIM_DEFAULT_PORTRAIT_JPEG))).toBe(true);
  });

  it('refuses blobs it did not register', async () => {
    await expect(
      new SimulatedWltDecoder().decode(simulatedWltBlob(new Uint8Array(32))),
    ).rejects.toMatchObject({ code: 'document_photo_decoder_failed' });
  });
});
