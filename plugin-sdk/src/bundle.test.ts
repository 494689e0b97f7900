import { rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';

interface BundleModule {
  bundle(options: { write: boolean; outdir?: string }): Promise<Record<string, string>>;
}

describe('bundles (esbuild)', () => {
  it('builds ESM, CJS, browser ESM and an IIFE exposing Kycd; ws never reaches a browser build', async () => {
    // @ts-expect-error -- a plain .mjs build script without type declarations
    const { bundle } = (await import('../scripts/bundle.mjs')) as BundleModule;
    const out = await bundle({ write: false });
    expect(Object.keys(out).sort()).toEqual([
      'kycd.browser.mjs',
      'kycd.cjs',
      'kycd.iife.js',
      'kycd.mjs',
    ]);
    for (const file of ['kycd.browser.mjs', 'kycd.iife.js']) {
      expect(out[file]).not.toMatch(/require\(["']ws["']\)|from\s*["']ws["']|import\(["']ws["']\)/);
    }
    expect(out['kycd.cjs']).toMatch(/(import|require)\("ws"\)/); // Node builds load ws lazily

    // The IIFE runs in a bare browser-like context with only a WebSocket global.
    class FakeWebSocket {}
    const context: Record<string, unknown> = {
      WebSocket: FakeWebSocket,
      setTimeout,
      clearTimeout,
      queueMicrotask,
      console,
    };
    context['globalThis'] = context;
    runInNewContext(out['kycd.iife.js']!, context);
    const Kycd = context['Kycd'] as Record<string, unknown>;
    expect(typeof Kycd['KycdClient']).toBe('function');
    expect(Kycd['PROTOCOL']).toBe('kycd.v1');
    const parse = Kycd['parseClientFrame'] as (text: string) => { ok: boolean };
    expect(parse('{"id":1,"method":"hello","params":{"token":"t"}}').ok).toBe(true);
  });

  it('the CJS bundle loads with require()', async () => {
    const { bundle } = (await import(
      // @ts-expect-error -- a plain .mjs build script without type declarations
      '../scripts/bundle.mjs'
    )) as BundleModule;
    const out = await bundle({ write: false });
    // written inside the package so that its dependencies (typebox) resolve
    const file = join(import.meta.dirname, '..', `.bundle-test-${process.pid}.cjs`);
    writeFileSync(file, out['kycd.cjs']!);
    try {
      const sdk = createRequire(import.meta.url)(file) as {
        KycdClient: unknown;
        METHODS: Record<string, unknown>;
      };
      expect(typeof sdk.KycdClient).toBe('function');
      expect(Object.keys(sdk.METHODS)).toContain('session.resume');
    } finally {
      rmSync(file, { force: true });
    }
  });
});
