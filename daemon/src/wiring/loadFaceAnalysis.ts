import { FaceAnalysis, readManifestFile } from '@kycd/models';
import type { FaceConfig } from '../config/sections/face.js';

/**
 * Load the face engine as the `face` config section says (models directory, manifest, threads,
 * detector score, quality thresholds, verification threshold). The one place the daemon, the
 * simulator and the `kycd face` CLI turn configuration into a {@link FaceAnalysis}.
 */
export async function loadFaceAnalysis(
  config: FaceConfig,
  overrides: { modelsDir?: string; verifyThreshold?: number } = {},
): Promise<FaceAnalysis> {
  const modelsDir = overrides.modelsDir ?? (config.modelsDir === '' ? undefined : config.modelsDir);
  return FaceAnalysis.load({
    ...(modelsDir === undefined ? {} : { modelsDir }),
    ...(config.manifestFile === ''
      ? {}
      : { manifest: await readManifestFile(config.manifestFile) }),
    intraOpNumThreads: config.intraOpNumThreads,
    embedderIntraOpNumThreads: config.embedderIntraOpNumThreads,
    detector: { scoreThreshold: config.detectionScoreThreshold },
    quality: config.quality,
    verifyThreshold: overrides.verifyThreshold ?? config.verifyThreshold,
  });
}
