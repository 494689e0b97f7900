import type { FaceAnalysis } from '@kycd/models';
import { createModelsFaceLandmarker } from './createModelsFaceLandmarker.js';
import { loadSampleFacePhoto } from './loadSampleFacePhoto.js';
import { prepareSimFace, type SimFace } from './SimFace.js';

const cache = new WeakMap<FaceAnalysis, Map<string, Promise<SimFace>>>();

/**
 * Load a sample face photo (see `SAMPLE_FACE_PHOTOS`) ready for the {@link SimulatedCamera}.
 * Prepared faces are cached per FaceAnalysis instance.
 */
export function loadSimFace(id: string, analysis: FaceAnalysis): Promise<SimFace> {
  const perAnalysis = cache.get(analysis) ?? new Map<string, Promise<SimFace>>();
  cache.set(analysis, perAnalysis);
  let face = perAnalysis.get(id);
  if (face === undefined) {
    face = loadSampleFacePhoto(id).then((scene) =>
      prepareSimFace(id, scene, createModelsFaceLandmarker(analysis)),
    );
    face.catch(() => perAnalysis.delete(id));
    perAnalysis.set(id, face);
  }
  return face;
}
