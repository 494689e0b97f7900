import { SerialSamTransport } from '../../drivers/serial/SerialSamTransport.js';
import { UsbSamTransport } from '../../drivers/usb/UsbSamTransport.js';
import { HttpWltDecoder } from './HttpWltDecoder.js';
import { loadWltDecoderModule } from './ModuleWltDecoder.js';
import type { SamConfig } from './SamConfig.js';
import { SamReader } from './SamReader.js';
import type { SamTransport } from './SamTransport.js';
import type { WltDecoder } from './WltDecoder.js';

/** A configured SAM reader: its transport, the protocol on it, and the photo decoder. */
export interface OpenedSamReader {
  readonly transport: SamTransport;
  readonly reader: SamReader;
  /** Undefined when `wltDecoder.kind` is `none`. */
  readonly wltDecoder: WltDecoder | undefined;
  /** Closes the transport. */
  close(): Promise<void>;
}

/**
 * Opens the reader `config` describes (serial path or USB ids) and builds its WLT decoder. A missing
 * device rejects with `document_reader_unavailable`; a config that names no device rejects with a
 * `TypeError`.
 *
 * @example
 * ```ts
 * const sam = await openSamReader(config.documents.sam);
 * const result = await readResidentId(sam.reader, { signal, wltDecoder: sam.wltDecoder });
 * ```
 */
export async function openSamReader(config: SamConfig): Promise<OpenedSamReader> {
  const wltDecoder = await loadWltDecoder(config);
  let transport: SamTransport;
  if (config.transport === 'serial') {
    if (config.serialPath.length === 0) throw new TypeError('documents.sam.serialPath is empty');
    transport = await SerialSamTransport.open(config.serialPath, { baudRate: config.baudRate });
  } else {
    if (config.usbVendorId === 0 && config.usbProductId === 0)
      throw new TypeError('documents.sam.usbVendorId / usbProductId are not set');
    transport = await UsbSamTransport.open({
      vendorId: config.usbVendorId,
      productId: config.usbProductId,
    });
  }
  const reader = new SamReader(transport, { timeouts: config.timeouts });
  return { transport, reader, wltDecoder, close: () => reader.close() };
}

/**
 * The WLT decoder `config.wltDecoder` describes, or undefined for `none`. Kind `module` needs
 * an import: use {@link loadWltDecoder}, which covers every kind.
 */
export function createWltDecoder(config: Pick<SamConfig, 'wltDecoder'>): WltDecoder | undefined {
  const { wltDecoder } = config;
  if (wltDecoder.kind === 'none') return undefined;
  if (wltDecoder.kind === 'module')
    throw new TypeError('documents.sam.wltDecoder.kind "module" is loaded with loadWltDecoder');
  if (wltDecoder.url.length === 0) throw new TypeError('documents.sam.wltDecoder.url is empty');
  return new HttpWltDecoder({ url: wltDecoder.url, timeoutMs: wltDecoder.timeoutMs });
}

/** The WLT decoder `config.wltDecoder` describes (`none`, `http` or a vendor `module`), or undefined for `none`. */
export async function loadWltDecoder(
  config: Pick<SamConfig, 'wltDecoder'>,
): Promise<WltDecoder | undefined> {
  const { wltDecoder } = config;
  if (wltDecoder.kind !== 'module') return createWltDecoder(config);
  return loadWltDecoderModule(wltDecoder.modulePath, wltDecoder.moduleOptions);
}
