import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ModelError } from '../errors/ModelError.js';
import type { ModelManifestEntry } from '../manifest/ModelManifest.js';

/** sha256 of bytes, lower-case hex. */
export function sha256Hex(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/**
 * Read a model file from `modelsDir` and check its sha256 against the manifest entry. Rejects
 * with `model_file_missing` or `model_checksum_mismatch` naming the file and both checksums.
 */
export async function verifyModelFile(
  modelsDir: string,
  entry: ModelManifestEntry,
): Promise<Uint8Array> {
  const path = join(modelsDir, entry.file);
  let data: Uint8Array;
  try {
    data = await readFile(path);
  } catch (cause) {
    throw new ModelError(
      'model_file_missing',
      `model ${entry.id}: file ${path} is missing (run \`kycd models install\`)`,
      {
        data: { modelId: entry.id, file: path },
        cause,
      },
    );
  }
  const actual = sha256Hex(data);
  if (actual !== entry.sha256) {
    throw new ModelError(
      'model_checksum_mismatch',
      `model ${entry.id}: ${path} has sha256 ${actual}, the manifest expects ${entry.sha256} (altered or corrupt file; reinstall with \`kycd models install\`)`,
      {
        data: { modelId: entry.id, file: path, expected: entry.sha256, actual },
      },
    );
  }
  return data;
}
