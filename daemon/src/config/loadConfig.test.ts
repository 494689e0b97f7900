import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors/ConfigError.js';
import { loadConfig, parseConfig } from './loadConfig.js';

describe('parseConfig', () => {
  it('fills every default from an empty file', () => {
    const config = parseConfig({});
    expect(config.server).toMatchObject({ host: '127.0.0.1', port: 7450 });
    expect(config.session.faceAttempts).toBe(3);
  });

  it('names the key and the problem of a wrong type', () => {
    expect(() => parseConfig({ server: { port: 'eighty' } }, 'kycd.yaml')).toThrow(
      /kycd\.yaml: key "server\.port".*integer.*"eighty"/,
    );
  });

  it('refuses unknown keys so that typos never fall back to defaults', () => {
    try {
      parseConfig({ server: { prot: 8080 } });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as ConfigError).message).toMatch(/server/);
    }
  });

  it('refuses out-of-range values', () => {
    expect(() => parseConfig({ server: { port: 70000 } })).toThrow(/server\.port/);
  });

  it('refuses a non-mapping document', () => {
    expect(() => parseConfig([1, 2])).toThrow(ConfigError);
  });
});

describe('loadConfig', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kycd-config-'));

  it('reads YAML', async () => {
    const file = join(dir, 'a.yaml');
    writeFileSync(file, 'server:\n  port: 9000\n');
    expect((await loadConfig(file)).server.port).toBe(9000);
  });

  it('reads JSON', async () => {
    const file = join(dir, 'a.json');
    writeFileSync(file, '{"server":{"host":"localhost"}}');
    expect((await loadConfig(file)).server.host).toBe('localhost');
  });

  it('reports broken YAML and missing files as ConfigError', async () => {
    const file = join(dir, 'b.yaml');
    writeFileSync(file, 'server: [\n');
    await expect(loadConfig(file)).rejects.toThrow(/not valid YAML/);
    await expect(loadConfig(join(dir, 'missing.yaml'))).rejects.toThrow(/file not found/);
  });
});
