/** What kycd reads from an ATR. */
export interface AtrInfo {
  /** The historical bytes. */
  readonly historicalBytes: Uint8Array;
  /** True when the card capabilities (compact-TLV tag 7) declare extended Lc/Le. */
  readonly extendedLength: boolean;
}

/**
 * Parse an ISO/IEC 7816-3 ATR far enough to find the historical bytes and the card
 * capabilities' extended-length bit (ISO/IEC 7816-4 §12.1.1.9, third software function byte,
 * bit b7). Hostile input never throws: a malformed ATR yields no extended length.
 */
export function parseAtr(atr: Uint8Array): AtrInfo {
  const none: AtrInfo = { historicalBytes: new Uint8Array(0), extendedLength: false };
  if (atr.length < 2 || (atr[0] !== 0x3b && atr[0] !== 0x3f)) return none;
  const t0 = atr[1] as number;
  const k = t0 & 0x0f;
  let i = 2;
  let y = t0 >> 4;
  for (;;) {
    const hasTa = (y & 1) !== 0;
    const hasTb = (y & 2) !== 0;
    const hasTc = (y & 4) !== 0;
    const hasTd = (y & 8) !== 0;
    i += (hasTa ? 1 : 0) + (hasTb ? 1 : 0) + (hasTc ? 1 : 0);
    if (!hasTd) break;
    const td = atr[i];
    if (td === undefined) return none;
    i += 1;
    y = td >> 4;
  }
  if (i + k > atr.length) return none;
  const historicalBytes = atr.slice(i, i + k);
  let extendedLength = false;
  if (historicalBytes[0] === 0x80) {
    // compact-TLV objects: tag (high nibble) and length (low nibble)
    let j = 1;
    while (j < historicalBytes.length) {
      const tl = historicalBytes[j] as number;
      const tag = tl >> 4;
      const len = tl & 0x0f;
      if (j + 1 + len > historicalBytes.length) break;
      if (tag === 0x7 && len >= 3)
        extendedLength = ((historicalBytes[j + 3] as number) & 0x40) !== 0;
      j += 1 + len;
    }
  }
  return { historicalBytes, extendedLength };
}
