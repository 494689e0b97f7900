import { defineConfig } from 'vitest/config';

// Workspace packages export their TypeScript sources under the "@kycd/source" condition, so
// tests always run the code in the tree, never a stale dist/.
const conditions = ['@kycd/source', 'node', 'import', 'module', 'default'];

/**
 * Test files that drive the one machine-wide pcscd through its vpcd slots. They run one after
 * another (beside everything else): two files talking to pcscd at once can reach each other's
 * virtual card.
 */
const PCSC_TESTS = [
  'test/documents/emrtd.test.ts',
  'test/documents/emrtdSimFaults.e2e.test.ts',
  'test/documents/vpcdSmoke.test.ts',
  'test/e2e/simulated-session.test.ts',
];

const shared = {
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: ['@kycd/source'] } },
};

export default defineConfig({
  ...shared,
  test: {
    pool: 'forks',
    testTimeout: 20_000,
    hookTimeout: 60_000,
    globalSetup: ['test/setup/global.ts'],
    projects: [
      {
        ...shared,
        test: {
          name: 'unit',
          include: ['*/src/**/*.test.ts', 'test/**/*.test.ts', 'scripts/**/*.test.ts'],
          exclude: ['**/node_modules/**', '**/dist/**', ...PCSC_TESTS],
          pool: 'forks',
          testTimeout: 20_000,
          hookTimeout: 60_000,
        },
      },
      {
        ...shared,
        test: {
          name: 'pcsc',
          include: PCSC_TESTS,
          pool: 'forks',
          poolOptions: { forks: { singleFork: true } },
          testTimeout: 20_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
