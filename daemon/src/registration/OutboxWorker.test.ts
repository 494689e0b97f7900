import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../config/loadConfig.js';
import { openStore } from '../store/openStore.js';
import type { Store } from '../store/Store.js';
import { SAMPLE_DOCUMENT, SAMPLE_LIVENESS, SAMPLE_MATCH } from './__fixtures__/sampleDocument.js';
import { OutboxWorker, type RegistrationStatusEvent } from './OutboxWorker.js';
import { TerminalSigningKey } from './TerminalSigningKey.js';

let dir: string;
let store: Store;
let key: TerminalSigningKey;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'kycd-worker-'));
  store = openStore({ dataDir: dir });
  store.db.pragma('synchronous = OFF'); // fuzzing the classifier, not the disk.
  key = TerminalSigningKey.loadOrCreate(dir);
});
afterAll(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

let n = 0;
/** One delivery against a fake carrier that answers `respond`; returns the statuses emitted. */
async function deliverOnce(respond: () => Promise<Response>): Promise<RegistrationStatusEvent[]> {
  const config = parseConfig({
    registration: {
      endpoint: 'https://carrier.example.com/v1/registrations',
      requestTimeoutMs: 1000,
      retry: { initialDelayMs: 60_000, jitter: 0 },
    },
  }).registration;
  const worker = new OutboxWorker({ store, key, config, fetch: () => respond() });
  const statuses: RegistrationStatusEvent[] = [];
  const errors: Error[] = [];
  worker.on('registration.status', (s) => statuses.push(s));
  worker.on('error', (e) => errors.push(e));
  worker.start();
  worker.confirm({
    sessionId: `fuzz-${n++}`,
    terminalId: 't',
    msisdn: '+8613800138000',
    operatorId: 'op',
    storeId: 'st',
    document: SAMPLE_DOCUMENT,
    liveness: SAMPLE_LIVENESS,
    match: SAMPLE_MATCH,
  });
  await worker.idle();
  await worker.stop();
  expect(errors).toEqual([]);
  return statuses;
}

describe('OutboxWorker answer classification', () => {
  it('sends the signed body with Idempotency-Key and Kycd-Signature headers', async () => {
    let seen: { url: string; init: RequestInit } | undefined;
    const config = parseConfig({
      registration: { endpoint: 'https://carrier.example.com/v1/registrations' },
    }).registration;
    const worker = new OutboxWorker({
      store,
      key,
      config,
      fetch: (url, init) => {
        seen = { url: String(url), init: init ?? {} };
        return Promise.resolve(new Response('{}', { status: 201 }));
      },
    });
    worker.on('error', () => undefined);
    worker.start();
    const c = worker.confirm({
      sessionId: 'headers',
      terminalId: 't',
      msisdn: '+8613800138000',
      operatorId: 'op',
      storeId: 'st',
      document: SAMPLE_DOCUMENT,
      liveness: SAMPLE_LIVENESS,
      match: SAMPLE_MATCH,
    });
    await worker.idle();
    await worker.stop();
    const headers = seen?.init.headers as Record<string, string>;
    expect(seen?.url).toBe('https://carrier.example.com/v1/registrations');
    expect(headers['idempotency-key']).toBe(c.registrationId);
    expect(headers['kycd-signature']).toBe(
      `keyId="${key.keyId}", alg="ed25519", sig="${c.signature}"`,
    );
    expect(seen?.init.body).toBe(c.recordJson);
    expect(key.verify(c.recordJson, c.signature)).toBe(true);
  });

  it('maps any carrier answer to delivered (2xx), held (401/403), rejected (other 4xx but 408/425/429) or a scheduled retry (fuzz)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.integer({ min: 200, max: 599 }), fc.constantFrom(401, 403)),
        fc.oneof(fc.string({ maxLength: 300 }), fc.json({ maxDepth: 2 })),
        fc.option(fc.oneof(fc.string({ maxLength: 40 }), fc.nat({ max: 10_000_000 }).map(String)), {
          nil: undefined,
        }),
        async (status, body, retryAfter) => {
          const noBody = [204, 205, 304].includes(status) || (status >= 300 && status < 400);
          const statuses = await deliverOnce(() =>
            Promise.resolve(
              new Response(noBody ? null : body, {
                status,
                headers: retryAfter === undefined ? {} : { 'retry-after': retryAfter },
              }),
            ),
          );
          const last = statuses.at(-1);
          if (status >= 200 && status < 300) expect(last?.status).toBe('delivered');
          else if (status === 401 || status === 403) {
            // The carrier does not trust the terminal yet: held, retried after heldDelayMs.
            expect(last).toMatchObject({
              status: 'queued',
              attempts: 1,
              held: 'carrier_refused_terminal',
              httpStatus: status,
            });
            expect(last?.lastError).toMatch(/^held: the carrier refused this terminal/);
            expect(last?.nextAttemptAt).toBeGreaterThanOrEqual(Date.now() + 800_000);
          } else if (status >= 400 && status < 500 && ![408, 425, 429].includes(status)) {
            expect(last).toMatchObject({
              status: 'rejected',
              httpStatus: status,
              code: 'registration_rejected',
            });
            expect((last?.reason ?? '').length).toBeLessThanOrEqual(520);
          } else {
            expect(last).toMatchObject({ status: 'queued', attempts: 1 });
            expect(last?.nextAttemptAt).toBeLessThanOrEqual(Date.now() + 3_600_000 + 120_000);
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it('retries network errors and time-outs', async () => {
    const refused = await deliverOnce(() =>
      Promise.reject(
        Object.assign(new TypeError('fetch failed'), { cause: new Error('connect ECONNREFUSED') }),
      ),
    );
    expect(refused.at(-1)).toMatchObject({
      status: 'queued',
      lastError: expect.stringContaining('ECONNREFUSED'),
    });
    const broken = await deliverOnce(() =>
      Promise.resolve(
        new Response(new ReadableStream({ start: (c) => c.error(new Error('socket hang up')) }), {
          status: 200,
        }),
      ),
    );
    expect(broken.at(-1)).toMatchObject({
      status: 'queued',
      lastError: expect.stringContaining('hang up'),
    });
  });
});
