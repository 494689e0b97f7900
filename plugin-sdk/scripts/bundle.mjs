/* global process, console */
// Builds the distributable bundles of @kycd/plugin-sdk with esbuild:
//   bundle/kycd.mjs          ESM for Node (ws and typebox stay external dependencies)
//   bundle/kycd.cjs          CommonJS for Node (same)
//   bundle/kycd.browser.mjs  ESM for browsers and bundlers (global WebSocket, typebox inlined, no ws)
//   bundle/kycd.iife.js      <script> tag build exposing the global `Kycd`
// Run: pnpm --filter @kycd/plugin-sdk run bundle
import { build } from 'esbuild';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const entry = join(root, 'src/index.ts');

/** Swaps the Node WebSocket loader (which imports `ws`) for the browser one. */
const browserWebSocket = {
  name: 'kycd-browser-websocket',
  setup(b) {
    b.onResolve({ filter: /\/defaultWebSocket\.js$/ }, (args) => ({
      path: join(args.resolveDir, 'defaultWebSocket.browser.ts'),
    }));
    b.onResolve({ filter: /^ws$/ }, () => ({
      errors: [{ text: 'ws must not reach a browser bundle' }],
    }));
  },
};

/** The bundle configurations, by output file name. */
export const BUNDLES = {
  'kycd.mjs': { format: 'esm', platform: 'node', external: ['ws', '@sinclair/typebox'] },
  'kycd.cjs': { format: 'cjs', platform: 'node', external: ['ws', '@sinclair/typebox'] },
  'kycd.browser.mjs': { format: 'esm', platform: 'browser', plugins: [browserWebSocket] },
  'kycd.iife.js': {
    format: 'iife',
    platform: 'browser',
    globalName: 'Kycd',
    plugins: [browserWebSocket],
  },
};

/**
 * Build every bundle. With `write: false` returns the output text by file name (for tests).
 * @param {{ write?: boolean, outdir?: string, minify?: boolean }} [options]
 * @returns {Promise<Record<string, string>>}
 */
export async function bundle(options = {}) {
  const outdir = options.outdir ?? join(root, 'bundle');
  const write = options.write ?? true;
  const out = {};
  await Promise.all(
    Object.entries(BUNDLES).map(async ([file, config]) => {
      const result = await build({
        entryPoints: [entry],
        outfile: join(outdir, file),
        bundle: true,
        target: config.platform === 'node' ? 'node20' : 'es2022',
        sourcemap: write,
        minify: options.minify ?? config.platform === 'browser',
        legalComments: 'inline',
        logLevel: 'warning',
        write,
        ...config,
      });
      if (!write) {
        const main = result.outputFiles.find((f) => f.path.endsWith(file));
        out[file] = main?.text ?? '';
      }
    }),
  );
  return out;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await bundle();
  console.error(`bundles written to ${join(root, 'bundle')}: ${Object.keys(BUNDLES).join(', ')}`);
}
