import type { Command } from 'commander';
import type { CliContext } from '../CliContext.js';
import { TerminalSigningKey } from '../../registration/TerminalSigningKey.js';

/** `kycd keys show [--json]`: the terminal's Ed25519 public key, for the carrier to pin. */
export function registerKeysCommand(program: Command, ctx: CliContext): void {
  const keys = program
    .command('keys')
    .description('the terminal signing key (Ed25519) that signs registrations');
  keys
    .command('show')
    .description(
      'print the public key (generated at first use; the private key stays in the data directory, mode 0600)',
    )
    .option('--json', 'print {"keyId", "algorithm", "publicKeyPem", "publicKeyBase64url"}')
    .action((opts: { json?: boolean }, command: Command) => {
      const key = TerminalSigningKey.loadOrCreate(ctx.dataDir(command));
      if (opts.json === true) {
        ctx.printJson({
          keyId: key.keyId,
          algorithm: 'ed25519',
          publicKeyPem: key.publicKeyPem,
          publicKeyBase64url: key.publicKeyRaw.toString('base64url'),
        });
        return;
      }
      process.stderr.write(
        `terminal signing key ${key.keyId} (Ed25519); give the carrier this public key:\n`,
      );
      process.stdout.write(key.publicKeyPem);
    });
}
