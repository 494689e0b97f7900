import { readFile } from 'node:fs/promises';
import { ModelError } from '../errors/ModelError.js';
import type { ModelManifest } from './ModelManifest.js';
import { parseManifest } from './parseManifest.js';

/** Read and validate a JSON manifest file (see {@link parseManifest}); rejects `model_manifest_invalid`. */
export async function readManifestFile(path: string): Promise<ModelManifest> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    throw new ModelError('model_manifest_invalid', `manifest: cannot read ${path}`, { cause });
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (cause) {
    throw new ModelError('model_manifest_invalid', `manifest: ${path} is not valid JSON`, {
      cause,
    });
  }
  try {
    return parseManifest(raw);
  } catch (err) {
    if (err instanceof ModelError)
      throw new ModelError('model_manifest_invalid', `${err.message} (in ${path})`, { cause: err });
    throw err;
  }
}
