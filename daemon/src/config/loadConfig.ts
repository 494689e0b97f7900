import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { Value } from '@sinclair/typebox/value';
import { parse as parseYaml } from 'yaml';
import { ConfigError } from '../errors/ConfigError.js';
import { KycdConfigSchema, type KycdConfig } from './KycdConfig.js';

/**
 * Validate a parsed configuration object and fill in defaults.
 * @throws {ConfigError} naming the first offending key and what is wrong with it.
 */
export function parseConfig(raw: unknown, file?: string): KycdConfig {
  const input: unknown = raw ?? {};
  if (typeof input !== 'object' || Array.isArray(input)) {
    throw new ConfigError(
      `${where(file)}: the configuration must be a mapping of keys to values`,
      '',
      file,
    );
  }
  const withDefaults = Value.Default(KycdConfigSchema, structuredClone(input));
  const first = Value.Errors(KycdConfigSchema, withDefaults).First();
  if (first !== undefined) {
    const key =
      first.path === '' ? '(top level)' : first.path.replace(/^\//, '').replaceAll('/', '.');
    const detail = first.schema.description ? ` (${first.schema.description})` : '';
    const got = first.value === undefined ? '' : ` — got ${JSON.stringify(first.value)}`;
    throw new ConfigError(
      `${where(file)}: key "${key}": ${first.message}${got}${detail}`,
      first.path,
      file,
    );
  }
  return withDefaults as KycdConfig;
}

/**
 * Read a YAML or JSON configuration file (JSON when it ends in `.json`), or the defaults when
 * `file` is undefined.
 * @throws {ConfigError} when the file is missing, unparsable or invalid.
 */
export async function loadConfig(file: string | undefined): Promise<KycdConfig> {
  if (file === undefined) return parseConfig({});
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (cause) {
    const reason =
      (cause as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : String(cause);
    throw new ConfigError(`${file}: cannot read the configuration: ${reason}`, '', file);
  }
  let raw: unknown;
  try {
    raw = extname(file) === '.json' ? JSON.parse(text) : parseYaml(text);
  } catch (cause) {
    throw new ConfigError(
      `${file}: not valid ${extname(file) === '.json' ? 'JSON' : 'YAML'}: ${(cause as Error).message}`,
      '',
      file,
    );
  }
  return parseConfig(raw, file);
}

function where(file: string | undefined): string {
  return file ?? 'configuration';
}
