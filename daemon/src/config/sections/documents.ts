import { Type, type Static } from '@sinclair/typebox';
import { SamConfigSchema } from '../../documents/sam/SamConfig.js';

/** `documents`: eMRTD reading over PC/SC (ICAO 9303) and the CSCA trust store. */
export const DocumentsConfigSchema = Type.Object(
  {
    pcscReader: Type.Optional(
      Type.String({
        minLength: 1,
        description:
          'Use only the PC/SC reader whose name contains this text (default: the first reader pcscd reports).',
      }),
    ),
    cscaDir: Type.Optional(
      Type.String({
        minLength: 1,
        description:
          'Directory of CSCA certificates (.pem/.crt/.cer/.der), CRLs (.crl) and ICAO master lists (.ml) that Passive Authentication chains Document Signers to. Without it no document is reported genuine.',
      }),
    ),
    preferPace: Type.Boolean({
      default: true,
      description:
        'Run PACE when the chip offers it (BAC only as fallback). The result always says which ran.',
    }),
    useExtendedLength: Type.Boolean({
      default: true,
      description:
        'Use extended-length READ BINARY when the chip declares support (ATR / EF.ATR/INFO): far fewer APDUs.',
    }),
    maxShortRead: Type.Integer({
      minimum: 16,
      maximum: 256,
      default: 256,
      description:
        'Cap on data bytes per short READ BINARY (further capped to 223 under AES and 231 under 3DES secure messaging). Lower it for chips that refuse long reads; kycd also steps down on 6700/6Cxx by itself.',
    }),
    readerWaitMs: Type.Integer({
      minimum: 0,
      default: 5000,
      description: 'How long `kycd document read` waits for a PC/SC reader to appear.',
    }),
    cardWaitMs: Type.Integer({
      minimum: 0,
      default: 10000,
      description: 'How long `kycd document read` waits for a card on the reader.',
    }),
    decodePhoto: Type.Boolean({
      default: true,
      description: 'Decode the DG2 face image (JPEG / JPEG 2000) to RGB for face matching.',
    }),
    sam: SamConfigSchema,
  },
  { default: {}, additionalProperties: false },
);

export type DocumentsConfig = Static<typeof DocumentsConfigSchema>;
