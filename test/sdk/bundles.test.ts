import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { scriptedWiring } from '../helpers/scriptedWiring.js';
import { startTestDaemon, type TestDaemon } from '../helpers/startTestDaemon.js';

/** The shape of the SDK that this test uses from each bundle (loaded untyped at run time). */
interface SdkBundle {
  KycdClient: new (options: { url: string; token: string; reconnect?: false }) => {
    connect(): Promise<{ protocol: string }>;
    startSession(
      params: unknown,
    ): Promise<{ id: string; cancel(): Promise<unknown>; completed: Promise<unknown> }>;
    close(): void;
  };
}

const sdkDir = join(import.meta.dirname, '..', '..', 'plugin-sdk');
const outDir = join(sdkDir, `.bundle-e2e-${process.pid}`);

async function drive(sdk: SdkBundle, d: TestDaemon): Promise<string> {
  const client = new sdk.KycdClient({ url: d.url, token: d.token, reconnect: false });
  try {
    const hello = await client.connect();
    const session = await client.startSession({
      consent: { accepted: true, textVersion: '2026-01' },
    });
    await session.cancel();
    const code = await session.completed.then(
      () => 'completed',
      (err: { code: string }) => err.code,
    );
    return `${hello.protocol}:${code}`;
  } finally {
    client.close();
  }
}

describe('the built bundles against the real daemon', () => {
  let d: TestDaemon;
  let files: Record<string, string>;
  beforeAll(async () => {
    d = await startTestDaemon({ wiring: scriptedWiring() });
    // @ts-expect-error -- a plain .mjs build script without type declarations
    const { bundle } = (await import('../../plugin-sdk/scripts/bundle.mjs')) as {
      bundle(o: { write: boolean }): Promise<Record<string, string>>;
    };
    files = await bundle({ write: false });
    // inside the package, so that the Node bundles resolve their dependencies (ws, typebox)
    mkdirSync(outDir, { recursive: true });
    for (const [name, text] of Object.entries(files)) writeFileSync(join(outDir, name), text);
  });
  afterAll(async () => {
    rmSync(outDir, { recursive: true, force: true });
    await d.close();
  });

  it('ESM (Node) runs a session', async () => {
    const sdk = (await import(pathToFileURL(join(outDir, 'kycd.mjs')).href)) as SdkBundle;
    expect(await drive(sdk, d)).toBe('kycd.v1:session_cancelled');
  });

  it('CJS (Node) runs a session', async () => {
    const sdk = createRequire(import.meta.url)(join(outDir, 'kycd.cjs')) as SdkBundle;
    expect(await drive(sdk, d)).toBe('kycd.v1:session_cancelled');
  });

  it('browser ESM runs a session with only a global WebSocket', async () => {
    const g = globalThis as { WebSocket?: unknown };
    const before = g.WebSocket;
    g.WebSocket = WebSocket; // what a browser provides
    try {
      const sdk = (await import(pathToFileURL(join(outDir, 'kycd.browser.mjs')).href)) as SdkBundle;
      expect(await drive(sdk, d)).toBe('kycd.v1:session_cancelled');
    } finally {
      g.WebSocket = before;
    }
  });
});
