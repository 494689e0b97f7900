import { createHash } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import type { CliContext } from '../CliContext.js';
import type { SamTransport } from '../../documents/sam/SamTransport.js';
import type { WltDecoder } from '../../documents/sam/WltDecoder.js';

interface SamReadOptions {
  device?: string;
  baud?: string;
  usb?: string;
  wltDecoderUrl?: string;
  wltDecoderModule?: string;
  photoOut?: string;
  sim?: boolean;
  appendedAddress?: boolean;
}

/** A reader opened for one CLI run, and what to close afterwards. */
interface CliReader {
  transport: SamTransport;
  wltDecoder: WltDecoder | undefined;
  close(): Promise<void>;
}

function errorJson(err: unknown): { error: { code: string; message: string; data?: unknown } } {
  const code =
    typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'string'
      ? err.code
      : 'internal';
  const data = typeof err === 'object' && err !== null && 'data' in err ? err.data : undefined;
  return {
    error: {
      code,
      message: err instanceof Error ? err.message : String(err),
      ...(data === undefined ? {} : { data }),
    },
  };
}

async function openCliReader(opts: SamReadOptions): Promise<CliReader> {
  const { HttpWltDecoder } = await import('../../documents/sam/HttpWltDecoder.js');
  const { loadWltDecoderModule } = await import('../../documents/sam/ModuleWltDecoder.js');
  if (opts.wltDecoderUrl !== undefined && opts.wltDecoderModule !== undefined)
    throw new TypeError('--wlt-decoder-url and --wlt-decoder-module exclude each other');
  const httpDecoder =
    opts.wltDecoderModule !== undefined
      ? await loadWltDecoderModule(opts.wltDecoderModule)
      : opts.wltDecoderUrl === undefined
        ? undefined
        : new HttpWltDecoder({ url: opts.wltDecoderUrl });
  if (opts.sim === true) {
    const { VirtualSamReader, startSamPty } = await import('@kycd/hardware-sim');
    const { SerialSamTransport } = await import('../../drivers/serial/SerialSamTransport.js');
    const sim = new VirtualSamReader({ card: {} });
    const pty = await startSamPty(sim);
    const transport = await SerialSamTransport.open(pty.path);
    process.stderr.write(`kycd sam: virtual SAM reader on ${pty.path} (${pty.ptsPath})\n`);
    return {
      transport,
      wltDecoder: httpDecoder ?? sim.wltDecoder,
      close: async () => {
        await transport.close();
        await pty.close();
      },
    };
  }
  if (opts.usb !== undefined) {
    const m = /^([0-9a-f]{4}):([0-9a-f]{4})$/iu.exec(opts.usb);
    if (m === null)
      throw new TypeError(`--usb: expected VID:PID in hex, e.g. 0400:c35a, got ${opts.usb}`);
    const { UsbSamTransport } = await import('../../drivers/usb/UsbSamTransport.js');
    const transport = await UsbSamTransport.open({
      vendorId: parseInt(m[1]!, 16),
      productId: parseInt(m[2]!, 16),
    });
    return { transport, wltDecoder: httpDecoder, close: () => transport.close() };
  }
  if (opts.device === undefined)
    throw new TypeError('name the reader: --device PATH, --usb VID:PID, or --sim');
  const baudRate = opts.baud === undefined ? undefined : Number(opts.baud);
  if (baudRate !== undefined && !Number.isInteger(baudRate))
    throw new RangeError(`--baud: not an integer: ${opts.baud}`);
  const { SerialSamTransport } = await import('../../drivers/serial/SerialSamTransport.js');
  const transport = await SerialSamTransport.open(
    opts.device,
    baudRate === undefined ? {} : { baudRate },
  );
  return { transport, wltDecoder: httpDecoder, close: () => transport.close() };
}

const readerOptions = (cmd: Command): Command =>
  cmd
    .option('--device <path>', 'serial device of the reader, e.g. /dev/ttyUSB0 or COM3')
    .option('--baud <n>', 'serial line speed (default 115200)')
    .option('--usb <vid:pid>', 'a USB bulk reader by vendor:product id (hex)')
    .option('--sim', 'use a virtual SAM reader on a pty with the synthetic test card');

/**
 * `kycd sam ports|status|read`: diagnose and read a Chinese resident-ID (SAM) reader without the
 * daemon. JSON on stdout; on failure `{error: {code, message, data}}` and exit code 1.
 * `read` prints `{type, fields, photo: {format, width, height, sha256} | null, photoUnavailable,
 * authenticity, timing}`; `--photo-out FILE` writes the decoded photo as PNG.
 */
export function registerSamCommand(program: Command, ctx: CliContext): void {
  const sam = program
    .command('sam')
    .description(
      'Chinese resident ID reader (SAM protocol): list ports, check the SAM, read a card',
    );

  sam
    .command('ports')
    .description('list serial ports (candidate SAM readers)')
    .action(async () => {
      const { SerialSamTransport } = await import('../../drivers/serial/SerialSamTransport.js');
      ctx.printJson(await SerialSamTransport.list());
    });

  readerOptions(sam.command('status'))
    .description('check the SAM: status (11 FF) and its id (12 FF)')
    .action(async (opts: SamReadOptions) => {
      let reader: CliReader | undefined;
      try {
        reader = await openCliReader(opts);
        const { SamReader } = await import('../../documents/sam/SamReader.js');
        const sam = new SamReader(reader.transport);
        await sam.getSamStatus();
        ctx.printJson({
          status: 'ok',
          samId: await sam.readSamId(),
          transport: reader.transport.description,
        });
      } catch (err) {
        ctx.printJson(errorJson(err));
        process.exitCode = 1;
      } finally {
        await reader?.close();
      }
    });

  readerOptions(sam.command('read'))
    .description('read the card on the reader')
    .option(
      '--wlt-decoder-url <url>',
      "the vendor's WLT decoding service (without it: no photo, unless --sim)",
    )
    .option(
      '--wlt-decoder-module <path>',
      "a JS module exporting the vendor's WltDecoder (default export or createWltDecoder)",
    )
    .option('--photo-out <file>', 'write the decoded photo as PNG')
    .option('--no-appended-address', 'skip 读追加住址')
    .action(async (opts: SamReadOptions) => {
      let reader: CliReader | undefined;
      try {
        reader = await openCliReader(opts);
        const { readResidentId } = await import('../../documents/sam/readResidentId.js');
        const result = await readResidentId(reader.transport, {
          ...(reader.wltDecoder === undefined ? {} : { wltDecoder: reader.wltDecoder }),
          readAppendedAddress: opts.appendedAddress !== false,
        });
        const rgb = result.photo?.rgb;
        let photo: Record<string, unknown> | null = null;
        if (rgb !== undefined) {
          const sharp = (await import('sharp')).default;
          const png = await sharp(rgb.data, {
            raw: { width: rgb.width, height: rgb.height, channels: 3 },
          })
            .png()
            .toBuffer();
          if (opts.photoOut !== undefined) await writeFile(opts.photoOut, png);
          photo = {
            format: 'png',
            source: result.photo?.format,
            width: rgb.width,
            height: rgb.height,
            sha256: createHash('sha256').update(png).digest('hex'),
          };
        }
        ctx.printJson({
          type: result.fields.documentType,
          fields: result.fields,
          residentId: result.residentId,
          appendedAddresses: result.appendedAddresses,
          photo,
          ...(result.photoUnavailable === undefined
            ? {}
            : { photoUnavailable: result.photoUnavailable }),
          authenticity: result.authenticity,
          timing: result.timing,
        });
      } catch (err) {
        ctx.printJson(errorJson(err));
        process.exitCode = 1;
      } finally {
        await reader?.close();
      }
    });
}
