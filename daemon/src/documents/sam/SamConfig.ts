import { Type, type Static } from '@sinclair/typebox';

const timeoutMs = (def: number, what: string) =>
  Type.Integer({
    minimum: 10,
    maximum: 60_000,
    default: def,
    description: `Milliseconds to wait for the SAM's answer to ${what}.`,
  });

/**
 * `documents.sam`: the Chinese resident-ID (SAM) reader. Meant to be nested in the `documents`
 * config section as `sam: SamConfigSchema`.
 */
export const SamConfigSchema = Type.Object(
  {
    enabled: Type.Boolean({ default: false, description: 'Use a SAM resident-ID reader.' }),
    transport: Type.Union([Type.Literal('serial'), Type.Literal('usb')], {
      default: 'serial',
      description:
        'How the reader is attached: "serial" (RS-232 or USB-serial, e.g. /dev/ttyUSB0, COM3) or "usb" (bulk endpoints through libusb).',
    }),
    serialPath: Type.String({
      default: '',
      description: 'Serial device path of the reader (transport "serial").',
    }),
    baudRate: Type.Integer({
      minimum: 1200,
      maximum: 921_600,
      default: 115_200,
      description: 'Serial line speed; SAM readers default to 115200 8N1.',
    }),
    usbVendorId: Type.Integer({
      minimum: 0,
      maximum: 0xffff,
      default: 0,
      description: 'USB vendor id of the reader (transport "usb"); differs per model.',
    }),
    usbProductId: Type.Integer({
      minimum: 0,
      maximum: 0xffff,
      default: 0,
      description: 'USB product id of the reader (transport "usb").',
    }),
    readAppendedAddress: Type.Boolean({
      default: true,
      description: 'Also read the appended (updated) address, 读追加住址.',
    }),
    timeouts: Type.Object(
      {
        resetSam: timeoutMs(1000, 'reset (10 FF)'),
        getSamStatus: timeoutMs(500, 'status (11 FF)'),
        readSamId: timeoutMs(500, 'read SAM id (12 FF)'),
        findCard: timeoutMs(300, 'find card (20 01)'),
        selectCard: timeoutMs(500, 'select card (20 02)'),
        readBaseInfo: timeoutMs(3500, 'read base info (30 01)'),
        readAppendedAddress: timeoutMs(1000, 'read appended address (30 03)'),
      },
      { default: {}, additionalProperties: false, description: 'Per-command response timeouts.' },
    ),
    wltDecoder: Type.Object(
      {
        kind: Type.Union([Type.Literal('none'), Type.Literal('http'), Type.Literal('module')], {
          default: 'none',
          description:
            'The licensed vendor decoder of the WLT photo. "none": reads carry no photo (photoUnavailable: document_photo_decoder_missing). "http": a vendor decoding service. "module": a JavaScript module that exports a WltDecoder (e.g. wrapping the vendor library).',
        }),
        url: Type.String({
          default: '',
          description:
            'Decode endpoint of the vendor service (kind "http"); POST {"wlt": base64} → {"image"|"photo"|"identityPic": base64 JPEG/BMP}.',
        }),
        timeoutMs: Type.Integer({
          minimum: 100,
          maximum: 60_000,
          default: 3000,
          description: 'Request timeout of the vendor service.',
        }),
        modulePath: Type.String({
          default: '',
          description:
            'Path of the vendor decoder module (kind "module"), absolute or relative to the working directory. Its default export (or `createWltDecoder`) is a WltDecoder { name, decode(wlt, context) } or a function (moduleOptions) returning one.',
        }),
        moduleOptions: Type.Record(
          Type.String(),
          Type.Union([Type.String(), Type.Number(), Type.Boolean()]),
          {
            default: {},
            description:
              'Passed to the decoder module\'s factory function (kind "module"), e.g. the licence file of the vendor library.',
          },
        ),
      },
      { default: {}, additionalProperties: false, description: 'WLT photo decoder.' },
    ),
  },
  { default: {}, additionalProperties: false },
);

/** The `documents.sam` settings. */
export type SamConfig = Static<typeof SamConfigSchema>;
