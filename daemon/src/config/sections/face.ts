import { Type, type Static } from '@sinclair/typebox';

/** `face`: where the face models live and how they run and decide. */
export const FaceConfigSchema = Type.Object(
  {
    modelsDir: Type.String({
      default: '',
      description: 'Directory of the installed ONNX models. Empty: $KYCD_MODELS_DIR, else models/.models/ in the checkout.',
    }),
    manifestFile: Type.String({
      default: '',
      description: 'JSON model manifest replacing the built-in one (e.g. a licensed recogniser). Empty: the built-in faceplugin models.',
    }),
    intraOpNumThreads: Type.Integer({
      minimum: 1,
      maximum: 64,
      default: 1,
      description: 'onnxruntime intra-op threads per session. 1 measured fastest for per-frame analysis on 2 cores (see models/README.md).',
    }),
    detectionScoreThreshold: Type.Number({ minimum: 0, maximum: 1, default: 0.7, description: 'Minimum detector face score.' }),
    verifyThreshold: Type.Number({
      minimum: -1,
      maximum: 1,
      default: 0.42,
      description: 'Cosine similarity at or above which two faces are the same person (calibration in models/README.md).',
    }),
  },
  { default: {}, additionalProperties: false },
);

export type FaceConfig = Static<typeof FaceConfigSchema>;
