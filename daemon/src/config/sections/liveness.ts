import { Type, type Static } from '@sinclair/typebox';

const Challenge = Type.Union([
  Type.Literal('turnLeft'),
  Type.Literal('turnRight'),
  Type.Literal('blink'),
  Type.Literal('nod'),
]);

/**
 * `liveness`: the active challenge and its thresholds. Every key overrides the liveness machine's
 * default (`DEFAULT_LIVENESS_PARAMS` in @kycd/state-machines, from shared/MODELS.md); omitted keys
 * keep it. Pass the section to `runLiveness({ params })`.
 */
export const LivenessConfigSchema = Type.Object(
  {
    challengeCount: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 10, description: 'Challenges per check (default 3).' }),
    ),
    challengePool: Type.Optional(
      Type.Array(Challenge, {
        minItems: 1,
        maxItems: 4,
        description: 'Challenges to draw from (default turnLeft, turnRight, blink).',
      }),
    ),
    challengeDeadlineMs: Type.Optional(
      Type.Integer({
        minimum: 1000,
        maximum: 60_000,
        description: 'Time per challenge (default 5000).',
      }),
    ),
    frontalMaxRollDeg: Type.Optional(
      Type.Number({
        minimum: 0,
        maximum: 90,
        description: 'Frontal gate for head tilt: |roll| above this is not frontal (default 15).',
      }),
    ),
    positioningDeadlineMs: Type.Optional(
      Type.Integer({
        minimum: 1000,
        maximum: 120_000,
        description: 'Time to reach a frontal pose (default 10000).',
      }),
    ),
    returnDeadlineMs: Type.Optional(
      Type.Integer({
        minimum: 500,
        maximum: 60_000,
        description: 'Time to face the camera again between challenges (default 3000).',
      }),
    ),
    turnMinYawDeg: Type.Optional(
      Type.Number({
        minimum: 5,
        maximum: 60,
        description: 'A turn needs |yaw| at least this (default 20).',
      }),
    ),
    minPlanarResidual: Type.Optional(
      Type.Number({
        minimum: 0,
        maximum: 1,
        description:
          'Homography residual ÷ IOD below which a turn is a flat picture (default 0.045, synthetic data: recalibrate on real heads).',
      }),
    ),
    sameFaceMinCosine: Type.Optional(
      Type.Number({
        minimum: -1,
        maximum: 1,
        description: 'Identity continuity: embedding cosine to the reference frame (default 0.35).',
      }),
    ),
    antiSpoofMinMean: Type.Optional(
      Type.Number({
        minimum: 0,
        maximum: 1,
        description: 'Mean passive p_live required (default 0.7).',
      }),
    ),
    maxRestarts: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: 10,
        description: 'Restarts after a lost face (default 1).',
      }),
    ),
  },
  { default: {}, additionalProperties: false },
);

export type LivenessConfig = Static<typeof LivenessConfigSchema>;
