import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The models directory: `explicit` (e.g. the `face.modelsDir` config key) when given, else
 * `$KYCD_MODELS_DIR`, else `models/.models/` of this checkout (gitignored).
 */
export function resolveModelsDir(explicit?: string): string {
  if (explicit !== undefined && explicit !== '') return resolve(explicit);
  const env = process.env.KYCD_MODELS_DIR;
  if (env !== undefined && env !== '') return resolve(env);
  // This file sits at models/src/install/ (sources) or models/dist/install/ (build).
  return join(dirname(fileURLToPath(import.meta.url)), '..', '..', '.models');
}
