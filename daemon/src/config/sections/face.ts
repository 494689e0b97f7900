import { Type, type Static } from '@sinclair/typebox';

/** `face`: where the face models live and how they run and decide. */
export const FaceConfigSchema = Type.Object(
  {
    modelsDir: Type.String({
      default: '',
      description:
        'Directory of the installed ONNX models. Empty: $KYCD_MODELS_DIR, else models/.models/ in the checkout.',
    }),
    manifestFile: Type.String({
      default: '',
      description:
        'JSON model manifest replacing the built-in one (e.g. a licensed recogniser). Empty: the built-in faceplugin models.',
    }),
    intraOpNumThreads: Type.Integer({
      minimum: 1,
      maximum: 64,
      default: 1,
      description:
        'onnxruntime intra-op threads per session. 1 measured fastest for per-frame analysis on 2 cores (see models/README.md).',
    }),
    embedderIntraOpNumThreads: Type.Integer({
      minimum: 1,
      maximum: 64,
      default: 2,
      description:
        'onnxruntime intra-op threads of the face embedder (no spinning). 2 brings an embedding under 15 ms on 2 cores (see models/README.md).',
    }),
    detectionScoreThreshold: Type.Number({
      minimum: 0,
      maximum: 1,
      default: 0.7,
      description: 'Minimum detector face score.',
    }),
    quality: Type.Object(
      {
        minFaceSize: Type.Number({
          minimum: 0,
          maximum: 1,
          default: 0.15,
          description: 'face_too_small below this box width ÷ frame width.',
        }),
        maxFaceSize: Type.Number({
          minimum: 0,
          maximum: 2,
          default: 0.8,
          description: 'face_too_large above this box width ÷ frame width.',
        }),
        maxCentreOffset: Type.Number({
          minimum: 0,
          maximum: 1,
          default: 0.35,
          description:
            'face_off_centre above this distance of the box centre from the frame centre ÷ half diagonal.',
        }),
        maxOutsideFraction: Type.Number({
          minimum: 0,
          maximum: 1,
          default: 0.05,
          description: 'face_cut_off above this fraction of the box outside the frame.',
        }),
        maxYaw: Type.Number({
          minimum: 0,
          maximum: 90,
          default: 15,
          description: 'yaw_out_of_range above this |yaw| in degrees.',
        }),
        maxPitch: Type.Number({
          minimum: 0,
          maximum: 90,
          default: 15,
          description:
            'pitch_out_of_range above this |pitch| in degrees (HopeNet reads frontal faces about −9°).',
        }),
        maxRoll: Type.Number({
          minimum: 0,
          maximum: 90,
          default: 15,
          description: 'roll_out_of_range above this |roll| in degrees.',
        }),
        minSharpness: Type.Number({
          minimum: 0,
          default: 40,
          description: 'face_blurry below this variance of the Laplacian (face, gray, 112×112).',
        }),
        minBrightness: Type.Number({
          minimum: 0,
          maximum: 255,
          default: 60,
          description: 'face_too_dark below this mean gray level of the face centre.',
        }),
        maxBrightness: Type.Number({
          minimum: 0,
          maximum: 255,
          default: 210,
          description: 'face_too_bright above this mean gray level of the face centre.',
        }),
      },
      {
        default: {},
        additionalProperties: false,
        description:
          'Quality thresholds behind the guidance codes (models/README.md, “Quality measures”).',
      },
    ),
    verifyThreshold: Type.Number({
      minimum: -1,
      maximum: 1,
      default: 0.45,
      description:
        'Cosine similarity at or above which two faces are the same person (calibration in models/README.md).',
    }),
  },
  { default: {}, additionalProperties: false },
);

export type FaceConfig = Static<typeof FaceConfigSchema>;
