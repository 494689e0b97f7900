import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readTarEntries } from './readTarEntries.js';
import { makeTar } from '../__fixtures__/makeTar.js';

describe('readTarEntries', () => {
  it('reads regular files with ustar names and prefixes, skipping directories', () => {
    const tar = makeTar([
      { path: 'package/', type: '5', data: new Uint8Array(0) },
      { path: 'package/model/a.onnx', data: new Uint8Array([1, 2, 3]) },
      { path: `package/${'d'.repeat(120)}/b.bin`, data: new Uint8Array(700).fill(9) },
    ]);
    const entries = [...readTarEntries(tar)];
    expect(entries.map((e) => e.path)).toEqual([
      'package/model/a.onnx',
      `package/${'d'.repeat(120)}/b.bin`,
    ]);
    expect([...(entries[0]?.data ?? [])]).toEqual([1, 2, 3]);
    expect(entries[1]?.data.length).toBe(700);
  });

  it('throws RangeError on a truncated archive and on a bad header checksum', () => {
    const tar = makeTar([{ path: 'x', data: new Uint8Array(2000) }]);
    expect(() => [...readTarEntries(tar.subarray(0, 1024))]).toThrow(RangeError);
    const bad = new Uint8Array(tar);
    bad[0] = 0x41;
    expect(() => [...readTarEntries(bad)]).toThrow(/checksum/);
  });

  it('only ever throws RangeError on random bytes (fuzz)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 3000 }), (bytes) => {
        try {
          for (const e of readTarEntries(bytes))
            expect(e.data.length).toBeLessThanOrEqual(bytes.length);
        } catch (err) {
          expect(err).toBeInstanceOf(RangeError);
        }
      }),
      { numRuns: 300 },
    );
  });
});
