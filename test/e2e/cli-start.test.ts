/**
 * `kycd start` as store IT runs it: prints where it listens and a development token, serves
 * POS clients, refuses a bad configuration with a message naming the key, and on SIGTERM closes
 * every socket with 1001 and exits 0. Beside it, the one-shot commands as they are run against
 * it: pair / tokens revoke from another process, version and doctor, every one honouring --config.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { RawClient } from '../helpers/RawClient.js';

const root = join(import.meta.dirname, '..', '..');
const dataDir = mkdtempSync(join(tmpdir(), 'kycd-cli-start-'));

function kycd(args: string[]): ChildProcess {
  return spawn(
    process.execPath,
    ['--conditions=@kycd/source', '--import', 'tsx', 'daemon/src/cli/main.ts', ...args],
    {
      cwd: root,
      env: { ...process.env, KYCD_DATA_DIR: dataDir, NODE_OPTIONS: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
}

function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

/** Run a one-shot command to its end: exit code, stdout, stderr. */
async function run(args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  const child = kycd(args);
  let out = '';
  let err = '';
  child.stdout!.on('data', (d) => (out += String(d)));
  child.stderr!.on('data', (d) => (err += String(d)));
  const code = await exited(child);
  return { code, out, err };
}

afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('kycd start', () => {
  it('starts the simulator daemon, serves a POS, and shuts down cleanly on SIGTERM', async () => {
    const child = kycd(['start', '--sim', '--port', '0']);
    let out = '';
    child.stdout!.on('data', (d) => (out += String(d)));
    const stderr: string[] = [];
    child.stderr!.on('data', (d) => stderr.push(String(d)));
    const t0 = Date.now();
    while (!/Press Ctrl-C/.test(out)) {
      if (Date.now() - t0 > 60_000 || child.exitCode !== null)
        throw new Error(`kycd start did not come up:\n${out}\n${stderr.join('')}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const url = /listening on (ws:\/\/\S+)/.exec(out)?.[1];
    const token = /pairing token[^:]*: (\S+)/.exec(out)?.[1];
    expect(url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/v1$/);
    expect(token).toBeDefined();

    const client = await RawClient.hello(url!, token!);
    const devices = (await client.request('devices.list', {})).result as {
      devices: { id: string; simulated: boolean }[];
    };
    expect(devices.devices.map((d) => d.id).sort()).toEqual([
      'sim-camera',
      'sim-emrtd-reader',
      'sim-sam-reader',
    ]);
    expect(devices.devices.every((d) => d.simulated)).toBe(true);

    // Pair a till from another process; revoking the development terminal from another process
    // ends its live connection (1008), not the till's.
    const paired = await run(['pair', '--name', 'till-2', '--json']);
    expect(paired.code).toBe(0);
    const till = await RawClient.hello(url!, (JSON.parse(paired.out) as { token: string }).token);
    const revoked = await run(['tokens', 'revoke', 'simulator-dev', '--json']);
    expect(JSON.parse(revoked.out)).toEqual({ revoked: true });
    expect(await client.waitClose()).toEqual({ code: 1008, reason: 'terminal revoked' });
    expect((await till.request('devices.list', {})).result).toBeDefined();

    const exit = exited(child);
    child.kill('SIGTERM');
    expect((await till.waitClose()).code).toBe(1001);
    expect(await exit).toBe(0);
  }, 90_000);

  it('every command honours --config: a bad file is exit 78 naming the key, whatever the command', async () => {
    const file = join(dataDir, 'bad-everywhere.yaml');
    writeFileSync(file, 'session:\n  expireAfterMs: soon\n');
    for (const args of [
      ['version', '--json'],
      ['pair', '--name', 'till-x'],
      ['tokens', 'list'],
      ['tokens', 'revoke', 'till-x'],
      ['doctor', '--json'],
    ]) {
      const result = await run(['--config', file, ...args]);
      expect(result.code, args.join(' ')).toBe(78);
      expect(result.err, args.join(' ')).toMatch(/key "session\.expireAfterMs"/);
      expect(result.out, args.join(' ')).toBe('');
    }
    // A missing file is an error too.
    expect((await run(['--config', join(dataDir, 'missing.yaml'), 'tokens', 'list'])).code).toBe(
      78,
    );
  }, 120_000);

  it('kycd version --json prints the daemon and protocol versions', async () => {
    const result = await run(['version', '--json']);
    expect(result.code).toBe(0);
    const info = JSON.parse(result.out) as Record<string, unknown>;
    expect(info).toEqual({
      daemonVersion: expect.stringMatching(/^\d+\.\d+\.\d+/),
      protocol: 'kycd.v1',
      node: process.versions.node,
    });
  }, 60_000);

  it('kycd doctor --json reports each check against the configured installation, exit 1 only on a failed check', async () => {
    const file = join(dataDir, 'doctor.yaml');
    writeFileSync(file, 'server:\n  port: 7931\n');
    const result = await run(['--config', file, 'doctor', '--json']);
    const report = JSON.parse(result.out) as {
      ok: boolean;
      checks: Array<{ name: string; status: string; detail: string; fix?: string }>;
    };
    expect(result.code).toBe(report.ok ? 0 : 1);
    expect(report.ok).toBe(report.checks.every((c) => c.status !== 'fail'));
    for (const c of report.checks) expect(['ok', 'warn', 'fail']).toContain(c.status);
    expect(report.checks.map((c) => c.name)).toEqual(
      expect.arrayContaining(['store', 'api port', 'models']),
    );
    // The port check looks where the configuration says the daemon listens.
    expect(report.checks.find((c) => c.name === 'api port')?.detail).toContain('7931');
  }, 60_000);

  it('refuses a bad configuration file with the key and the problem, exit 78', async () => {
    const file = join(dataDir, 'bad.yaml');
    writeFileSync(file, 'server:\n  port: "eighty"\n');
    const child = kycd(['start', '--sim', '--config', file]);
    let err = '';
    child.stderr!.on('data', (d) => (err += String(d)));
    expect(await exited(child)).toBe(78);
    expect(err).toMatch(/key "server\.port"/);
  }, 60_000);

  it('refuses `mode: simulator` from a configuration file without --sim (only --sim feeds synthetic frames), exit 78', async () => {
    const file = join(dataDir, 'sim-by-file.yaml');
    writeFileSync(file, 'mode: simulator\n');
    const child = kycd(['start', '--config', file, '--port', '0']);
    let err = '';
    child.stderr!.on('data', (d) => (err += String(d)));
    expect(await exited(child)).toBe(78);
    expect(err).toMatch(/key "mode": "simulator" can only be selected with `kycd start --sim`/);
  }, 60_000);

  it('refuses production mode without the camera pin serial, exit 78', async () => {
    const file = join(dataDir, 'no-serial.yaml');
    writeFileSync(file, 'camera:\n  pin:\n    vendorId: "046d"\n    productId: "085b"\n');
    const child = kycd(['start', '--config', file, '--port', '0']);
    let err = '';
    child.stderr!.on('data', (d) => (err += String(d)));
    expect(await exited(child)).toBe(78);
    expect(err).toMatch(/key "camera\.pin\.serial"/);
  }, 60_000);
});
