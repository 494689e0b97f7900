/**
 * `kycd start` as store IT runs it: prints where it listens and a development token, serves
 * POS clients, refuses a bad configuration with a message naming the key, and on SIGTERM closes
 * every socket with 1001 and exits 0.
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

    const exit = exited(child);
    child.kill('SIGTERM');
    expect((await client.waitClose()).code).toBe(1001);
    expect(await exit).toBe(0);
  }, 90_000);

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
