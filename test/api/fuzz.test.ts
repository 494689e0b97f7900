/**
 * Fuzzing the socket: hostile frames of known classes, each with the exact answer the contract
 * demands (code, and the request id whenever the parser could read one), plus free-form noise.
 * The connections must stay open, the daemon healthy, and its heap flat.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { METHOD_NAMES, METHODS, REQUEST_ERROR_CODES } from '@kycd/plugin-sdk';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RawClient, type Frame } from '../helpers/RawClient.js';
import { scriptedWiring } from '../helpers/scriptedWiring.js';
import { startTestDaemon, type TestDaemon } from '../helpers/startTestDaemon.js';

const MAX_FRAME_BYTES = 64 * 1024;
/** The parser refuses deeper frames before parsing them (FRAME_LIMITS.maxDepth). */
const MAX_DEPTH = 16;
const WIRE_CODES = new Set<string>(REQUEST_ERROR_CODES);

/** One hostile frame and what the daemon must answer; `code`/`id` undefined: any wire code, any id. */
interface Probe {
  readonly kind: string;
  readonly data: string | Buffer;
  readonly binary?: boolean;
  readonly code?: string;
  /** The id the answer must carry (null: none could be read). */
  readonly id?: string | number | null;
}

const PUBLIC_METHODS = METHOD_NAMES.filter(
  (m) => (METHODS[m] as { simOnly?: boolean }).simOnly !== true,
);
const SIM_METHODS = METHOD_NAMES.filter(
  (m) => (METHODS[m] as { simOnly?: boolean }).simOnly === true,
);

/** A valid request id; `wire` is what it reads back as after JSON (e.g. -0 → 0). */
const requestId = fc
  .oneof(
    fc.integer(),
    fc.string({ maxLength: 128 }),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
  )
  .map((id) => ({
    text: JSON.stringify(id),
    wire: JSON.parse(JSON.stringify(id)) as string | number,
  }));

/** JSON values without keys the parser refuses outright (prototype pollution), shallow enough to parse. */
const harmlessJson = fc
  .jsonValue({ maxDepth: 4 })
  .filter((v) => !/"(__proto__|constructor|prototype)"/.test(JSON.stringify(v)));

const bracketCount = (s: string): number => s.replace(/[^[{]/g, '').length;
const isJson = (s: string): boolean => {
  try {
    JSON.parse(s);
    return true;
  } catch {
    return false;
  }
};

const probes: Record<string, fc.Arbitrary<Probe>> = {
  /** Not JSON at all, or valid JSON cut short. */
  badJson: fc
    .oneof(
      fc.string({ maxLength: 200 }),
      fc.tuple(requestId, fc.nat()).map(([id, cut]) => {
        const full = `{"id":${id.text},"method":"session.get","params":{"sessionId":"abc"}}`;
        return full.slice(0, cut % full.length);
      }),
    )
    .filter((s) => bracketCount(s) <= MAX_DEPTH && !isJson(s))
    .map((text) => ({ kind: 'badJson', data: text, code: 'invalid_json', id: null })),

  /** JSON that is not an object: arrays, strings, numbers (1e999 parses to Infinity), null. */
  nonObject: fc
    .oneof(
      harmlessJson
        .filter((v) => typeof v !== 'object' || v === null || Array.isArray(v))
        .map((v) => JSON.stringify(v)),
      fc.constantFrom('1e999', '-1e999', '[1e999]', '"x"', 'null', 'true', '[]'),
    )
    .map((text) => ({ kind: 'nonObject', data: text, code: 'invalid_request', id: null })),

  /** Numbers beyond the double range, written as raw text (JSON.stringify can never produce them). */
  nonFinite: fc
    .tuple(
      requestId,
      fc.constantFrom('1e999', '-1e999', '2e308', '1E400', '-9.9e99999'),
      fc.constantFrom(...PUBLIC_METHODS),
    )
    .chain(([id, big, method]) =>
      fc.constantFrom<Probe>(
        {
          kind: 'nonFinite',
          data: `{"id":${id.text},"method":"${method}","params":{"sessionId":"s","n":${big}}}`,
          code: 'invalid_request',
          id: id.wire,
        },
        {
          kind: 'nonFinite',
          data: `{"id":${id.text},"method":"${method}","params":[${big}]}`,
          code: 'invalid_request',
          id: id.wire,
        },
        {
          kind: 'nonFinite',
          data: `{"id":${big},"method":"${method}","params":{}}`,
          code: 'invalid_request',
          id: null,
        },
      ),
    ),

  /** Deeper than the limit: refused by a linear scan before JSON.parse, so no id is read. */
  tooDeep: fc
    .tuple(requestId, fc.integer({ min: MAX_DEPTH + 1, max: 20_000 }), fc.boolean())
    .map(([id, n, inParams]) => ({
      kind: 'tooDeep',
      data: inParams
        ? `{"id":${id.text},"method":"session.get","params":{"sessionId":${'['.repeat(n)}${']'.repeat(n)}}}`
        : `${'['.repeat(n)}${']'.repeat(n)}`,
      code: 'invalid_request',
      id: null,
    })),

  /** Nesting within the limit but where a string belongs: a params problem, answered by id. */
  deepParams: fc.tuple(requestId, fc.integer({ min: 1, max: MAX_DEPTH - 3 })).map(([id, n]) => ({
    kind: 'deepParams',
    data: `{"id":${id.text},"method":"session.get","params":{"sessionId":${'['.repeat(n)}${']'.repeat(n)}}}`,
    code: 'invalid_params',
    id: id.wire,
  })),

  unknownMethod: fc
    .tuple(
      requestId,
      fc.oneof(
        fc.string({ minLength: 1, maxLength: 64 }),
        fc.string({ minLength: 1, maxLength: 60 }).map((s) => `sim.${s}`),
      ),
    )
    .filter(([, method]) => !(METHOD_NAMES as readonly string[]).includes(method))
    .map(([id, method]) => ({
      kind: 'unknownMethod',
      data: `{"id":${id.text},"method":${JSON.stringify(method)},"params":{}}`,
      code: 'unknown_method',
      id: id.wire,
    })),

  /** sim.* exist, but this daemon runs without --sim. */
  simForbidden: fc
    .tuple(requestId, fc.constantFrom(...SIM_METHODS), harmlessJson)
    .map(([id, method, params]) => ({
      kind: 'simForbidden',
      data: JSON.stringify({ id: id.wire, method, params }),
      code: 'forbidden',
      id: id.wire,
    })),

  /** A known method with params its schema refuses (every params object forbids unknown keys). */
  badParams: fc
    .tuple(
      requestId,
      fc.constantFrom(...PUBLIC_METHODS),
      fc.string({ maxLength: 20 }),
      harmlessJson,
    )
    .map(([id, method, key, value]) => ({
      kind: 'badParams',
      data: `{"id":${id.text},"method":"${method}","params":${JSON.stringify({ [`x_${key}`]: value })}}`,
      code: 'invalid_params',
      id: id.wire,
    })),

  /** Frames just under the size limit with an over-long string where a short one belongs. */
  hugeString: fc.tuple(requestId, fc.integer({ min: 64, max: 512 })).map(([id, slack]) => {
    const head = `{"id":${id.text},"method":"session.get","params":{"sessionId":"`;
    const tail = '"}}';
    return {
      kind: 'hugeString',
      data: `${head}${'7'.repeat(MAX_FRAME_BYTES - head.length - tail.length - slack)}${tail}`,
      code: 'invalid_params',
      id: id.wire,
    };
  }),

  /** Binary frames are not part of the protocol, even when they hold a valid request. */
  binary: fc
    .oneof(
      fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b)),
      requestId.map((id) => Buffer.from(`{"id":${id.text},"method":"devices.list","params":{}}`)),
    )
    .map((data) => ({ kind: 'binary', data, binary: true, code: 'invalid_request', id: null })),

  /** Free-form noise: any contract code is fine, the answer must come. */
  noise: fc
    .oneof(
      fc.json({ maxDepth: 6 }),
      fc
        .record(
          {
            id: fc.oneof(
              fc.integer(),
              fc.double(),
              fc.string({ maxLength: 200 }),
              fc.constant(null),
              fc.boolean(),
              fc.constant(1e308),
            ),
            method: fc.oneof(fc.constantFrom(...METHOD_NAMES), fc.string({ maxLength: 40 })),
            params: fc.oneof(
              fc.jsonValue({ maxDepth: 5 }),
              fc.dictionary(
                fc.constantFrom(
                  'sessionId',
                  'token',
                  'consent',
                  'afterSeq',
                  '__proto__',
                  'constructor',
                  'can',
                  'mrz',
                ),
                fc.jsonValue({ maxDepth: 3 }),
              ),
            ),
          },
          { requiredKeys: [] },
        )
        .map((r) => JSON.stringify(r)),
    )
    .map((text) => ({ kind: 'noise', data: text })),
};

const hostile = fc.oneof(...Object.values(probes));

/** `global.gc` even when node was started without --expose-gc. */
function forceGc(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

describe('fuzzing the socket with hostile frames', () => {
  let d: TestDaemon;
  beforeAll(async () => {
    d = await startTestDaemon({
      wiring: scriptedWiring(),
      config: {
        server: {
          maxFrameBytes: MAX_FRAME_BYTES,
          rateLimit: { requestsPerSecond: 100_000, burst: 100_000 },
          maxBadTokens: 1_000_000,
          helloTimeoutMs: 600_000,
        },
      },
    });
  });
  afterAll(async () => d.close());

  it('answers every class of hostile frame with its exact code and the request id, keeps the connections, and the heap flat', async () => {
    const authed = await RawClient.hello(d.url, d.token);
    const anon = await RawClient.connect(d.url);
    const seenKinds = new Map<string, number>();

    const send = async (probe: Probe, i: number): Promise<void> => {
      // Parse errors come before the hello check, so both connections get the same answers.
      const client = i % 5 === 0 ? anon : authed;
      client.frames.length = 0; // the client's own log is not what we measure
      client.sendRaw(probe.data, probe.binary === true);
      const answer: Frame = await client
        .waitFor((f) => f.event === undefined)
        .catch((err: unknown) => {
          throw new Error(
            `no answer to ${probe.kind} frame #${i} ${JSON.stringify(String(probe.data).slice(0, 200))}: ${String(err)}`,
          );
        });
      const what = `${probe.kind} frame #${i} ${JSON.stringify(String(probe.data).slice(0, 120))}`;
      if (probe.code !== undefined) {
        expect(answer.error?.code, what).toBe(probe.code);
        expect(answer.id, what).toStrictEqual(probe.id);
      } else if (answer.error !== undefined) {
        expect(WIRE_CODES, what).toContain(answer.error.code);
      }
      seenKinds.set(probe.kind, (seenKinds.get(probe.kind) ?? 0) + 1);
    };

    // Encoded up front: sending a (rope) string would flatten it in this heap, which is the
    // test's memory, not the daemon's.
    const samples = fc
      .sample(hostile, { numRuns: 3000, seed: 20261122 })
      .map((p) => ({ ...p, data: Buffer.from(p.data) }));
    const gc = forceGc();
    const settledHeap = (): number => {
      authed.frames.length = 0;
      anon.frames.length = 0;
      d.logs.length = 0; // the test's capture of the daemon log is not the daemon's memory
      gc();
      gc();
      return process.memoryUsage().heapUsed;
    };
    // The first pass warms up (compiled code, caches); the second is measured. The daemon
    // cannot tell the passes apart: every frame is parsed and answered afresh.
    for (const [i, probe] of samples.entries()) await send(probe, i);
    const heapBefore = settledHeap();
    for (const [i, probe] of samples.entries()) await send(probe, i);
    const grownMiB = (settledHeap() - heapBefore) / 2 ** 20;

    for (const kind of Object.keys(probes))
      expect(seenKinds.get(kind) ?? 0, `probes of kind ${kind}`).toBeGreaterThan(2 * 100);
    expect(authed.closed).toBeUndefined();
    expect(anon.closed).toBeUndefined();
    expect((await authed.request('devices.list', {})).result).toEqual({ devices: [] });
    expect((await anon.request('devices.list', {})).error?.code).toBe('unauthenticated');
    // 3000 frames, ~10 % of them near 64 KiB (~19 MiB in all): keeping any of them would show.
    expect(grownMiB).toBeLessThan(2);
    authed.close();
    anon.close();
  }, 180_000);

  it('closes with 1009 a frame one byte over the limit, and only that connection', async () => {
    const victim = await RawClient.hello(d.url, d.token);
    const bystander = await RawClient.hello(d.url, d.token);
    const head = '{"id":1,"method":"session.get","params":{"sessionId":"';
    const tail = '"}}';
    victim.sendRaw(`${head}${'7'.repeat(MAX_FRAME_BYTES + 1 - head.length - tail.length)}${tail}`);
    expect((await victim.waitClose()).code).toBe(1009);
    expect((await bystander.request('devices.list', {})).result).toEqual({ devices: [] });
    bystander.close();
  });
});
