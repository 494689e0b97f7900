import { KycdError } from '@kycd/plugin-sdk';
import sharp from 'sharp';
import type { DocumentFields, DocumentPhoto, DocumentReadResult } from '../DocumentReadResult.js';
import { decodeBmp, type RgbImage } from './decodeBmp.js';
import { parseResidentIdText, type ResidentIdText } from './ResidentIdTextBlock.js';
import { SamError } from './SamError.js';
import { SamReader, type SamId, type SamTimeouts } from './SamReader.js';
import type { SamTransport } from './SamTransport.js';
import type { WltDecoder } from './WltDecoder.js';

/** Options of {@link readResidentId}. */
export interface ReadResidentIdOptions {
  /** Aborting rejects with `document_aborted`. */
  readonly signal?: AbortSignal;
  /** The vendor's WLT decoder; without one the result has no `photo` and says why in `photoUnavailable`. */
  readonly wltDecoder?: WltDecoder;
  /** Per-command timeouts when `source` is a transport (a {@link SamReader} keeps its own). */
  readonly timeouts?: Partial<SamTimeouts>;
  /** Also read 读追加住址 (30 03), default true. */
  readonly readAppendedAddress?: boolean;
}

/** A {@link DocumentReadResult} of a resident ID or permit, with the card's own fields. */
export interface ResidentIdReadResult extends DocumentReadResult {
  readonly kind: 'cn-resident-id';
  readonly accessControl: 'SAM';
  /** Every field of the text block, in the card's own terms. */
  readonly residentId: ResidentIdText;
  /** Appended addresses (追加住址), newest last; empty when the card has none. */
  readonly appendedAddresses: readonly string[];
  /** The SAM that verified the card. */
  readonly samId: SamId;
}

/**
 * Reads a Chinese second-generation resident ID (or HK/Macao/Taiwan residence permit, or foreign
 * permanent resident ID) through a SAM reader: SAM status → SAM id → find card → select card →
 * read base info (text + WLT photo) → appended address → WLT decode through the configured
 * vendor decoder. Any failure rejects with a `KycdError` (a {@link SamError} for protocol steps)
 * and yields no partial data; only the photo is optional — a missing or failing decoder gives a
 * result without `photo` and with `photoUnavailable`.
 *
 * Authenticity: the SAM itself authenticates the card (mutual authentication and data verification,
 * statuses 31/32/33 on failure), so `passiveAuthentication` is `passed` exactly when the read
 * succeeded; Chip / Active Authentication do not exist on this card (`not_supported`).
 *
 * `source` is a transport (a fresh {@link SamReader} is made on it) or a long-lived `SamReader` (so
 * its "card must leave the field" state carries across reads). The transport is not closed.
 *
 * @example
 * ```ts
 * const transport = await SerialSamTransport.open('/dev/ttyUSB0');
 * const result = await readResidentId(transport, { signal, wltDecoder });
 * if (result.photo === undefined) console.warn(result.photoUnavailable?.code);
 * ```
 */
export async function readResidentId(
  source: SamTransport | SamReader,
  options: ReadResidentIdOptions = {},
): Promise<ResidentIdReadResult> {
  const { signal } = options;
  const reader =
    source instanceof SamReader
      ? source
      : new SamReader(source, options.timeouts === undefined ? {} : { timeouts: options.timeouts });
  const timing: Record<string, number> = {};
  const started = performance.now();
  const phase = async <T>(name: string, run: () => Promise<T>): Promise<T> => {
    const t0 = performance.now();
    try {
      return await run();
    } finally {
      timing[name] = Math.round((performance.now() - t0) * 10) / 10;
    }
  };

  await phase('samStatus', () => reader.getSamStatus({ signal }));
  const samId = await phase('samId', () => reader.readSamId({ signal }));
  await phase('findCard', () => reader.findCard({ signal }));
  await phase('selectCard', () => reader.selectCard({ signal }));
  const base = await phase('read', async () => {
    try {
      return await reader.readBaseInfo({ signal });
    } catch (err) {
      throw await explainReadFailure(reader, err, signal);
    }
  });
  const residentId = parseResidentIdText(base.text);
  const appendedAddresses =
    options.readAppendedAddress === false
      ? []
      : await phase('appendedAddress', () => reader.readAppendedAddress({ signal }));

  let photo: DocumentPhoto | undefined;
  let photoUnavailable: { code: string; reason: string } | undefined;
  if (options.wltDecoder === undefined) {
    photoUnavailable = {
      code: 'document_photo_decoder_missing',
      reason:
        'the resident ID photo is a WLT image that only a licensed vendor decoder can decode, and none is configured',
    };
  } else {
    const decoder = options.wltDecoder;
    try {
      const rgb = await phase('decodePhoto', () => decodeWlt(decoder, base.photo, samId, signal));
      photo = { format: 'wlt', encoded: base.photo, rgb };
    } catch (err) {
      if (signal?.aborted === true)
        throw new KycdError('document_aborted', 'resident ID read was cancelled', { cause: err });
      photoUnavailable = {
        code: 'document_photo_decoder_failed',
        reason: `WLT decoder ${decoder.name} failed: ${err instanceof Error ? err.message : String(err)}`,
      };
    }
  }
  timing['bytes'] = base.text.length + base.photo.length;
  timing['total'] = Math.round((performance.now() - started) * 10) / 10;

  const result: ResidentIdReadResult = {
    kind: 'cn-resident-id',
    accessControl: 'SAM',
    fields: toDocumentFields(residentId, appendedAddresses),
    ...(photo === undefined ? {} : { photo }),
    ...(photoUnavailable === undefined ? {} : { photoUnavailable }),
    authenticity: {
      passiveAuthentication: {
        status: 'passed',
        reason: 'the SAM authenticated the card and verified its data',
        details: { verifier: 'SAM', samId: samId.formatted ?? samId.hex },
      },
      chipAuthentication: {
        status: 'not_supported',
        reason: 'resident ID cards have no Chip Authentication',
      },
      activeAuthentication: {
        status: 'not_supported',
        reason: 'resident ID cards have no Active Authentication',
      },
      genuine: true,
    },
    timing,
    residentId,
    appendedAddresses,
    samId,
  };
  return result;
}

/**
 * A read failure (41) is what the SAM says both when the card is faulty and when it left the field
 * mid-read: one find-card tells them apart (80 → the card is gone → `document_card_removed`).
 */
async function explainReadFailure(
  reader: SamReader,
  err: unknown,
  signal: AbortSignal | undefined,
): Promise<unknown> {
  if (!(err instanceof SamError) || err.code !== 'document_sam_read_failed') return err;
  try {
    await reader.findCard({ signal });
  } catch (probe) {
    if (probe instanceof KycdError && probe.code === 'document_no_card') {
      return new SamError(
        'document_card_removed',
        `${err.message}; the card is no longer in the field (removed during the read)`,
        {
          step: 'readBaseInfo',
          sw3: err.sw3,
          cause: err,
        },
      );
    }
  }
  return err;
}

async function decodeWlt(
  decoder: WltDecoder,
  wlt: Uint8Array,
  samId: SamId,
  signal: AbortSignal | undefined,
): Promise<RgbImage> {
  const image = await decoder.decode(wlt, {
    ...(signal === undefined ? {} : { signal }),
    samId: samId.formatted ?? samId.hex,
  });
  if (image.format === 'bmp') return decodeBmp(image.bytes);
  try {
    const { data, info } = await sharp(image.bytes, { limitInputPixels: 4096 * 4096 })
      .removeAlpha()
      .toColourspace('srgb')
      .raw()
      .toBuffer({ resolveWithObject: true });
    return {
      data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
      width: info.width,
      height: info.height,
    };
  } catch (cause) {
    throw new SamError(
      'document_photo_decoder_failed',
      'WLT decoder output is not a decodable JPEG',
      { step: 'decodePhoto', cause },
    );
  }
}

/** Maps the card's fields to the common ones. `address` is the current one: the newest appended address when the card has one, else the printed address (both stay in `residentId` / `appendedAddresses`). */
function toDocumentFields(t: ResidentIdText, appended: readonly string[]): DocumentFields {
  const address = (base: string): string | undefined => {
    const latest = appended.at(-1);
    return latest ?? (base.length > 0 ? base : undefined);
  };
  const opt = <K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> =>
    value === undefined || value.length === 0 ? {} : ({ [key]: value } as Record<K, string>);
  switch (t.type) {
    case 'resident-id':
      return {
        documentType: 'cn-resident-id',
        documentNumber: t.idNumber,
        personalNumber: t.idNumber,
        fullName: t.name,
        issuingState: 'CHN',
        nationality: 'CHN',
        sex: t.sex,
        birthDate: t.birthDate,
        issueDate: t.validFrom,
        expiryDate: t.validTo,
        ethnicity: t.nation,
        issuingAuthority: t.issuingAuthority,
        ...opt('address', address(t.address)),
      };
    case 'hmt-residence-permit':
      return {
        documentType: 'cn-residence-permit-hmt',
        documentNumber: t.idNumber,
        personalNumber: t.idNumber,
        fullName: t.name,
        issuingState: 'CHN',
        sex: t.sex,
        birthDate: t.birthDate,
        issueDate: t.validFrom,
        expiryDate: t.validTo,
        issuingAuthority: t.issuingAuthority,
        ...opt('address', address(t.address)),
      };
    case 'foreign-permanent-resident-2017':
      return {
        documentType: 'cn-foreign-permanent-resident-2017',
        documentNumber: t.permitNumber,
        fullName: t.chineseName.length > 0 ? t.chineseName : t.englishName,
        nameLatin: t.englishName,
        issuingState: 'CHN',
        nationality: t.nationalityCode,
        sex: t.sex,
        birthDate: t.birthDate,
        issueDate: t.issueDate,
        expiryDate: t.expiryDate,
        issuingAuthority: t.authorityCode,
      };
    case 'foreign-permanent-resident-2023':
      return {
        documentType: 'cn-foreign-permanent-resident-2023',
        documentNumber: t.idNumber,
        personalNumber: t.idNumber,
        fullName: t.chineseName.length > 0 ? t.chineseName : t.englishName,
        nameLatin: t.englishName,
        issuingState: 'CHN',
        nationality: t.nationalityCode,
        sex: t.sex,
        birthDate: t.birthDate,
        issueDate: t.issueDate,
        expiryDate: t.expiryDate,
      };
  }
}
