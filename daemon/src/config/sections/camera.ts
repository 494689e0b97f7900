import { Type, type Static } from '@sinclair/typebox';
import { ConfigError } from '../../errors/ConfigError.js';

/** `camera`: which camera the daemon uses and how it streams. */
export const CameraConfigSchema = Type.Object(
  {
    device: Type.String({
      minLength: 1,
      default: 'auto',
      description: 'Device node (e.g. /dev/video0) or "auto": the first acceptable camera.',
    }),
    pin: Type.Optional(
      Type.Object(
        {
          vendorId: Type.String({
            pattern: '^[0-9a-fA-F]{4}$',
            description: 'USB vendor id, 4 hex digits.',
          }),
          productId: Type.String({
            pattern: '^[0-9a-fA-F]{4}$',
            description: 'USB product id, 4 hex digits.',
          }),
          serial: Type.Optional(
            Type.String({
              minLength: 1,
              description:
                'USB serial number (as `kycd doctor` lists it). Required in production mode: the vendor and product ids alone match every camera of that model. A camera without a serial cannot be used in production.',
            }),
          ),
        },
        {
          additionalProperties: false,
          description:
            'The USB identity the camera must have. Required, with the serial, in production mode: injection defence (`kycd start` refuses to run without it).',
        },
      ),
    ),
    allowVirtual: Type.Boolean({
      default: false,
      description:
        'Accept virtual camera drivers (v4l2loopback, OBS…). Never honoured in production mode.',
    }),
    width: Type.Integer({
      minimum: 160,
      maximum: 3840,
      default: 640,
      description: 'Capture width in pixels.',
    }),
    height: Type.Integer({
      minimum: 120,
      maximum: 2160,
      default: 480,
      description: 'Capture height in pixels.',
    }),
    fps: Type.Integer({
      minimum: 15,
      maximum: 30,
      default: 30,
      description: 'Frames per second (liveness needs 15–30).',
    }),
    preview: Type.Object(
      {
        enabled: Type.Boolean({
          default: false,
          description:
            "Send `face.preview` events (JPEG frames) to the POS during the face step. Off by default: the customer's face only leaves the daemon when the operator wants it on the POS screen.",
        }),
        fps: Type.Number({
          exclusiveMinimum: 0,
          maximum: 10,
          default: 2,
          description: 'Preview frames per second.',
        }),
        maxWidth: Type.Integer({
          minimum: 64,
          maximum: 1280,
          default: 320,
          description: 'Preview width in pixels (height keeps the aspect).',
        }),
        quality: Type.Integer({
          minimum: 10,
          maximum: 95,
          default: 60,
          description: 'JPEG quality.',
        }),
      },
      {
        default: {},
        additionalProperties: false,
        description: 'Optional low-rate preview for the POS.',
      },
    ),
  },
  { default: {}, additionalProperties: false },
);

export type CameraConfig = Static<typeof CameraConfigSchema>;

/**
 * What production mode demands of the `camera` section beyond the schema: the pin, with the USB
 * serial (vendor/product ids alone match every camera of that model, so any second camera of
 * the same kind — or a USB gadget claiming those ids — would pass). `allowVirtual` needs no
 * check: production never honours it.
 * @throws {ConfigError} naming the missing key.
 */
export function assertProductionCamera(camera: CameraConfig, file?: string): void {
  const where = file ?? 'configuration';
  if (camera.pin === undefined) {
    throw new ConfigError(
      `${where}: key "camera.pin": production mode needs the camera's USB identity (vendorId, productId, serial) — run \`kycd doctor\` to list the cameras, or start with --sim for the hardware simulator`,
      '/camera/pin',
      file,
    );
  }
  if (camera.pin.serial === undefined) {
    throw new ConfigError(
      `${where}: key "camera.pin.serial": production mode needs the camera's USB serial as well as its vendor and product ids (the ids alone match every camera of that model) — \`kycd doctor\` lists it`,
      '/camera/pin/serial',
      file,
    );
  }
}
