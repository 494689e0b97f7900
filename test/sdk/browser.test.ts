/**
 * The SDK's <script> bundle in a real browser (Debian's Chromium, driven by playwright-core):
 * a POS web page on an allowed origin drives a session; a page on any other origin is refused
 * by the daemon before the WebSocket opens (cross-site WebSocket hijacking).
 */
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scriptedWiring } from '../helpers/scriptedWiring.js';
import { startTestDaemon, type TestDaemon } from '../helpers/startTestDaemon.js';

const CHROMIUM = '/usr/bin/chromium';

/** A page server; every origin is its own loopback port. */
async function servePage(script: string): Promise<{ server: Server; origin: string }> {
  const server = createServer((req, res) => {
    if (req.url === '/kycd.iife.js') {
      res.writeHead(200, { 'content-type': 'text/javascript' });
      res.end(script);
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end('<!doctype html><title>POS</title><script src="/kycd.iife.js"></script>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

describe('the SDK in Chromium', () => {
  let browser: Browser;
  let d: TestDaemon;
  let allowed: { server: Server; origin: string };
  let other: { server: Server; origin: string };

  beforeAll(async () => {
    if (!existsSync(CHROMIUM))
      throw new Error(`${CHROMIUM} is missing: npm test installs Debian's chromium package`);
    // @ts-expect-error -- a plain .mjs build script without type declarations
    const { bundle } = (await import('../../plugin-sdk/scripts/bundle.mjs')) as {
      bundle(o: { write: boolean }): Promise<Record<string, string>>;
    };
    const script = (await bundle({ write: false }))['kycd.iife.js']!;
    allowed = await servePage(script);
    other = await servePage(script);
    d = await startTestDaemon({
      wiring: scriptedWiring(),
      config: { server: { allowedOrigins: [allowed.origin] } },
    });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    allowed?.server.close();
    other?.server.close();
    await d?.close();
  });

  it('a page on an allowed origin drives a session through the <script> bundle', async () => {
    const page = await browser.newPage();
    await page.goto(allowed.origin);
    const outcome = await page.evaluate(
      ([url, token]) =>
        (async () => {
          const { KycdClient } = (
            globalThis as unknown as {
              Kycd: {
                KycdClient: new (o: object) => {
                  connect(): Promise<{ protocol: string }>;
                  startSession(
                    p: object,
                  ): Promise<{ cancel(): Promise<unknown>; completed: Promise<unknown> }>;
                  close(): void;
                };
              };
            }
          ).Kycd;
          const client = new KycdClient({ url, token, reconnect: false });
          const hello = await client.connect();
          const session = await client.startSession({
            consent: { accepted: true, textVersion: '2026-01' },
          });
          await session.cancel();
          const end = await session.completed.then(
            () => 'completed',
            (err: { code: string }) => err.code,
          );
          client.close();
          return `${hello.protocol}:${end}`;
        })(),
      [d.url, d.token] as const,
    );
    expect(outcome).toBe('kycd.v1:session_cancelled');
    await page.close();
  });

  it('a page on another origin is refused before the socket opens', async () => {
    const page = await browser.newPage();
    await page.goto(other.origin);
    const outcome = await page.evaluate(
      ([url, token]) =>
        (async () => {
          const { KycdClient } = (
            globalThis as unknown as {
              Kycd: {
                KycdClient: new (o: object) => { connect(): Promise<unknown>; close(): void };
              };
            }
          ).Kycd;
          const client = new KycdClient({ url, token, reconnect: false, connectTimeoutMs: 5000 });
          try {
            await client.connect();
            return 'connected';
          } catch (err) {
            return `refused:${(err as { code?: string }).code ?? 'unknown'}`;
          } finally {
            client.close();
          }
        })(),
      [d.url, d.token] as const,
    );
    expect(outcome).toMatch(/^refused:/);
    expect(d.logs.some((l) => l.includes('upgrade refused') && l.includes(other.origin))).toBe(
      true,
    );
    await page.close();
  });
});
