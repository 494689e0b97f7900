import type { Command } from 'commander';
import type { CliContext } from '../CliContext.js';
import { openStore } from '../../store/openStore.js';

/**
 * `kycd pair --name NAME [--json]` issues a POS terminal token (shown once);
 * `kycd tokens list [--json]` and `kycd tokens revoke <id|name>` manage them. They open the
 * store directly, so they work while the daemon runs (SQLite serialises the writes).
 */
export function registerTokensCommand(program: Command, ctx: CliContext): void {
  program
    .command('pair')
    .description('pair a POS terminal: prints its bearer token once (only a hash is kept)')
    .requiredOption('--name <name>', 'terminal name, unique among active terminals')
    .option('--json', 'print {"token", "terminalId", "name"} as JSON')
    .action((opts: { name: string; json?: boolean }, command: Command) => {
      const store = openStore({ dataDir: ctx.dataDir(command) });
      try {
        const paired = store.terminals.pair(opts.name);
        store.audit.append({
          kind: 'terminal.paired',
          actor: 'cli',
          data: { terminalId: paired.terminalId, name: paired.name },
        });
        if (opts.json === true) {
          ctx.printJson({ token: paired.token, terminalId: paired.terminalId, name: paired.name });
        } else {
          process.stderr.write(
            `paired terminal "${paired.name}" (${paired.terminalId}); the token is shown only this once:\n`,
          );
          process.stdout.write(`${paired.token}\n`);
        }
      } finally {
        store.close();
      }
    });

  const tokens = program.command('tokens').description('list and revoke paired POS terminals');
  tokens
    .command('list')
    .description('list paired terminals (tokens are never shown again)')
    .option('--json', 'print JSON')
    .action((opts: { json?: boolean }, command: Command) => {
      const store = openStore({ dataDir: ctx.dataDir(command) });
      try {
        const list = store.terminals.list();
        if (opts.json === true) {
          ctx.printJson(list);
          return;
        }
        if (list.length === 0)
          process.stderr.write('no terminals paired; use `kycd pair --name NAME`\n');
        for (const t of list) {
          const status = t.revokedAt === undefined ? 'active' : `revoked ${t.revokedAt}`;
          process.stdout.write(
            `${t.id}  ${t.name}  created ${t.createdAt}  last seen ${t.lastSeenAt ?? 'never'}  ${status}\n`,
          );
        }
      } finally {
        store.close();
      }
    });
  tokens
    .command('revoke')
    .description('revoke a terminal by id or name; its token stops working at once')
    .argument('<idOrName>', 'terminal id or the name of an active terminal')
    .option('--json', 'print {"revoked": boolean}')
    .action((idOrName: string, opts: { json?: boolean }, command: Command) => {
      const store = openStore({ dataDir: ctx.dataDir(command) });
      try {
        const revoked = store.transaction('revoke terminal', () => {
          const ok = store.terminals.revoke(idOrName);
          if (ok)
            store.audit.append({
              kind: 'terminal.revoked',
              actor: 'cli',
              data: { terminal: idOrName },
            });
          return ok;
        });
        if (opts.json === true) ctx.printJson({ revoked });
        else
          process.stderr.write(
            revoked ? `revoked ${idOrName}\n` : `no active terminal matches ${idOrName}\n`,
          );
        if (!revoked) process.exitCode = 1;
      } finally {
        store.close();
      }
    });
}
