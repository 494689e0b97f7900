import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkGb11643, gb11643CheckChar } from './Gb11643.js';

describe('GB 11643-1999 check character (DOCUMENTS.md 4.5)', () => {
  it.each([
    ['11010519491231002', 'X'],
    ['44052418800101001', '4'],
    ['11010119900307803', 'X'],
  ])('%s → %s', (first17, check) => {
    expect(gb11643CheckChar(first17)).toBe(check);
  });

  it('accepts the standard example and rejects a wrong check character', () => {
    expect(checkGb11643('11010519491231002X')).toEqual({ valid: true });
    expect(checkGb11643('110105194912310021')).toEqual({
      valid: false,
      reason: 'check_char',
      expected: 'X',
    });
    expect(checkGb11643('11010519491231002x')).toEqual({ valid: false, reason: 'format' });
    expect(checkGb11643('1101051949123100')).toEqual({ valid: false, reason: 'format' });
  });

  it('refuses input that is not 17 digits', () => {
    expect(() => gb11643CheckChar('1234')).toThrow(TypeError);
  });

  it('fuzz: exactly one check character validates any 17 digits; random strings never throw', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\d{17}$/u), (first17) => {
        const valid = [...'0123456789X'].filter((c) => checkGb11643(first17 + c).valid);
        expect(valid).toEqual([gb11643CheckChar(first17)]);
      }),
    );
    fc.assert(fc.property(fc.string(), (s) => void checkGb11643(s)));
  });
});
