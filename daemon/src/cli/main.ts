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
  // One-shot commands end the process when their action is done, even if a native library
  // (pcsclite, libusb) still holds a handle; `start` runs until a signal stops it.
  let oneShot = false;
  program.hook('postAction', (_program, action) => {
    oneShot = action.name() !== 'start';
  });
  const ctx = createCliContext();
  // Every command validates --config / $KYCD_CONFIG before it runs (a bad file exits 78 naming
  // the key), whether or not it reads a key of it.
  program.hook('preAction', async (_program, action) => {
    await ctx.config(action);
  });
  registerCommands(program, ctx);
  await program.parseAsync(argv as string[], { from: 'node' });
  if (oneShot) process.exit(process.exitCode ?? 0);
}

main(process.argv).catch((err: unknown) => {
  if (err instanceof CommanderError) process.exit(err.exitCode);
  if (err instanceof ConfigError) {
    process.stderr.write(`kycd: ${err.message}\n`);
    process.exit(78);
  }
  const code =
    typeof err === 'object' && err !== null && 'code' in err ? ` [${String(err.code)}]` : '';
  process.stderr.write(`kycd: ${err instanceof Error ? err.message : String(err)}${code}\n`);
  process.exit(1);
});
