/**
 * An ISO/IEC 7816-4 command APDU as the card parses it from the reader. `le` is the number of
 * bytes expected (short Le 00 means 256, extended 0000 means 65536), undefined when absent.
 */
export interface CommandApdu {
  readonly cla: number;
  readonly ins: number;
  readonly p1: number;
  readonly p2: number;
  readonly data: Uint8Array;
  readonly le: number | undefined;
  /** True when the APDU used extended length fields. */
  readonly extended: boolean;
}

/** Thrown for a command APDU whose length fields do not match its size (the card answers 6700). */
export class ApduFormatError extends Error {
  override readonly name = 'ApduFormatError';
}

/**
 * Parses the four ISO 7816-4 cases, short and extended, from untrusted bytes; throws
 * {@link ApduFormatError} on any inconsistency.
 */
export function parseCommandApdu(bytes: Uint8Array): CommandApdu {
  if (bytes.length < 4)
    throw new ApduFormatError(`APDU of ${bytes.length} bytes is shorter than its header`);
  const [cla, ins, p1, p2] = [bytes[0] ?? 0, bytes[1] ?? 0, bytes[2] ?? 0, bytes[3] ?? 0];
  const body = bytes.subarray(4);
  const base = { cla, ins, p1, p2 };
  if (body.length === 0)
    return { ...base, data: new Uint8Array(0), le: undefined, extended: false };
  if (body.length === 1)
    return {
      ...base,
      data: new Uint8Array(0),
      le: body[0] === 0 ? 256 : (body[0] ?? 0),
      extended: false,
    };
  const b1 = body[0] ?? 0;
  if (b1 !== 0) {
    // short case 3 or 4
    const lc = b1;
    if (body.length === 1 + lc)
      return { ...base, data: body.subarray(1, 1 + lc), le: undefined, extended: false };
    if (body.length === 2 + lc) {
      const le = body[1 + lc] ?? 0;
      return { ...base, data: body.subarray(1, 1 + lc), le: le === 0 ? 256 : le, extended: false };
    }
    throw new ApduFormatError(`Lc ${lc} does not match a body of ${body.length} bytes`);
  }
  // extended: body starts with 00
  if (body.length === 3) {
    const le = ((body[1] ?? 0) << 8) | (body[2] ?? 0);
    return { ...base, data: new Uint8Array(0), le: le === 0 ? 65536 : le, extended: true };
  }
  if (body.length < 3) throw new ApduFormatError('truncated extended length');
  const lc = ((body[1] ?? 0) << 8) | (body[2] ?? 0);
  if (lc === 0) throw new ApduFormatError('extended Lc of zero');
  if (body.length === 3 + lc)
    return { ...base, data: body.subarray(3, 3 + lc), le: undefined, extended: true };
  if (body.length === 5 + lc) {
    const le = ((body[3 + lc] ?? 0) << 8) | (body[4 + lc] ?? 0);
    return { ...base, data: body.subarray(3, 3 + lc), le: le === 0 ? 65536 : le, extended: true };
  }
  throw new ApduFormatError(`extended Lc ${lc} does not match a body of ${body.length} bytes`);
}
