import { defineConfig } from 'vitest/config';

// Workspace packages export their TypeScript sources under the "@kycd/source" condition, so
// tests always run the code in the tree, never a stale dist/.
const conditions = ['@kycd/source', 'node', 'import', 'module', 'default'];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: ['@kycd/source'] } },
  test: {
    include: ['*/src/**/*.test.ts', 'test/**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/dist/**'],
    pool: 'forks',
    testTimeout: 20_000,
    hookTimeout: 60_000,
    globalSetup: ['test/setup/global.ts'],
  },
});
