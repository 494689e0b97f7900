import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import type { KycdConfig } from '../config/KycdConfig.js';
import { loadConfig } from '../config/loadConfig.js';

/** Options every `kycd` command accepts. */
export interface GlobalOptions {
  dataDir?: string;
  config?: string;
}

/**
 * What a command needs from the CLI: resolved paths, the validated configuration and output
 * helpers. Commands register themselves with `register<Name>Command(program, ctx)`.
 */
export interface CliContext {
  /** The data directory: `--data-dir`, else `$KYCD_DATA_DIR`, else `~/.local/share/kycd`. */
  dataDir(command: Command): string;
  /** The configuration file path (`--config`, else `$KYCD_CONFIG`), if any. */
  configPath(command: Command): string | undefined;
  /**
   * Load and validate the configuration (defaults when there is no file). Loaded once per
   * process and path: the CLI validates it before every command runs, so a bad file is an error
   * for every command, not only for those that read a key.
   */
  config(command: Command): Promise<KycdConfig>;
  /** Print one JSON document on stdout. */
  printJson(value: unknown): void;
}

/** Default data directory: XDG data home, else `~/.local/share/kycd`. */
export function defaultDataDir(): string {
  const xdg = process.env.XDG_DATA_HOME;
  return join(xdg !== undefined && xdg !== '' ? xdg : join(homedir(), '.local', 'share'), 'kycd');
}

/** The process-wide CLI context. */
export function createCliContext(): CliContext {
  const globals = (command: Command): GlobalOptions => command.optsWithGlobals<GlobalOptions>();
  const configPath = (command: Command): string | undefined =>
    globals(command).config ?? process.env.KYCD_CONFIG;
  const loaded = new Map<string | undefined, Promise<KycdConfig>>();
  return {
    dataDir: (command) =>
      resolve(globals(command).dataDir ?? process.env.KYCD_DATA_DIR ?? defaultDataDir()),
    configPath,
    config: (command) => {
      const path = configPath(command);
      let config = loaded.get(path);
      if (config === undefined) {
        config = loadConfig(path);
        loaded.set(path, config);
      }
      return config;
    },
    printJson: (value) => process.stdout.write(`${JSON.stringify(value, null, 2)}\n`),
  };
}
