import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import type { CliContext } from '../CliContext.js';
import type { EmrtdCredentials } from '../../documents/icao/EmrtdCredentials.js';
import type { EmrtdReadResult } from '../../documents/icao/readEmrtd.js';
import type { CardTransport } from '../../documents/icao/transport/CardTransport.js';

interface DocumentReadOptions {
  reader?: string;
  mrz?: string;
  documentNumber?: string;
  birthDate?: string;
  expiryDate?: string;
  can?: string;
  csca?: string;
  photoOut?: string;
  json?: boolean;
  bac?: boolean;
  sim?: boolean;
  simFault?: string[];
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

async function credentialsFrom(opts: DocumentReadOptions): Promise<EmrtdCredentials | undefined> {
  const given = [
    opts.mrz !== undefined,
    opts.documentNumber !== undefined ||
      opts.birthDate !== undefined ||
      opts.expiryDate !== undefined,
    opts.can !== undefined,
  ].filter(Boolean).length;
  if (given > 1)
    throw new TypeError(
      'give one of --mrz, --document-number/--birth-date/--expiry-date, or --can',
    );
  if (opts.mrz !== undefined) {
    const { parseMrzCredentials } = await import('../../documents/icao/EmrtdCredentials.js');
    return parseMrzCredentials(opts.mrz);
  }
  if (opts.can !== undefined) return { kind: 'can', can: opts.can };
  if (
    opts.documentNumber !== undefined ||
    opts.birthDate !== undefined ||
    opts.expiryDate !== undefined
  ) {
    if (
      opts.documentNumber === undefined ||
      opts.birthDate === undefined ||
      opts.expiryDate === undefined
    ) {
      throw new TypeError('--document-number, --birth-date and --expiry-date go together');
    }
    return {
      kind: 'mrz',
      documentNumber: opts.documentNumber,
      birthDate: opts.birthDate,
      expiryDate: opts.expiryDate,
    };
  }
  return undefined;
}

/** The JSON the CLI prints for a read: no raw photo, no raw data groups. */
export function documentReadJson(
  result: EmrtdReadResult,
  photoSha256: string | undefined,
): Record<string, unknown> {
  const photo = result.photo;
  return {
    type: result.kind,
    accessControl: result.accessControl,
    ...(result.pace === undefined ? {} : { pace: result.pace }),
    ...(result.paceSkippedReason === undefined
      ? {}
      : { paceSkippedReason: result.paceSkippedReason }),
    fields: result.fields,
    photo:
      photo === undefined
        ? null
        : {
            format: photo.format,
            width: photo.rgb?.width ?? null,
            height: photo.rgb?.height ?? null,
            bytes: photo.encoded.length,
            sha256: photoSha256,
          },
    ...(result.photoUnavailable === undefined ? {} : { photoUnavailable: result.photoUnavailable }),
    authenticity: {
      ...result.authenticity,
      passiveAuthenticationSteps: {
        sodSignature: result.passiveAuthentication.sodSignature,
        dataGroupHashes: result.passiveAuthentication.dataGroupHashes,
        certificateChain: result.passiveAuthentication.certificateChain,
        certificateValidity: result.passiveAuthentication.certificateValidity,
        revocation: result.passiveAuthentication.revocation,
      },
    },
    dataGroups: [...result.dataGroups.keys()].sort((a, b) => a - b),
    extendedLength: result.extendedLengthUsed,
    timing: result.timing,
  };
}

/** A transport to an in-process virtual chip (`--sim`): the simulator card without pcscd. */
async function simTransport(
  faults: readonly string[],
): Promise<{ transport: CardTransport; trustDer: Uint8Array; close: () => Promise<void> }> {
  const { VirtualEmrtd, TestPki, createSampleHolder, EMRTD_FAULT_NAMES } =
    await import('@kycd/hardware-sim');
  const { parseAtr } = await import('../../drivers/pcsc/parseAtr.js');
  const { EmrtdError } = await import('../../documents/icao/EmrtdError.js');
  const faultSet: Record<string, unknown> = {};
  for (const f of faults) {
    const [name, value] = f.split('=');
    if (name === undefined || !(EMRTD_FAULT_NAMES as readonly string[]).includes(name))
      throw new TypeError(
        `--sim-fault: unknown fault ${f} (known: ${EMRTD_FAULT_NAMES.join(', ')})`,
      );
    faultSet[name] = value === undefined ? true : Number(value);
  }
  const pki = await TestPki.create();
  const card = await VirtualEmrtd.create({
    holder: await createSampleHolder(),
    pki,
    activeAuthentication: true,
    faults: faultSet,
  });
  card.powerOn();
  const transport: CardTransport = {
    extendedLengthSupported: parseAtr(card.atr).extendedLength,
    transmit: async (command) => {
      const r = card.transmit(command);
      if (r === null)
        throw new EmrtdError('document_card_removed', 'the virtual card left the field');
      return r;
    },
  };
  return {
    transport,
    trustDer: new Uint8Array(pki.csca.certificate.rawData),
    close: async () => undefined,
  };
}

/** `kycd document readers|read`: list PC/SC readers and read an eMRTD without the daemon. */
export function registerDocumentCommand(program: Command, ctx: CliContext): void {
  const document = program
    .command('document')
    .description('identity documents: read an ICAO 9303 eMRTD (passport / eID) over PC/SC');

  document
    .command('readers')
    .description('list the PC/SC readers pcscd reports, and whether a card is on each')
    .option('--wait-ms <ms>', 'how long to collect readers', '1000')
    .action(async (opts: { waitMs: string }, command: Command) => {
      void command;
      const { PcscManager } = await import('../../drivers/pcsc/PcscManager.js');
      const pcsc = PcscManager.start();
      const errors: string[] = [];
      pcsc.on('error', (e) => errors.push(`${e.code}: ${e.message}`));
      await new Promise((r) => setTimeout(r, Number(opts.waitMs) || 1000));
      ctx.printJson({
        readers: pcsc.readers.map((r) => ({
          name: r.name,
          card:
            r.card === undefined
              ? null
              : {
                  atr: Buffer.from(r.card.atr).toString('hex').toUpperCase(),
                  extendedLength: r.card.extendedLength,
                },
        })),
        errors,
      });
      pcsc.close();
    });

  document
    .command('read')
    .description(
      'read the eMRTD on a PC/SC reader: PACE or BAC, DG1/DG2/…, Chip/Active Authentication, Passive Authentication',
    )
    .option(
      '--reader <name>',
      'use the reader whose name contains NAME (default: config documents.pcscReader, else the first)',
    )
    .option('--mrz <mrz>', 'the full printed MRZ (TD1/TD2/TD3; lines may be joined)')
    .option('--document-number <n>', 'document number (with --birth-date and --expiry-date)')
    .option('--birth-date <yymmdd>', 'date of birth, YYMMDD')
    .option('--expiry-date <yymmdd>', 'date of expiry, YYMMDD')
    .option('--can <can>', 'the 6-digit Card Access Number (PACE only)')
    .option('--csca <dir>', 'CSCA trust store directory (default: config documents.cscaDir)')
    .option('--photo-out <file>', 'write the face image as stored on the chip (JPEG / JPEG 2000)')
    .option('--bac', 'skip PACE even when offered (diagnostics)')
    .option(
      '--sim',
      'read an in-process virtual eMRTD (sample holder, MRZ L898902C3 / 740812 / 340415) instead of a reader',
    )
    .option(
      '--sim-fault <fault...>',
      'with --sim: fault modes, e.g. wrongMacOnRead=3 hashMismatch chipClone',
    )
    .option('--json', 'print JSON')
    .action(async (opts: DocumentReadOptions, command: Command) => {
      const config = await ctx.config(command);
      const docs = config.documents;
      const abort = new AbortController();
      const onSigint = (): void => abort.abort();
      process.once('SIGINT', onSigint);
      let closeReader: () => Promise<void> = async () => undefined;
      try {
        const credentials = await credentialsFrom(opts);
        const { CscaTrustStore } = await import('../../documents/authenticity/CscaTrustStore.js');
        const { readEmrtd, photoSha256 } = await import('../../documents/icao/readEmrtd.js');
        let transport: CardTransport;
        let trustStore = CscaTrustStore.empty();
        const cscaDir = opts.csca ?? docs.cscaDir;
        if (cscaDir !== undefined) {
          trustStore = await CscaTrustStore.fromDirectory(cscaDir);
          for (const e of trustStore.loadErrors)
            process.stderr.write(`kycd document: skipped ${e.file}: ${e.reason}\n`);
        }
        if (opts.sim === true) {
          const sim = await simTransport(opts.simFault ?? []);
          transport = sim.transport;
          if (cscaDir === undefined) trustStore = CscaTrustStore.fromCertificates([sim.trustDer]);
          closeReader = sim.close;
        } else {
          const { PcscManager } = await import('../../drivers/pcsc/PcscManager.js');
          const pcsc = PcscManager.start();
          pcsc.on('error', () => undefined);
          closeReader = async () => pcsc.close();
          const name = opts.reader ?? docs.pcscReader;
          const reader = await pcsc.waitForReader({
            ...(name === undefined ? {} : { name }),
            timeoutMs: docs.readerWaitMs,
            signal: abort.signal,
          });
          if (reader.card === undefined)
            process.stderr.write(`kycd document: put the document on ${reader.name}\n`);
          await PcscManager.waitForCard(reader, {
            timeoutMs: docs.cardWaitMs,
            signal: abort.signal,
          });
          transport = await reader.connect();
          closeReader = async () => {
            await reader.disconnect({ reset: true });
            pcsc.close();
          };
        }
        const result = await readEmrtd(transport, {
          ...(credentials === undefined ? {} : { credentials }),
          trustStore,
          signal: abort.signal,
          preferPace: opts.bac !== true && docs.preferPace,
          useExtendedLength: docs.useExtendedLength,
          maxShortRead: docs.maxShortRead,
          decodePhoto: docs.decodePhoto,
          onProgress: (p) => {
            if (p.phase === 'read' && p.bytesRead === p.totalBytes)
              process.stderr.write(`kycd document: read ${p.file} (${p.totalBytes} bytes)\n`);
          },
        });
        const sha = result.photo === undefined ? undefined : photoSha256(result.photo);
        if (opts.photoOut !== undefined && result.photo !== undefined)
          await writeFile(opts.photoOut, result.photo.encoded, { mode: 0o600 });
        const json = documentReadJson(result, sha);
        if (opts.json === true) ctx.printJson(json);
        else {
          const a = result.authenticity;
          process.stdout.write(
            `${result.fields.fullName} — ${result.fields.documentType} ${result.fields.documentNumber} (${result.fields.issuingState ?? '?'})\n` +
              `access control: ${result.accessControl}; passive authentication: ${a.passiveAuthentication.status}${a.passiveAuthentication.reason === undefined ? '' : ` (${a.passiveAuthentication.reason})`}; ` +
              `chip authentication: ${a.chipAuthentication.status}; active authentication: ${a.activeAuthentication.status}; genuine: ${a.genuine}\n`,
          );
        }
      } catch (err) {
        if (opts.json === true) ctx.printJson(errorJson(err));
        throw err;
      } finally {
        process.off('SIGINT', onSigint);
        await closeReader().catch(() => undefined);
      }
    });
}
