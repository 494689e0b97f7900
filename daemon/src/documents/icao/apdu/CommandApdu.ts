/**
 * An ISO/IEC 7816-4 command APDU. `ne` is the number of response bytes expected: `undefined`
 * (no Le field), 1..256 (short; 256 encodes as `00`) or up to 65536 (extended; 65536 encodes as
 * `0000`). The encoding is short unless the data or `ne` need extended length.
 */
export class CommandApdu {
  readonly cla: number;
  readonly ins: number;
  readonly p1: number;
  readonly p2: number;
  readonly data: Uint8Array;
  readonly ne: number | undefined;

  constructor(fields: {
    cla: number;
    ins: number;
    p1: number;
    p2: number;
    data?: Uint8Array;
    ne?: number;
  }) {
    for (const key of ['cla', 'ins', 'p1', 'p2'] as const) {
      const v = fields[key];
      if (!Number.isInteger(v) || v < 0 || v > 0xff)
        throw new RangeError(`CommandApdu.${key} must be a byte, got ${v}`);
    }
    const data = fields.data ?? new Uint8Array(0);
    if (data.length > 65535) throw new RangeError(`CommandApdu data too long: ${data.length}`);
    if (
      fields.ne !== undefined &&
      (!Number.isInteger(fields.ne) || fields.ne < 1 || fields.ne > 65536)
    ) {
      throw new RangeError(`CommandApdu.ne must be 1..65536, got ${fields.ne}`);
    }
    this.cla = fields.cla;
    this.ins = fields.ins;
    this.p1 = fields.p1;
    this.p2 = fields.p2;
    this.data = data;
    this.ne = fields.ne;
  }

  /** True when the encoding needs extended-length fields. */
  get isExtended(): boolean {
    return this.data.length > 255 || (this.ne !== undefined && this.ne > 256);
  }

  /** The 4-byte header. */
  header(): Uint8Array {
    return Uint8Array.of(this.cla, this.ins, this.p1, this.p2);
  }

  /** The wire encoding (cases 1, 2, 3, 4; short or extended). */
  encode(): Uint8Array {
    const parts: number[] = [this.cla, this.ins, this.p1, this.p2];
    const nc = this.data.length;
    if (!this.isExtended) {
      if (nc > 0) parts.push(nc, ...this.data);
      if (this.ne !== undefined) parts.push(this.ne === 256 ? 0 : this.ne);
      return Uint8Array.from(parts);
    }
    if (nc > 0) {
      parts.push(0, (nc >> 8) & 0xff, nc & 0xff, ...this.data);
      if (this.ne !== undefined)
        parts.push(this.ne === 65536 ? 0 : (this.ne >> 8) & 0xff, this.ne & 0xff);
    } else if (this.ne !== undefined) {
      const le = this.ne === 65536 ? 0 : this.ne;
      parts.push(0, (le >> 8) & 0xff, le & 0xff);
    }
    return Uint8Array.from(parts);
  }

  /** A copy with some fields replaced. */
  with(
    fields: Partial<{
      cla: number;
      ins: number;
      p1: number;
      p2: number;
      data: Uint8Array;
      ne: number | undefined;
    }>,
  ): CommandApdu {
    const ne = 'ne' in fields ? fields.ne : this.ne;
    return new CommandApdu({
      cla: fields.cla ?? this.cla,
      ins: fields.ins ?? this.ins,
      p1: fields.p1 ?? this.p1,
      p2: fields.p2 ?? this.p2,
      data: fields.data ?? this.data,
      ...(ne === undefined ? {} : { ne }),
    });
  }
}
