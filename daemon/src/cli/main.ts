#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { ConfigError } from '../errors/ConfigError.js';
import { createCliContext } from './CliContext.js';
import { registerCommands } from './registerCommands.js';
import { DAEMON_VERSION } from '../version.js';

/** `kycd`: the daemon and its administration commands. */
async function main(argv: readonly string[]): Promise<void> {
  const program = new Command('kycd')
    .description('kycd: identity-verification daemon for phone shops')
    .version(DAEMON_VERSION, '-V, --version-flag', 'print the version')
    .option('--data-dir <dir>', 'data directory (default: $KYCD_DATA_DIR or ~/.local/share/kycd)')
    .option('--config <file>', 'configuration file, YAML or JSON (default: $KYCD_CONFIG)')
    .showHelpAfterError()
    .exitOverride();
  registerCommands(program, createCliContext());
  await program.parseAsync(argv as string[], { from: 'node' });
}

main(process.argv).catch((err: unknown) => {
  if (err instanceof CommanderError) {
    process.exitCode = err.exitCode;
    return;
  }
  if (err instanceof ConfigError) {
    process.stderr.write(`kycd: ${err.message}\n`);
    process.exitCode = 78;
    return;
  }
  const code = typeof err === 'object' && err !== null && 'code' in err ? ` [${String(err.code)}]` : '';
  process.stderr.write(`kycd: ${err instanceof Error ? err.message : String(err)}${code}\n`);
  process.exitCode = 1;
});
