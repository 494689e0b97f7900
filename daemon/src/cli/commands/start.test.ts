import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../config/loadConfig.js';
import { ConfigError } from '../../errors/ConfigError.js';
import { startMode } from './start.js';

describe('startMode', () => {
  it('runs the simulator only with --sim', () => {
    expect(startMode(parseConfig({}), true, undefined)).toBe('simulator');
    expect(startMode(parseConfig({ mode: 'production' }), true, undefined)).toBe('simulator');
    expect(startMode(parseConfig({}), false, undefined)).toBe('production');
  });

  it('refuses a configuration file that asks for the simulator, naming the key', () => {
    const attempt = (): unknown =>
      startMode(parseConfig({ mode: 'simulator' }), false, '/etc/kycd/kycd.yaml');
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(
      /^\/etc\/kycd\/kycd\.yaml: key "mode": "simulator" can only be selected with `kycd start --sim`/,
    );
  });
});
