import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../config/loadConfig.js';
import { openStore } from '../store/openStore.js';
import type { Store } from '../store/Store.js';
import { SAMPLE_DOCUMENT } from './__fixtures__/sampleDocument.js';
import { createRegistrationServices } from './createRegistrationServices.js';
import { startRegistrationService, type RegistrationService } from './startRegistrationService.js';

let dir: string;
let store: Store;
let service: RegistrationService | undefined;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kycd-regsvc-'));
  store = openStore({ dataDir: dir });
  // What persistSession wrote when the flow entered the submitting step.
  for (const id of ['s-1', 's-2'])
    store.sessions.upsert({
      id,
      terminalId: 't-1',
      state: 'registration.submitting',
      step: 'registration',
      expiresAt: 9_999_999_999_999,
    });
});
afterEach(async () => {
  await service?.close();
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

function submitInput(
  publish: (event: string, data: unknown) => void,
  signal = new AbortController().signal,
) {
  return {
    sessionId: 's-1',
    terminalId: 't-1',
    registrationId: 'reg-1',
    confirmation: { msisdn: '+8613800138000', operatorId: 'op-7' },
    document: SAMPLE_DOCUMENT,
    liveness: {
      verdict: { passed: true, reasons: [] },
      evidence: { challenges: ['blink'], antiSpoof: 0.93, frameHashes: ['ab'] },
    },
    match: { score: 0.7, threshold: 0.45, decision: 'match' as const },
    signal,
    publish,
  };
}

describe('createRegistrationServices', () => {
  it('queues the signed record, publishes queued then delivered, and waits for delivery when asked', async () => {
    service = startRegistrationService({
      store,
      config: parseConfig({ registration: { endpoint: 'https://carrier.example.com/r' } }),
      onError: (e) => {
        throw e;
      },
      fetch: () => Promise.resolve(new Response('{}', { status: 201 })),
    });
    const published: [string, unknown][] = [];
    const services = createRegistrationServices({
      service,
      storeId: 'store-9',
      waitForDeliveryMs: 5000,
    });
    const result = await services.submitRegistration(submitInput((e, d) => published.push([e, d])));
    expect(result).toEqual({ status: 'delivered' });
    expect(published).toEqual([
      ['registration.status', { registrationId: 'reg-1', status: 'queued' }],
      ['registration.status', { registrationId: 'reg-1', status: 'delivered' }],
    ]);
    const record = JSON.parse(store.registrations.get('reg-1')!.recordJson!) as Record<
      string,
      unknown
    >;
    expect(record).toMatchObject({
      storeId: 'store-9',
      operatorId: 'op-7',
      match: { decision: 'match', passed: true },
      liveness: { evidence: { antiSpoof: 0.93 } },
    });
  });

  it('keeps the evidence records of the failed face attempts before the passing one', async () => {
    service = startRegistrationService({
      store,
      config: parseConfig({ registration: { endpoint: 'https://carrier.example.com/r' } }),
      onError: () => undefined,
      fetch: () => Promise.resolve(new Response('{}', { status: 201 })),
    });
    const services = createRegistrationServices({ service, storeId: 'store-9' });
    const failed = { passed: false, reasons: ['liveness_planar_motion'], frameHashes: ['cd'] };
    await services.submitRegistration({
      ...submitInput(() => undefined),
      earlierFaceAttempts: [failed],
    });
    const record = JSON.parse(store.registrations.get('reg-1')!.recordJson!) as {
      liveness: { evidence: Record<string, unknown> };
    };
    expect(record.liveness.evidence).toMatchObject({ antiSpoof: 0.93, earlierAttempts: [failed] });
    // A first attempt that passed has nothing before it: no empty list in the record.
    await services.submitRegistration({
      ...submitInput(() => undefined),
      sessionId: 's-2',
      registrationId: 'reg-2',
      earlierFaceAttempts: [],
    });
    const second = JSON.parse(store.registrations.get('reg-2')!.recordJson!) as typeof record;
    expect(second.liveness.evidence).not.toHaveProperty('earlierAttempts');
  });

  it('publishes a rejection with the registered code and resolves queued without waiting', async () => {
    service = startRegistrationService({
      store,
      config: parseConfig({ registration: { endpoint: 'https://carrier.example.com/r' } }),
      onError: () => undefined,
      fetch: () => Promise.resolve(new Response('{"reason":"subscriber barred"}', { status: 422 })),
    });
    const published: [string, unknown][] = [];
    const result = await createRegistrationServices({
      service,
      storeId: 'store-9',
    }).submitRegistration(submitInput((e, d) => published.push([e, d])));
    expect(result).toEqual({ status: 'queued' });
    await service.worker.idle();
    expect(published.at(-1)).toEqual([
      'registration.status',
      {
        registrationId: 'reg-1',
        status: 'rejected',
        reason: { code: 'registration_rejected', message: 'HTTP 422: subscriber barred' },
      },
    ]);
  });

  it('tells the POS why a registration is held when the carrier refuses the terminal (401/403)', async () => {
    service = startRegistrationService({
      store,
      config: parseConfig({ registration: { endpoint: 'https://carrier.example.com/r' } }),
      onError: () => undefined,
      fetch: () =>
        Promise.resolve(new Response('{"reason":"unknown terminal key"}', { status: 401 })),
    });
    const published: [string, unknown][] = [];
    await createRegistrationServices({ service, storeId: 'store-9' }).submitRegistration(
      submitInput((e, d) => published.push([e, d])),
    );
    await service.worker.idle();
    expect(published.at(-1)).toEqual([
      'registration.status',
      {
        registrationId: 'reg-1',
        status: 'queued',
        reason: {
          code: 'registration_delivery_failed',
          message: expect.stringMatching(
            /^held: the carrier refused this terminal \(HTTP 401: unknown terminal key\)/,
          ),
        },
      },
    ]);
    expect(store.registrations.get('reg-1')?.status).toBe('queued');
  });

  it('keeps the chip photo and the live frame as encrypted evidence only when retention is on', async () => {
    service = startRegistrationService({
      store,
      config: parseConfig({ privacy: { evidence: { retain: true } } }),
      onError: () => undefined,
    });
    const input = {
      ...submitInput(() => undefined),
      liveness: {
        verdict: { passed: true, reasons: [] },
        evidence: {},
        bestFrame: { data: new Uint8Array(12), width: 2, height: 2 },
      },
    };
    await createRegistrationServices({ service, storeId: 's' }).submitRegistration(input);
    // Both written in the same millisecond: compare as a set.
    expect(
      service.vault
        .list('s-1')
        .map((e) => [e.kind, e.mediaType])
        .sort(),
    ).toEqual([
      ['chip_photo', 'application/x-wlt'],
      ['live_frame', 'image/x-raw-rgb; width=2; height=2'],
    ]);
    await service.close();
    service = startRegistrationService({
      store,
      config: parseConfig({}),
      onError: () => undefined,
    });
    await createRegistrationServices({ service, storeId: 's' }).submitRegistration({
      ...input,
      sessionId: 's-2',
      registrationId: 'reg-2',
    });
    expect(service.vault.list('s-2')).toEqual([]);
  });

  it('queues the record and moves the session row on in one transaction', async () => {
    service = startRegistrationService({
      store,
      config: parseConfig({}),
      onError: () => undefined,
    });
    await createRegistrationServices({ service, storeId: 's' }).submitRegistration(
      submitInput(() => undefined),
    );
    expect(store.registrations.get('reg-1')?.status).toBe('queued');
    expect(store.sessions.get('s-1')).toMatchObject({
      state: 'completed',
      step: 'done',
      terminalId: 't-1',
      expiresAt: 9_999_999_999_999,
    });
  });

  it('rolls back the session move when the record cannot be written, and vice versa', async () => {
    service = startRegistrationService({
      store,
      config: parseConfig({}),
      onError: () => undefined,
    });
    // The last write of the confirmation (its audit row) fails: nothing of it may remain.
    store.db.exec(
      `CREATE TRIGGER fail_audit BEFORE INSERT ON audit_events BEGIN SELECT RAISE(ABORT, 'disk trouble'); END`,
    );
    await expect(
      createRegistrationServices({ service, storeId: 's' }).submitRegistration(
        submitInput(() => undefined),
      ),
    ).rejects.toThrow(/disk trouble/);
    expect(store.registrations.get('reg-1')).toBeUndefined();
    expect(store.sessions.get('s-1')?.state).toBe('registration.submitting');
    store.db.exec('DROP TRIGGER fail_audit');
    // The session row was already moved on (or never reached the step): no record is written.
    store.sessions.upsert({ id: 's-1', state: 'cancelled', step: 'done' });
    await expect(
      createRegistrationServices({ service, storeId: 's' }).submitRegistration(
        submitInput(() => undefined),
      ),
    ).rejects.toMatchObject({ code: 'registration_not_confirmable' });
    expect(store.registrations.counts().queued).toBe(0);
  });

  it('writes nothing when the session already left the step', async () => {
    service = startRegistrationService({
      store,
      config: parseConfig({}),
      onError: () => undefined,
    });
    const abort = new AbortController();
    abort.abort();
    await expect(
      createRegistrationServices({ service, storeId: 's' }).submitRegistration(
        submitInput(() => undefined, abort.signal),
      ),
    ).rejects.toMatchObject({ code: 'session_registration_failed' });
    expect(store.registrations.counts().queued).toBe(0);
  });
});
