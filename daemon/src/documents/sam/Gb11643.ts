/**
 * GB 11643-1999 citizen identity numbers: 6-digit region, 8-digit birth date, 3-digit sequence
 * (odd = male), and a check character computed with ISO 7064:1983 MOD 11-2.
 */

/** Weights of positions 1–17 (2^(18-i) mod 11). */
export const GB11643_WEIGHTS: readonly number[] = [
  7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2,
];

/** Check characters indexed by Σ(aᵢ·wᵢ) mod 11. */
export const GB11643_CHECK_CHARS = '10X98765432';

/**
 * The check character for the first 17 digits of an ID number.
 *
 * @example
 * ```ts
 * gb11643CheckChar('11010519491231002') // 'X'
 * ```
 * @throws TypeError when `first17` is not 17 decimal digits.
 */
export function gb11643CheckChar(first17: string): string {
  if (!/^\d{17}$/u.test(first17))
    throw new TypeError('GB 11643 check needs exactly 17 decimal digits');
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17.charCodeAt(i) - 48) * GB11643_WEIGHTS[i]!;
  return GB11643_CHECK_CHARS[sum % 11]!;
}

/** Result of {@link checkGb11643}. */
export type Gb11643Check =
  | { readonly valid: true }
  | { readonly valid: false; readonly reason: 'format' | 'check_char'; readonly expected?: string };

/**
 * Checks an 18-character ID number's shape (17 digits + digit or `X`) and its check character.
 * Lower-case `x` is refused: the card stores an upper-case X.
 */
export function checkGb11643(idNumber: string): Gb11643Check {
  if (!/^\d{17}[\dX]$/u.test(idNumber)) return { valid: false, reason: 'format' };
  const expected = gb11643CheckChar(idNumber.slice(0, 17));
  return expected === idNumber[17]
    ? { valid: true }
    : { valid: false, reason: 'check_char', expected };
}
