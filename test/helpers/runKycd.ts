import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
/** The repository root: the CLI runs from its sources there, as `pnpm kycd` does. */
export const REPO_ROOT = join(import.meta.dirname, '..', '..');

/** What one `kycd …` run printed and how it exited. */
export interface KycdRun {
  readonly stdout: string;
  readonly stderr: string;
  readonly code: number;
}

/**
 * Run `kycd ARGS…` in a child process as store IT would (from the sources, through tsx), and
 * give back its output and exit code — a non-zero exit is a result, not an exception.
 */
export async function runKycd(args: readonly string[]): Promise<KycdRun> {
  try {
    const { stdout, stderr } = await run(
      process.execPath,
      ['--conditions=@kycd/source', '--import', 'tsx', 'daemon/src/cli/main.ts', ...args],
      { cwd: REPO_ROOT, timeout: 60_000, env: { ...process.env, NODE_OPTIONS: '' } },
    );
    return { stdout, stderr, code: 0 };
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string; code?: number };
    return { stdout: e.stdout ?? '', stderr: e.stderr ?? '', code: e.code ?? -1 };
  }
}

/** {@link runKycd} for commands that print one JSON document on stdout (`--json`, `document read`, …). */
export async function runKycdJson(
  args: readonly string[],
): Promise<KycdRun & { json: Record<string, unknown> }> {
  const result = await runKycd(args);
  try {
    return { ...result, json: JSON.parse(result.stdout) as Record<string, unknown> };
  } catch {
    throw new Error(
      `kycd ${args.join(' ')} exited ${result.code} without JSON on stdout; stderr:\n${result.stderr}`,
    );
  }
}
