import { describe, expect, it } from 'vitest';
import { KycdError } from '@kycd/plugin-sdk';
import { mrzToCredentials } from './createDispatcher.js';

/** ICAO 9303 specimens (Part 4 TD3, Part 5 TD1; the TD1 long document number of 9303-11 App. D.2). */
const TD3 =
  'P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10';
const TD1_LONG =
  'I<UTOD23145890<7349<<<<<<<<<<<\n3407127M9507122UTO<<<<<<<<<<<2\nSTEVENSON<<PETER<JOHN<<<<<<<<<';

function invalidField(mrz: string): unknown {
  try {
    mrzToCredentials(mrz);
  } catch (err) {
    expect(err).toBeInstanceOf(KycdError);
    expect((err as KycdError).code).toBe('invalid_params');
    return (err as KycdError).data?.field;
  }
  throw new Error('expected invalid_params');
}

describe('session.provideMrz: mrzToCredentials', () => {
  it('takes the key fields from a TD3 specimen, with or without line breaks', () => {
    const want = {
      kind: 'mrz',
      documentNumber: 'L898902C3',
      dateOfBirth: '740812',
      dateOfExpiry: '120415',
    };
    expect(mrzToCredentials(TD3)).toEqual(want);
    expect(mrzToCredentials(TD3.replace('\n', ''))).toEqual(want);
    expect(mrzToCredentials(`  ${TD3.replace('\n', '\r\n')}\n`)).toEqual(want);
  });

  it('reassembles a TD1 long document number (D23145890<734… → D23145890734)', () => {
    expect(mrzToCredentials(TD1_LONG)).toEqual({
      kind: 'mrz',
      documentNumber: 'D23145890734',
      dateOfBirth: '340712',
      dateOfExpiry: '950712',
    });
  });

  it('verifies the check digits and names the bad field', () => {
    expect(invalidField(TD3.replace('L898902C36', 'L898902C37'))).toBe('documentNumber');
    expect(invalidField(TD3.replace('7408122F', '7408132F'))).toBe('birthDate');
    expect(invalidField(TD3.replace('1204159ZE', '1204169ZE'))).toBe('expiryDate');
    expect(invalidField(TD1_LONG.replace('<7349<', '<7359<'))).toBe('documentNumber');
  });

  it('rejects text that is not an MRZ as invalid_params on field mrz', () => {
    expect(invalidField('P<UTOERIKSSON')).toBe('mrz');
    expect(invalidField(TD3.toLowerCase())).toBe('mrz');
    expect(invalidField('')).toBe('mrz');
  });
});
