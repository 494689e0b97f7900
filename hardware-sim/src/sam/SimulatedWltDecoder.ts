import { createHash } from 'node:crypto';

/**
 * The simulator's stand-in for a licensed WLT decoder.
 *
 * Real cards carry a 1024-byte WLT photo that only the reader vendor's licensed library decodes; no
 * open decoder exists and kycd does not write one. The virtual card therefore carries a
 * WLT-*shaped* blob — the real header `57 4C 66 00 7E 00` ("WL", 102×126), then the marker
 * `KYCDSIM1` and the SHA-256 of a JPEG, then deterministic filler — and this decoder, playing the
 * vendor library, returns the JPEG that blob identifies. It is a simulation of the decoder's
 * interface, not of WLT: a real WLT blob makes it fail with `document_photo_decoder_failed`,
 * exactly like a vendor library that is not licensed for the reader.
 *
 * Structurally it is a daemon `WltDecoder`.
 */
export class SimulatedWltDecoder {
  readonly name = 'simulator';
  private readonly photos = new Map<string, Uint8Array>();

  /** Registers a JPEG and returns the 1024-byte WLT-shaped blob the virtual card will carry. */
  register(jpeg: Uint8Array): Uint8Array {
    const digest = sha256(jpeg);
    this.photos.set(Buffer.from(digest).toString('hex'), jpeg.slice());
    return simulatedWltBlob(digest);
  }

  /** Returns the JPEG the blob identifies. */
  async decode(
    wlt: Uint8Array,
    context: { readonly signal?: AbortSignal } = {},
  ): Promise<{ format: 'jpeg'; bytes: Uint8Array }> {
    if (context.signal?.aborted === true)
      throw new SimWltDecoderError('document_aborted', 'simulated WLT decoding was cancelled');
    if (wlt.length !== WLT_BYTES)
      throw new SimWltDecoderError(
        'document_photo_decoder_failed',
        `WLT photo is ${wlt.length} bytes, expected ${WLT_BYTES}`,
      );
    const marker = Buffer.from(wlt.subarray(6, 6 + MARKER.length)).toString('latin1');
    if (marker !== MARKER) {
      throw new SimWltDecoderError(
        'document_photo_decoder_failed',
        'not a simulator WLT blob: the simulated decoder cannot decode real WLT (that needs the vendor licence)',
      );
    }
    const jpeg = this.photos.get(Buffer.from(wlt.subarray(14, 46)).toString('hex'));
    if (jpeg === undefined)
      throw new SimWltDecoderError(
        'document_photo_decoder_failed',
        'simulator WLT blob names a photo this decoder does not know',
      );
    return { format: 'jpeg', bytes: jpeg.slice() };
  }
}

/** A failure of the simulated decoder; `code` is a registered kycd error code. */
export class SimWltDecoderError extends Error {
  override readonly name = 'SimWltDecoderError';
  constructor(
    readonly code: 'document_photo_decoder_failed' | 'document_aborted',
    message: string,
  ) {
    super(message);
  }
}

const WLT_BYTES = 1024;
const MARKER = 'KYCDSIM1';

/** The WLT-shaped blob for a photo digest (see {@link SimulatedWltDecoder}). */
export function simulatedWltBlob(digest: Uint8Array): Uint8Array {
  const blob = new Uint8Array(WLT_BYTES);
  blob.set([0x57, 0x4c, 0x66, 0x00, 0x7e, 0x00], 0);
  blob.set(Buffer.from(MARKER, 'latin1'), 6);
  blob.set(digest, 14);
  let block = digest;
  for (let off = 46; off < WLT_BYTES; off += 32) {
    block = sha256(block);
    blob.set(block.subarray(0, Math.min(32, WLT_BYTES - off)), off);
  }
  return blob;
}

function sha256(bytes: Uint8Array): Uint8Array {
  return new Uint8Array(createHash('sha256').update(bytes).digest());
}

/** A 102×126 placeholder portrait (a skin-coloured oval; 626-byte JPEG) for cards inserted without a photo. */
export const SIM_DEFAULT_PORTRAIT_JPEG: Uint8Array = Uint8Array.from(
  Buffer.from(
    '/9j/2wBDAA0JCgsKCA0LCgsODg0PEyAVExISEyccHhcgLikxMC4pLSwzOko+MzZGNywtQFdBRkxOUlNSMj5aYVpQYEpRUk//2wBDAQ4ODhMREyYVFSZPNS01T09PT09PT09PT09PT09PT09PT09PT09PT09PT09PT09PT09PT09PT09PT09PT09PT0//wAARCAB+AGYDASIAAhEBAxEB/8QAGQABAQEBAQEAAAAAAAAAAAAAAAMCAQQG/8QAJRABAAIBAwIGAwAAAAAAAAAAAAECEQMhMRIyE0FCUWFxYoGh/8QAGQEBAQEBAQEAAAAAAAAAAAAAAAQCAwEF/8QAHhEBAAICAgMBAAAAAAAAAAAAAAECAxESITEyQUL/2gAMAwEAAhEDEQA/APrwG2QAAAAAAAAAAAAAAABmdSseefpPUv1bRww4Xzd6qoph+2W8WvtLtb1nzQGIzWanDV6RLTvja3Cqil4tG4T2rNZ1IA0yAAAAJ6tvTH7UnaMvPM5nMuOa2o07Ya7nbgCVUAALaVsxieYRapPTaJbx242YyV5VXAWogAAAGdTakoL6nZKCbP7KsPqAODsAAAA9Nd6xPwOV7Y+nX0I8IJ8gA8AAZ1OyUHpmMxMPNO04TZ47iVOCepgAcHcAAB2sZtEPYjbyZ0vXtj6dBfHSGQAeAACWrXE9XuqTETGJZvXlGm6W4zt5hq9JrPwyimJidSsiYmNwAPHorpV26mdOnVvPCyjFT9S4Zb/mABQmAAAAAAJjPLE6UTxOGx5asW8tRaa+E/C/L+O106xzu2MxjrHxqclp+gDbmAAAAAAAAAAAAAAAAAA//9k=',
    'base64',
  ),
);
