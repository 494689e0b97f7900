import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../config/loadConfig.js';
import { openStore } from '../store/openStore.js';
import type { Store } from '../store/Store.js';
import { SAMPLE_DOCUMENT, SAMPLE_LIVENESS, SAMPLE_MATCH } from './__fixtures__/sampleDocument.js';
import { OutboxWorker } from './OutboxWorker.js';
import { startRegistrationService } from './startRegistrationService.js';
import { TerminalSigningKey } from './TerminalSigningKey.js';

let dir: string;
let store: Store;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kycd-service-'));
  store = openStore({ dataDir: dir });
});
afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('startRegistrationService', () => {
  it('resumes delivery of what was queued before the restart, with the same key', async () => {
    const key = TerminalSigningKey.loadOrCreate(dir);
    const offline = new OutboxWorker({ store, key, config: parseConfig({}).registration });
    const { registrationId } = offline.confirm({
      sessionId: 's-1',
      terminalId: 't',
      msisdn: '+8613800138000',
      operatorId: 'op',
      storeId: 'st',
      document: SAMPLE_DOCUMENT,
      liveness: SAMPLE_LIVENESS,
      match: SAMPLE_MATCH,
    });
    const posted: string[] = [];
    const errors: unknown[] = [];
    const service = startRegistrationService({
      store,
      config: parseConfig({
        registration: { endpoint: 'https://carrier.example.com/v1/registrations' },
      }),
      onError: (e) => errors.push(e),
      fetch: (_url, init) => {
        posted.push(String(init?.body));
        return Promise.resolve(new Response('{"accepted":true}', { status: 201 }));
      },
    });
    try {
      expect(service.key.keyId).toBe(key.keyId);
      await service.worker.idle();
      expect(store.registrations.get(registrationId)?.status).toBe('delivered');
      expect(posted).toHaveLength(1);
      expect(service.vault.retaining).toBe(false);
      expect(errors).toEqual([]);
    } finally {
      await service.close();
    }
  });
});

describe('shutdown order', () => {
  it('stops quietly when the store is closed before the worker', async () => {
    let release: (() => void) | undefined;
    const errors: unknown[] = [];
    const service = startRegistrationService({
      store,
      config: parseConfig({
        registration: {
          endpoint: 'https://carrier.example.com/v1/registrations',
          retry: { initialDelayMs: 10, jitter: 0 },
        },
      }),
      onError: (e) => errors.push(e),
      fetch: () =>
        new Promise((resolve) => (release = () => resolve(new Response('', { status: 503 })))),
    });
    service.worker.confirm({
      sessionId: 's-9',
      terminalId: 't',
      msisdn: '+8613800138000',
      operatorId: 'op',
      storeId: 'st',
      document: SAMPLE_DOCUMENT,
      liveness: SAMPLE_LIVENESS,
      match: SAMPLE_MATCH,
    });
    await new Promise((r) => setTimeout(r, 20));
    store.close();
    release?.();
    await new Promise((r) => setTimeout(r, 50));
    await service.close();
    // At most the one in-flight outcome could not be recorded; no loop of errors.
    expect(errors.length).toBeLessThanOrEqual(1);
    store = openStore({ dataDir: dir });
    expect(store.registrations.counts().queued).toBe(1);
  });
});
