import { Type, type Static } from '@sinclair/typebox';

/** `camera`: which camera the daemon uses and how it streams. */
export const CameraConfigSchema = Type.Object(
  {
    device: Type.String({ minLength: 1, default: 'auto', description: 'Device node (e.g. /dev/video0) or "auto": the first acceptable camera.' }),
    pin: Type.Optional(
      Type.Object(
        {
          vendorId: Type.String({ pattern: '^[0-9a-fA-F]{4}$', description: 'USB vendor id, 4 hex digits.' }),
          productId: Type.String({ pattern: '^[0-9a-fA-F]{4}$', description: 'USB product id, 4 hex digits.' }),
          serial: Type.Optional(Type.String({ minLength: 1, description: 'USB serial number, when the camera has one.' })),
        },
        { additionalProperties: false, description: 'The USB identity the camera must have. Required in production mode: injection defence.' },
      ),
    ),
    allowVirtual: Type.Boolean({ default: false, description: 'Accept virtual camera drivers (v4l2loopback, OBS…). Never honoured in production mode.' }),
    width: Type.Integer({ minimum: 160, maximum: 3840, default: 640, description: 'Capture width in pixels.' }),
    height: Type.Integer({ minimum: 120, maximum: 2160, default: 480, description: 'Capture height in pixels.' }),
    fps: Type.Integer({ minimum: 15, maximum: 30, default: 30, description: 'Frames per second (liveness needs 15–30).' }),
    preview: Type.Object(
      {
        enabled: Type.Boolean({ default: false, description: 'Send `face.preview` events (JPEG frames) to the POS during the face step. Off by default: the customer\'s face only leaves the daemon when the operator wants it on the POS screen.' }),
        fps: Type.Number({ exclusiveMinimum: 0, maximum: 10, default: 2, description: 'Preview frames per second.' }),
        maxWidth: Type.Integer({ minimum: 64, maximum: 1280, default: 320, description: 'Preview width in pixels (height keeps the aspect).' }),
        quality: Type.Integer({ minimum: 10, maximum: 95, default: 60, description: 'JPEG quality.' }),
      },
      { default: {}, additionalProperties: false, description: 'Optional low-rate preview for the POS.' },
    ),
  },
  { default: {}, additionalProperties: false },
);

export type CameraConfig = Static<typeof CameraConfigSchema>;
