/**
 * The simulator's own SAM frame codec (hardware-sim may not import the daemon; an independent
 * implementation also cross-checks the daemon's). `AA AA AA 96 69 | LEN(2, BE) | body | CHK`.
 */

/** The SAM frame preamble. */
export const SIM_SAM_PREAMBLE: readonly number[] = [0xaa, 0xaa, 0xaa, 0x96, 0x69];

/** A host→SAM command as the simulator sees it. */
export interface SimSamCommand {
  readonly cmd: number;
  readonly para: number;
  readonly data: Uint8Array;
}

/** XOR checksum over LEN and body. */
export function simSamChecksum(bytes: Uint8Array): number {
  let x = 0;
  for (const b of bytes) x ^= b;
  return x;
}

/** Encodes a SAM→host response: SW1 SW2 = 00 00, SW3 = status. */
export function encodeSimSamResponse(
  sw3: number,
  data: Uint8Array = new Uint8Array(0),
): Uint8Array {
  const len = 3 + data.length + 1;
  const out = new Uint8Array(7 + len);
  out.set(SIM_SAM_PREAMBLE, 0);
  out[5] = (len >> 8) & 0xff;
  out[6] = len & 0xff;
  out[9] = sw3;
  out.set(data, 10);
  out[out.length - 1] = simSamChecksum(out.subarray(5, out.length - 1));
  return out;
}

/**
 * Splits the host's byte stream into commands. Like a real SAM it drops bytes that are not a frame
 * and answers a frame with a bad checksum or length with status 10 / 11.
 */
export class SimSamCommandParser {
  private buf: number[] = [];

  /** Feeds bytes; returns complete commands and framing faults in order. */
  push(chunk: Uint8Array): Array<{ command: SimSamCommand } | { fault: 0x10 | 0x11 }> {
    for (const b of chunk) this.buf.push(b);
    const out: Array<{ command: SimSamCommand } | { fault: 0x10 | 0x11 }> = [];
    for (;;) {
      const start = this.findPreamble();
      if (start < 0) {
        this.buf = this.buf.slice(Math.max(0, this.buf.length - 4));
        return out;
      }
      this.buf = this.buf.slice(start);
      if (this.buf.length < 7) return out;
      const len = (this.buf[5]! << 8) | this.buf[6]!;
      if (len < 3 || len > 0x0400) {
        out.push({ fault: 0x11 });
        this.buf = this.buf.slice(1);
        continue;
      }
      if (this.buf.length < 7 + len) return out;
      const frame = Uint8Array.from(this.buf.slice(0, 7 + len));
      this.buf = this.buf.slice(7 + len);
      if (simSamChecksum(frame.subarray(5, frame.length - 1)) !== frame[frame.length - 1]) {
        out.push({ fault: 0x10 });
        continue;
      }
      out.push({
        command: { cmd: frame[7]!, para: frame[8]!, data: frame.slice(9, frame.length - 1) },
      });
    }
  }

  private findPreamble(): number {
    outer: for (let i = 0; i + SIM_SAM_PREAMBLE.length <= this.buf.length; i++) {
      for (let j = 0; j < SIM_SAM_PREAMBLE.length; j++)
        if (this.buf[i + j] !== SIM_SAM_PREAMBLE[j]) continue outer;
      return i;
    }
    return -1;
  }
}
