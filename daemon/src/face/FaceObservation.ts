import type { QualityCode } from '@kycd/models';

/**
 * What the liveness rules see of one frame (the `FRAME.OBSERVED` payload of the liveness
 * machine): numbers only, never pixels.
 */
export interface FaceObservation {
  readonly timestampMs: number;
  /** Faces of comparable size in view (0 = none). */
  readonly faceCount: number;
  /** Id of the tracked primary face; changes when a different face takes its place. */
  readonly trackId?: number;
  readonly yaw: number;
  readonly pitch: number;
  readonly roll: number;
  /** p_closed of the eye on the image's left / right. */
  readonly leftEyeClosed: number;
  readonly rightEyeClosed: number;
  /** Passive anti-spoof p_live of this frame. */
  readonly spoofScore: number;
  readonly quality: { readonly ok: boolean; readonly codes: readonly QualityCode[] };
  /** Homography residual ÷ IOD against the frontal reference (turned frames only). */
  readonly planarResidual?: number;
  /** Identity continuity against the reference frontal frame (frames where it was checked). */
  readonly sameAsReference?: boolean;
}
