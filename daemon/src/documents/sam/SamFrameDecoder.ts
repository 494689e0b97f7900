import { SamError } from './SamError.js';
import {
  SAM_MAX_FRAME_LENGTH,
  SAM_MIN_FRAME_LENGTH,
  SAM_PREAMBLE,
  samChecksum,
  type SamRawFrame,
} from './SamFrame.js';

/** What {@link SamFrameDecoder.push} yields, in arrival order. */
export type SamDecodeEvent =
  | { readonly kind: 'frame'; readonly frame: SamRawFrame }
  | { readonly kind: 'error'; readonly error: SamError };

/** Options of {@link SamFrameDecoder}. */
export interface SamFrameDecoderOptions {
  /** Largest LEN accepted; larger ones are reported as `document_sam_frame_length` (default {@link SAM_MAX_FRAME_LENGTH}). */
  readonly maxLength?: number;
  /** Smallest LEN accepted (default 3; use 4 for responses). */
  readonly minLength?: number;
}

const HEADER = SAM_PREAMBLE.length + 2;

/**
 * Streaming SAM frame decoder. Bytes arrive in arbitrary chunks from a hostile device; the decoder
 * hunts for the preamble `AA AA AA 96 69`, skips garbage before it, checks LEN against bounds and
 * the XOR checksum, and yields complete frames or typed errors (`document_sam_frame_length`,
 * `document_sam_frame_checksum`). After an error it resynchronises one byte past the failed
 * preamble, so a frame that follows a corrupt one is still found. It never throws on input.
 *
 * @example
 * ```ts
 * const decoder = new SamFrameDecoder();
 * for (const ev of decoder.push(chunk)) if (ev.kind === 'frame') handle(parseSamResponse(ev.frame));
 * ```
 */
export class SamFrameDecoder {
  private buffer: Uint8Array = new Uint8Array(0);
  private readonly maxLength: number;
  private readonly minLength: number;
  private discarded = 0;

  constructor(options: SamFrameDecoderOptions = {}) {
    this.maxLength = options.maxLength ?? SAM_MAX_FRAME_LENGTH;
    this.minLength = options.minLength ?? SAM_MIN_FRAME_LENGTH;
    if (!Number.isInteger(this.maxLength) || this.maxLength < 1 || this.maxLength > 0xffff)
      throw new RangeError('maxLength must be 1..65535');
    if (!Number.isInteger(this.minLength) || this.minLength < 1 || this.minLength > this.maxLength)
      throw new RangeError('minLength must be 1..maxLength');
  }

  /** Bytes skipped as garbage (outside any frame) since construction. */
  get discardedBytes(): number {
    return this.discarded;
  }

  /** Bytes held waiting for the rest of a frame. */
  get bufferedBytes(): number {
    return this.buffer.length;
  }

  /** Drops any partial frame (e.g. after a timeout, so a late reply cannot answer the next command). */
  reset(): void {
    this.discarded += this.buffer.length;
    this.buffer = new Uint8Array(0);
  }

  /** Feeds a chunk; returns the frames and errors it completes, in order. */
  push(chunk: Uint8Array): SamDecodeEvent[] {
    if (chunk.length > 0) {
      const merged = new Uint8Array(this.buffer.length + chunk.length);
      merged.set(this.buffer, 0);
      merged.set(chunk, this.buffer.length);
      this.buffer = merged;
    }
    const events: SamDecodeEvent[] = [];
    let pos = 0;
    const buf = this.buffer;
    for (;;) {
      const start = findPreamble(buf, pos);
      if (start < 0) {
        // Keep a tail that may be the beginning of a preamble split across chunks.
        const keep = partialPreambleTail(buf, pos);
        this.discarded += buf.length - pos - keep;
        pos = buf.length - keep;
        break;
      }
      this.discarded += start - pos;
      pos = start;
      if (buf.length - pos < HEADER) break;
      const len = (buf[pos + 5]! << 8) | buf[pos + 6]!;
      if (len < this.minLength || len > this.maxLength) {
        events.push({
          kind: 'error',
          error: new SamError(
            'document_sam_frame_length',
            `SAM frame LEN ${len} is outside ${this.minLength}..${this.maxLength}`,
            {
              step: 'frame',
              data: { length: len },
            },
          ),
        });
        this.discarded += 1;
        pos += 1;
        continue;
      }
      if (buf.length - pos < HEADER + len) break;
      const end = pos + HEADER + len;
      const expected = samChecksum(buf.subarray(pos + 5, end - 1));
      const actual = buf[end - 1]!;
      if (expected !== actual) {
        events.push({
          kind: 'error',
          error: new SamError(
            'document_sam_frame_checksum',
            `SAM frame checksum is ${hex(actual)}, the XOR of its bytes is ${hex(expected)}`,
            { step: 'frame', data: { length: len, expected: hex(expected), actual: hex(actual) } },
          ),
        });
        this.discarded += 1;
        pos += 1;
        continue;
      }
      const bytes = buf.slice(pos, end);
      events.push({
        kind: 'frame',
        frame: { bytes, body: bytes.subarray(HEADER, bytes.length - 1) },
      });
      pos = end;
    }
    this.buffer = buf.slice(pos);
    return events;
  }
}

function findPreamble(buf: Uint8Array, from: number): number {
  const last = buf.length - SAM_PREAMBLE.length;
  outer: for (let i = from; i <= last; i++) {
    for (let j = 0; j < SAM_PREAMBLE.length; j++)
      if (buf[i + j] !== SAM_PREAMBLE[j]) continue outer;
    return i;
  }
  return -1;
}

/** Length of the longest suffix of buf[from..] that is a proper prefix of the preamble. */
function partialPreambleTail(buf: Uint8Array, from: number): number {
  const max = Math.min(SAM_PREAMBLE.length - 1, buf.length - from);
  for (let k = max; k > 0; k--) {
    let ok = true;
    for (let j = 0; j < k; j++) {
      if (buf[buf.length - k + j] !== SAM_PREAMBLE[j]) {
        ok = false;
        break;
      }
    }
    if (ok) return k;
  }
  return 0;
}

function hex(b: number): string {
  return b.toString(16).toUpperCase().padStart(2, '0');
}
