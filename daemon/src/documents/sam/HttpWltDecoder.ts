import { KycdError } from '@kycd/plugin-sdk';
import { SamError } from './SamError.js';
import {
  wltImageFormat,
  type WltDecodeContext,
  type WltDecodedImage,
  type WltDecoder,
} from './WltDecoder.js';

/** Options of {@link HttpWltDecoder}. */
export interface HttpWltDecoderOptions {
  /** The vendor service's decode endpoint, e.g. `http://127.0.0.1:19196/decodeWlt`. */
  readonly url: string;
  /** Request timeout (default 3000 ms). */
  readonly timeoutMs?: number;
  /** Extra request headers, e.g. a site key the vendor service expects. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Largest accepted response body (default 2 MiB). */
  readonly maxResponseBytes?: number;
}

/**
 * A {@link WltDecoder} that asks a vendor decoding service over HTTP, for sites that run one (the
 * vendor's licensed library behind a local service). Request: `POST url` with JSON
 * `{"wlt": "<base64 of the 1024 bytes>", "samId": "..."}`. Response: JSON whose `image`,
 * `photo` or `identityPic` member is a base64 JPEG or BMP (the format is taken from the
 * bytes' magic number, never from the service's word). Any failure rejects with
 * `document_photo_decoder_failed`, a cancel with `document_aborted`.
 */
export class HttpWltDecoder implements WltDecoder {
  /** Defaults of the optional settings. */
  static readonly DEFAULTS = { timeoutMs: 3000, maxResponseBytes: 2 * 1024 * 1024 } as const;

  readonly name: string;
  private readonly url: URL;
  private readonly timeoutMs: number;
  private readonly headers: Readonly<Record<string, string>>;
  private readonly maxResponseBytes: number;

  constructor(options: HttpWltDecoderOptions) {
    this.url = new URL(options.url);
    if (this.url.protocol !== 'http:' && this.url.protocol !== 'https:')
      throw new TypeError('WLT decoder service URL must be http(s)');
    this.timeoutMs = options.timeoutMs ?? HttpWltDecoder.DEFAULTS.timeoutMs;
    this.maxResponseBytes = options.maxResponseBytes ?? HttpWltDecoder.DEFAULTS.maxResponseBytes;
    if (!(this.timeoutMs > 0) || !(this.maxResponseBytes > 0))
      throw new RangeError('timeoutMs and maxResponseBytes must be positive');
    this.headers = options.headers ?? {};
    this.name = `http:${this.url.host}`;
  }

  async decode(wlt: Uint8Array, context: WltDecodeContext = {}): Promise<WltDecodedImage> {
    const timeout = AbortSignal.timeout(this.timeoutMs);
    const signal =
      context.signal === undefined ? timeout : AbortSignal.any([context.signal, timeout]);
    const fail = (why: string, cause?: unknown): SamError =>
      new SamError(
        'document_photo_decoder_failed',
        `WLT decoder service ${this.url.host}: ${why}`,
        { step: 'decodePhoto', cause },
      );
    let text: string;
    try {
      const res = await fetch(this.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json',
          ...this.headers,
        },
        body: JSON.stringify(
          context.samId === undefined
            ? { wlt: Buffer.from(wlt).toString('base64') }
            : { wlt: Buffer.from(wlt).toString('base64'), samId: context.samId },
        ),
        signal,
        redirect: 'error',
      });
      if (!res.ok) {
        await res.body?.cancel();
        throw fail(`HTTP status ${res.status}`);
      }
      text = await readLimited(res, this.maxResponseBytes, () =>
        fail(`response exceeds ${this.maxResponseBytes} bytes`),
      );
    } catch (err) {
      if (context.signal?.aborted === true) {
        throw new KycdError('document_aborted', 'WLT decoding was cancelled', {
          data: { protocol: 'SAM', step: 'decodePhoto' },
          cause: err,
        });
      }
      if (err instanceof SamError) throw err;
      if (timeout.aborted) throw fail(`no answer within ${this.timeoutMs} ms`, err);
      throw fail('request failed', err);
    }
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch (err) {
      throw fail('response is not JSON', err);
    }
    const b64 = pickImage(body);
    if (b64 === undefined) throw fail('response has no image / photo / identityPic string');
    const stripped = b64.replace(/^data:image\/[a-z]+;base64,/u, '');
    if (!/^[A-Za-z0-9+/\r\n]*={0,2}$/u.test(stripped)) throw fail('image is not base64');
    const bytes = new Uint8Array(Buffer.from(stripped, 'base64'));
    const format = wltImageFormat(bytes);
    if (format === undefined) throw fail('image is neither JPEG nor BMP');
    return { format, bytes };
  }
}

function pickImage(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const record = body as Record<string, unknown>;
  for (const key of ['image', 'photo', 'identityPic']) {
    const value = record[key];
    if (typeof value === 'string' && value.length > 0) return value;
  }
  return undefined;
}

async function readLimited(res: Response, limit: number, tooBig: () => Error): Promise<string> {
  const declared = Number(res.headers.get('content-length') ?? NaN);
  if (Number.isFinite(declared) && declared > limit) {
    await res.body?.cancel();
    throw tooBig();
  }
  if (res.body === null) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.length;
    if (total > limit) {
      await reader.cancel();
      throw tooBig();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}
