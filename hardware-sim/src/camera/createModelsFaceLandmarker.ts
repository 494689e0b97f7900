import type { FaceAnalysis } from '@kycd/models';
import type { FaceLandmarker } from './SimFace.js';

/**
 * The real {@link FaceLandmarker}: `@kycd/models`' FaceAnalysis finds the largest face, its 68
 * landmarks and its head pose.
 */
export function createModelsFaceLandmarker(analysis: FaceAnalysis): FaceLandmarker {
  return async (image) => {
    const [face] = await analysis.analyze(image);
    if (face?.landmarks === undefined || face.pose === undefined) return undefined;
    return {
      landmarks: face.landmarks.map((p) => [p.x, p.y] as const),
      yawDeg: face.pose.yaw,
      pitchDeg: face.pose.pitch,
    };
  };
}
