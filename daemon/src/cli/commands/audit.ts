import { InvalidArgumentError, type Command } from 'commander';
import type { CliContext } from '../CliContext.js';
import { parseAuditWitness, type AuditWitness } from '../../store/AuditLog.js';
import { openStore } from '../../store/openStore.js';

/**
 * `kycd audit verify [--witness SEQ:HASH]... [--json]` checks the hash chain, `kycd audit head`
 * prints the head to write down elsewhere, `kycd audit list` prints the events.
 */
export function registerAuditCommand(program: Command, ctx: CliContext): void {
  const audit = program.command('audit').description('the hash-chained audit trail');
  audit
    .command('verify')
    .description(
      'recompute every hash and link; exit 1 and name the first bad row when the trail was tampered with',
    )
    .option(
      '--witness <seq:hash>',
      "a head written down outside this machine (`kycd audit head`, or a registration record's auditHead); repeatable",
      collectWitness,
      [] as AuditWitness[],
    )
    .option('--json', 'print {"ok", "rows", "firstBad"?, "headHash"}')
    .action((opts: { json?: boolean; witness: AuditWitness[] }, command: Command) => {
      const store = openStore({ dataDir: ctx.dataDir(command) });
      try {
        const result = store.audit.verify({ witnesses: opts.witness });
        if (opts.json === true)
          ctx.printJson(
            result.ok ? result : { ...result, code: 'registration_audit_chain_broken' },
          );
        else if (result.ok)
          process.stderr.write(
            `audit trail intact: ${result.rows} rows, head ${result.headHash}\n`,
          );
        else
          process.stderr.write(
            `audit trail BROKEN at row ${result.firstBad?.seq}: ${result.firstBad?.reason} [registration_audit_chain_broken]\n`,
          );
        if (!result.ok) process.exitCode = 1;
      } finally {
        store.close();
      }
    });
  audit
    .command('head')
    .description(
      'print the last row as SEQ:HASH, to keep outside this machine for `audit verify --witness`',
    )
    .option('--json', 'print {"seq", "hash"} (null on an empty trail)')
    .action((opts: { json?: boolean }, command: Command) => {
      const store = openStore({ dataDir: ctx.dataDir(command) });
      try {
        const head = store.audit.head();
        if (opts.json === true) ctx.printJson(head ?? null);
        else if (head === undefined) process.stderr.write('the audit trail is empty\n');
        else process.stdout.write(`${head.seq}:${head.hash}\n`);
      } finally {
        store.close();
      }
    });
  audit
    .command('list')
    .description('print audit events (JSON lines)')
    .option('--session <id>', 'only this session')
    .option('--limit <n>', 'at most n events', (v) => Number.parseInt(v, 10))
    .action((opts: { session?: string; limit?: number }, command: Command) => {
      const store = openStore({ dataDir: ctx.dataDir(command) });
      try {
        const events = store.audit.list({
          ...(opts.session === undefined ? {} : { sessionId: opts.session }),
          ...(opts.limit === undefined ? {} : { limit: opts.limit }),
        });
        for (const e of events) process.stdout.write(`${JSON.stringify(e)}\n`);
      } finally {
        store.close();
      }
    });
}

function collectWitness(value: string, previous: AuditWitness[]): AuditWitness[] {
  const witness = parseAuditWitness(value);
  if (witness === undefined)
    throw new InvalidArgumentError(
      'a witness is SEQ:HASH, a row number and its 64-hex SHA-256 (as `kycd audit head` prints it)',
    );
  return [...previous, witness];
}
