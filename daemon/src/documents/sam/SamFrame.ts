import { SamError } from './SamError.js';

/** The 5-byte preamble of every SAM frame, both directions: `AA AA AA 96 69`. */
export const SAM_PREAMBLE: Uint8Array = Uint8Array.of(0xaa, 0xaa, 0xaa, 0x96, 0x69);

/**
 * Largest LEN kycd accepts. The biggest real response is text + photo + fingerprint
 * (3 + 6 + 256 + 1024 + 1024 + 1 = 2314 = 0x090A); anything larger is a corrupt length.
 */
export const SAM_MAX_FRAME_LENGTH = 0x0a00;

/** Smallest LEN of any frame: a command's CMD PARA CHK. */
export const SAM_MIN_FRAME_LENGTH = 3;

/**
 * One frame as it travelled: `AA AA AA 96 69 | LEN(2, BE) | body | CHK`, where LEN counts body + CHK
 * and CHK is the XOR of the LEN bytes and the body.
 */
export interface SamRawFrame {
  /** The body between LEN and CHK: CMD PARA DATA (host→SAM) or SW1 SW2 SW3 DATA (SAM→host). */
  readonly body: Uint8Array;
  /** The whole frame, preamble to checksum. */
  readonly bytes: Uint8Array;
}

/** A host→SAM command. */
export interface SamCommand {
  readonly cmd: number;
  readonly para: number;
  readonly data: Uint8Array;
}

/** A SAM→host response. `sw1` and `sw2` are 00 00 on every known SAM; `sw3` is the status. */
export interface SamResponse {
  readonly sw1: number;
  readonly sw2: number;
  readonly sw3: number;
  readonly data: Uint8Array;
}

/** XOR of `bytes` — the SAM frame checksum over LEN and body. */
export function samChecksum(bytes: Uint8Array): number {
  let chk = 0;
  for (const b of bytes) chk ^= b;
  return chk;
}

/**
 * Wraps a body into a full frame (preamble, LEN, body, CHK).
 *
 * @throws RangeError when the body is too long for a SAM frame.
 */
export function encodeSamFrame(body: Uint8Array): Uint8Array {
  const len = body.length + 1;
  if (len > SAM_MAX_FRAME_LENGTH)
    throw new RangeError(`SAM frame body of ${body.length} bytes exceeds the maximum`);
  const out = new Uint8Array(SAM_PREAMBLE.length + 2 + len);
  out.set(SAM_PREAMBLE, 0);
  out[5] = len >> 8;
  out[6] = len & 0xff;
  out.set(body, 7);
  out[out.length - 1] = samChecksum(out.subarray(5, out.length - 1));
  return out;
}

/**
 * Encodes a host→SAM command frame.
 *
 * @example
 * ```ts
 * encodeSamCommand(0x20, 0x01) // AA AA AA 96 69 00 03 20 01 22 — find card (寻卡)
 * ```
 */
export function encodeSamCommand(
  cmd: number,
  para: number,
  data: Uint8Array = new Uint8Array(0),
): Uint8Array {
  if (!isByte(cmd) || !isByte(para)) throw new RangeError('SAM CMD and PARA must be bytes');
  const body = new Uint8Array(2 + data.length);
  body[0] = cmd;
  body[1] = para;
  body.set(data, 2);
  return encodeSamFrame(body);
}

/** Encodes a SAM→host response frame (used by tests and scripted transports). */
export function encodeSamResponse(sw3: number, data: Uint8Array = new Uint8Array(0)): Uint8Array {
  if (!isByte(sw3)) throw new RangeError('SW3 must be a byte');
  const body = new Uint8Array(3 + data.length);
  body[2] = sw3;
  body.set(data, 3);
  return encodeSamFrame(body);
}

/** Reads a response frame's body as SW1 SW2 SW3 DATA. */
export function parseSamResponse(frame: SamRawFrame): SamResponse {
  const { body } = frame;
  if (body.length < 3) {
    throw new SamError(
      'document_sam_frame_length',
      `SAM response frame has LEN ${body.length + 1}, below the 4 bytes SW1 SW2 SW3 CHK need`,
      {
        step: 'frame',
        data: { length: body.length + 1 },
      },
    );
  }
  return { sw1: body[0]!, sw2: body[1]!, sw3: body[2]!, data: body.subarray(3) };
}

/** Reads a command frame's body as CMD PARA DATA. */
export function parseSamCommand(frame: SamRawFrame): SamCommand {
  const { body } = frame;
  return { cmd: body[0] ?? 0, para: body[1] ?? 0, data: body.subarray(2) };
}

function isByte(v: number): boolean {
  return Number.isInteger(v) && v >= 0 && v <= 0xff;
}
