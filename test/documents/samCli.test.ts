/** `kycd sam read|status` as store IT runs it: JSON on stdout, errors as `{error}` with exit code 1. */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = resolve(import.meta.dirname, '../..');

async function kycd(args: string[]): Promise<{ code: number; json: Record<string, unknown> }> {
  let code = 0;
  let stdout = '';
  let stderr = '';
  try {
    ({ stdout, stderr } = await run(
      process.execPath,
      ['--conditions=@kycd/source', '--import', 'tsx', 'daemon/src/cli/main.ts', ...args],
      { cwd: root, timeout: 60_000 },
    ));
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    code = e.code ?? -1;
    stdout = e.stdout ?? '';
    stderr = e.stderr ?? '';
  }
  try {
    return { code, json: JSON.parse(stdout) as Record<string, unknown> };
  } catch {
    throw new Error(
      `kycd ${args.join(' ')} exited ${code} without JSON on stdout; stderr:\n${stderr}`,
    );
  }
}

describe('kycd sam', () => {
  it('read --sim reads the synthetic card through a pty and writes the photo', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kycd-sam-cli-'));
    try {
      const out = join(dir, 'photo.png');
      const { code, json } = await kycd(['sam', 'read', '--sim', '--photo-out', out]);
      expect(code).toBe(0);
      expect(json).toMatchObject({
        type: 'cn-resident-id',
        fields: { documentNumber: '11010519491231002X' },
        photo: { width: 102, height: 126 },
        authenticity: { genuine: true },
      });
      const png = await readFile(out);
      expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('a missing reader prints document_reader_unavailable and exits 1', async () => {
    const { code, json } = await kycd(['sam', 'read', '--device', '/dev/kycd-no-such-reader']);
    expect(code).toBe(1);
    expect(json).toMatchObject({ error: { code: 'document_reader_unavailable' } });
  });
});
