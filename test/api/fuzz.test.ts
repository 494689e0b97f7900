import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RawClient, type Frame } from '../helpers/RawClient.js';
import { scriptedWiring } from '../helpers/scriptedWiring.js';
import { startTestDaemon, type TestDaemon } from '../helpers/startTestDaemon.js';

const WIRE_CODES = new Set(['invalid_json', 'invalid_request', 'unknown_method', 'forbidden', 'invalid_params', 'unauthenticated', 'not_found', 'conflict', 'rate_limited']);
const METHODS = ['hello', 'devices.list', 'session.start', 'session.get', 'session.cancel', 'session.provideMrz', 'session.confirmRegistration', 'session.resume', 'session.review', 'sim.insertDocument'];

/** Frames an attacker or a buggy POS might send. */
const hostileFrame = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.json({ maxDepth: 6 }),
  fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)),
  fc
    .record(
      {
        id: fc.oneof(fc.integer(), fc.double(), fc.string({ maxLength: 200 }), fc.constant(null), fc.boolean(), fc.constant(1e308)),
        method: fc.oneof(fc.constantFrom(...METHODS), fc.string({ maxLength: 40 })),
        params: fc.oneof(fc.jsonValue({ maxDepth: 5 }), fc.dictionary(fc.constantFrom('sessionId', 'token', 'consent', 'afterSeq', '__proto__', 'constructor', 'can', 'mrz'), fc.jsonValue({ maxDepth: 3 }))),
      },
      { requiredKeys: [] },
    )
    .map((r) => JSON.stringify(r)),
  fc.nat({ max: 3000 }).map((n) => `${'['.repeat(n)}${']'.repeat(n)}`),
  fc.nat({ max: 200 }).map((n) => `{"id":1,"method":"session.get","params":{"sessionId":"${'9'.repeat(n)}"}}`),
);

describe('fuzzing the socket with hostile frames', () => {
  let d: TestDaemon;
  beforeAll(async () => {
    d = await startTestDaemon({ wiring: scriptedWiring(), config: { server: { rateLimit: { requestsPerSecond: 100_000, burst: 100_000 }, maxBadTokens: 1_000_000, helloTimeoutMs: 600_000 } } });
  });
  afterAll(async () => d.close());

  it('answers every frame per contract, never crashes, keeps the connection and memory flat', async () => {
    const authed = await RawClient.hello(d.url, d.token);
    const anon = await RawClient.connect(d.url);
    const samples = fc.sample(hostileFrame, { numRuns: 3000, seed: 20261122 });
    const heapBefore = process.memoryUsage().heapUsed;
    for (const [i, text] of samples.entries()) {
      const client = i % 5 === 0 ? anon : authed;
      const before = client.frames.length;
      client.sendRaw(text);
      // Every frame gets exactly one answer: a result or a contract error code.
      const answer: Frame = await client
        .waitFor(() => client.frames.length > before && client.frames.slice(before).some((f) => f.event === undefined))
        .catch((err: unknown) => {
          throw new Error(`no answer to frame #${i} ${JSON.stringify(text.slice(0, 300))}: ${String(err)}`);
        });
      if (answer.error !== undefined) expect(WIRE_CODES).toContain(answer.error.code);
    }
    expect(authed.closed).toBeUndefined();
    expect(anon.closed).toBeUndefined();
    // The daemon is still healthy.
    expect((await authed.request('devices.list', {})).result).toEqual({ devices: [] });
    global.gc?.();
    const grownMiB = (process.memoryUsage().heapUsed - heapBefore) / 2 ** 20;
    expect(grownMiB).toBeLessThan(64);
    authed.close();
    anon.close();
  }, 120_000);
});
