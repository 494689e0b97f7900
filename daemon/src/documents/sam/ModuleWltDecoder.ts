import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { KycdError } from '@kycd/plugin-sdk';
import {
  wltImageFormat,
  type WltDecodeContext,
  type WltDecodedImage,
  type WltDecoder,
} from './WltDecoder.js';

/** What `documents.sam.wltDecoder.moduleOptions` may hold. */
export type WltDecoderModuleOptions = Readonly<Record<string, string | number | boolean>>;

const CONFIG_KEY = 'documents.sam.wltDecoder.modulePath';

function isDecoder(value: unknown): value is WltDecoder {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { name?: unknown }).name === 'string' &&
    typeof (value as { decode?: unknown }).decode === 'function'
  );
}

/**
 * A vendor's {@link WltDecoder} loaded from a module, held to the interface: whatever the
 * vendor code throws becomes `document_photo_decoder_failed` (a `KycdError` it threw keeps its
 * code), and an answer that is not a JPEG/BMP image is rejected the same way.
 */
export class ModuleWltDecoder implements WltDecoder {
  readonly name: string;
  private readonly inner: WltDecoder;

  constructor(inner: WltDecoder, modulePath: string) {
    this.inner = inner;
    this.name = `module:${modulePath}${inner.name === '' ? '' : ` (${inner.name})`}`;
  }

  async decode(wlt: Uint8Array, context: WltDecodeContext): Promise<WltDecodedImage> {
    let image: unknown;
    try {
      image = await this.inner.decode(wlt, context);
    } catch (err) {
      if (err instanceof KycdError) throw err;
      throw new KycdError(
        'document_photo_decoder_failed',
        `the WLT decoder module failed: ${err instanceof Error ? err.message : String(err)}`,
        { cause: err },
      );
    }
    const { bytes } = (image ?? {}) as { bytes?: unknown };
    // The image's own bytes say what it is; the module's `format` word is not trusted.
    const format = bytes instanceof Uint8Array ? wltImageFormat(bytes) : undefined;
    if (format === undefined)
      throw new KycdError(
        'document_photo_decoder_failed',
        'the WLT decoder module did not answer { bytes: Uint8Array } holding a JPEG or BMP image',
      );
    return { format, bytes: bytes as Uint8Array };
  }
}

/**
 * Import the vendor decoder module at `modulePath` (absolute, or relative to the working
 * directory). Its default export, or its `createWltDecoder` export, is a {@link WltDecoder} or
 * a (possibly async) function of `options` returning one. A module that cannot be loaded or
 * exports no decoder rejects with a `TypeError` naming the config key.
 *
 * @example
 * ```js
 * // /opt/vendor/kycd-wlt.mjs
 * export default function createWltDecoder({ licenceFile }) {
 *   const lib = loadVendorLibrary(licenceFile);
 *   return { name: 'vendor-wlt', decode: async (wlt) => ({ format: 'bmp', bytes: lib.decode(wlt) }) };
 * }
 * ```
 */
export async function loadWltDecoderModule(
  modulePath: string,
  options: WltDecoderModuleOptions = {},
): Promise<WltDecoder> {
  if (modulePath.length === 0) throw new TypeError(`${CONFIG_KEY} is empty`);
  const url = pathToFileURL(resolve(modulePath)).href;
  let mod: Record<string, unknown>;
  try {
    mod = (await import(url)) as Record<string, unknown>;
  } catch (err) {
    throw new TypeError(
      `${CONFIG_KEY}: cannot load ${modulePath}: ${err instanceof Error ? err.message : String(err)}`,
      { cause: err },
    );
  }
  const exported = mod.default ?? mod.createWltDecoder;
  const decoder =
    typeof exported === 'function'
      ? await (exported as (o: WltDecoderModuleOptions) => unknown)(options)
      : exported;
  if (!isDecoder(decoder))
    throw new TypeError(
      `${CONFIG_KEY}: ${modulePath} exports no WltDecoder (default export or createWltDecoder: { name, decode } or a function returning one)`,
    );
  return new ModuleWltDecoder(decoder, modulePath);
}
