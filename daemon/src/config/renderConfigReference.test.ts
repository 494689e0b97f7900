import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { renderConfigReference } from './renderConfigReference.js';

describe('docs/configuration.md', () => {
  it('is generated from the schema and up to date (run `pnpm docs:config`)', () => {
    const file = fileURLToPath(new URL('../../../docs/configuration.md', import.meta.url));
    expect(readFileSync(file, 'utf8')).toBe(renderConfigReference());
  });

  it('lists every section key with its default', () => {
    const text = renderConfigReference();
    expect(text).toContain('| `server.port` | integer (0…65535) | `7450` |');
    expect(text).toContain('`session.faceAttempts`');
  });
});
