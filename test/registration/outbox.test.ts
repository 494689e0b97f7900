import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  OutboxWorker,
  StoreError,
  TerminalSigningKey,
  openStore,
  type RegistrationStatusEvent,
  type Store,
} from '@kycd/daemon';
import { ReferenceCarrier } from '@kycd/hardware-sim';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { confirmInput, fastRegistrationConfig } from './fixtures.js';

let dir: string;
let store: Store;
let key: TerminalSigningKey;
let carrier: ReferenceCarrier;
let url: string;
const workers: OutboxWorker[] = [];

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kycd-outbox-'));
  store = openStore({ dataDir: dir });
  key = TerminalSigningKey.loadOrCreate(dir);
  carrier = new ReferenceCarrier({ trustedKeys: [key.publicKeyPem] });
  url = await carrier.start();
});
afterEach(async () => {
  for (const w of workers.splice(0)) await w.stop();
  await carrier.stop();
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

function worker(
  over: Parameters<typeof fastRegistrationConfig>[1] = {},
  s: Store = store,
): { worker: OutboxWorker; statuses: RegistrationStatusEvent[]; errors: Error[] } {
  const w = new OutboxWorker({ store: s, key, config: fastRegistrationConfig(url, over) });
  const statuses: RegistrationStatusEvent[] = [];
  const errors: Error[] = [];
  w.on('registration.status', (e) => statuses.push(e));
  w.on('error', (e) => errors.push(e));
  workers.push(w);
  return { worker: w, statuses, errors };
}

describe('OutboxWorker + ReferenceCarrier', () => {
  it('delivers a confirmed registration: signature and idempotency key check out, status queued → delivered', async () => {
    const { worker: w, statuses, errors } = worker();
    w.start();
    const c = w.confirm(confirmInput('s-1'));
    await w.idle();
    expect(errors).toEqual([]);
    expect(statuses.map((s) => s.status)).toEqual(['queued', 'delivered']);
    const [delivery] = carrier.received();
    expect(delivery?.registrationId).toBe(c.registrationId);
    expect(delivery?.keyId).toBe(key.keyId);
    expect(delivery?.record).toMatchObject({ msisdn: '+8613800138000', sessionId: 's-1' });
    const entry = store.registrations.get(c.registrationId);
    expect(entry).toMatchObject({ status: 'delivered', attempts: 1, httpStatus: 201 });
    expect(entry?.receipt).toContain('C-000001');
    expect(store.audit.verify().ok).toBe(true);
    expect(store.audit.list().map((e) => e.kind)).toEqual([
      'registration.confirmed',
      'registration.delivered',
    ]);
  });

  it('retries 5xx with backoff and then delivers', async () => {
    carrier.behaveNext(3, { mode: 'fail', status: 503 });
    const { worker: w, statuses } = worker();
    w.start();
    const c = w.confirm(confirmInput('s-1'));
    await until(() => store.registrations.get(c.registrationId)?.status === 'delivered');
    expect(statuses.map((s) => s.status)).toEqual([
      'queued',
      'queued',
      'queued',
      'queued',
      'delivered',
    ]);
    expect(statuses[1]).toMatchObject({
      attempts: 1,
      httpStatus: 503,
      lastError: expect.stringContaining('HTTP 503'),
    });
    expect(store.registrations.get(c.registrationId)?.attempts).toBe(4);
    expect(carrier.received()).toHaveLength(1);
  });

  it('treats a stalled carrier as a time-out and retries', async () => {
    carrier.behaveNext(1, { mode: 'stall' });
    const { worker: w, statuses } = worker({ requestTimeoutMs: 150 });
    w.start();
    const c = w.confirm(confirmInput('s-1'));
    await until(() => store.registrations.get(c.registrationId)?.status === 'delivered');
    expect(statuses[1]?.lastError).toMatch(/time-out/);
  });

  it('treats 4xx as a final rejection with the carrier reason', async () => {
    carrier.behave({
      mode: 'reject',
      status: 422,
      reason: 'MSISDN already registered to another person',
    });
    const { worker: w, statuses } = worker();
    w.start();
    const c = w.confirm(confirmInput('s-1'));
    await until(() => store.registrations.get(c.registrationId)?.status === 'rejected');
    await w.idle();
    expect(statuses.at(-1)).toMatchObject({
      status: 'rejected',
      httpStatus: 422,
      code: 'registration_rejected',
      reason: 'HTTP 422: MSISDN already registered to another person',
    });
    expect(carrier.received()).toHaveLength(0);
    expect(store.registrations.get(c.registrationId)?.attempts).toBe(1);
  });

  it('holds a registration the carrier refuses with 401 (terminal key not yet registered there) and delivers it once the key is trusted', async () => {
    const stranger = new ReferenceCarrier();
    const strangerUrl = await stranger.start();
    try {
      const w = new OutboxWorker({
        store,
        key,
        config: fastRegistrationConfig(strangerUrl, {
          retry: {
            initialDelayMs: 20,
            maxDelayMs: 200,
            multiplier: 2,
            jitter: 0,
            heldDelayMs: 300,
          },
        }),
      });
      const statuses: RegistrationStatusEvent[] = [];
      w.on('registration.status', (e) => statuses.push(e));
      workers.push(w);
      w.on('error', () => undefined);
      w.start();
      const c = w.confirm(confirmInput('s-1'));
      await until(() => (store.registrations.get(c.registrationId)?.attempts ?? 0) >= 1);
      const held = store.registrations.get(c.registrationId)!;
      // Not lost, not final: queued, with the carrier's reason and what to do about it.
      expect(held).toMatchObject({ status: 'queued', httpStatus: 401 });
      expect(held.lastError).toMatch(
        /^held: the carrier refused this terminal \(HTTP 401: unknown terminal key/,
      );
      expect(held.lastError).toContain(key.keyId);
      expect(held.nextAttemptAt - Date.now()).toBeGreaterThan(100);
      expect(statuses.at(-1)).toMatchObject({ status: 'queued', held: 'carrier_refused_terminal' });
      // The carrier registers the terminal key: the next held retry delivers it.
      stranger.trust(key.publicKeyPem);
      await until(() => store.registrations.get(c.registrationId)?.status === 'delivered');
      expect(stranger.received().map((r) => r.registrationId)).toEqual([c.registrationId]);
      expect(statuses.map((s) => s.status).filter((s) => s === 'rejected')).toEqual([]);
    } finally {
      await stranger.stop();
    }
  });

  it('survives a restart: what was queued while the carrier was down is delivered by the next worker', async () => {
    carrier.behave({ mode: 'fail', status: 500 });
    const first = worker();
    first.worker.start();
    const ids = [1, 2, 3].map((i) => first.worker.confirm(confirmInput(`s-${i}`)).registrationId);
    await until(() => ids.every((id) => (store.registrations.get(id)?.attempts ?? 0) >= 1));
    await first.worker.stop();
    store.close();
    carrier.behave({ mode: 'accept' });
    store = openStore({ dataDir: dir });
    const second = worker({}, store);
    second.worker.start();
    await until(() => store.registrations.counts().delivered === 3);
    expect(
      carrier
        .received()
        .map((d) => d.registrationId)
        .sort(),
    ).toEqual([...ids].sort());
  });

  it('answers a replayed delivery idempotently (carrier counts it once)', async () => {
    const { worker: w } = worker();
    w.start();
    const c = w.confirm(confirmInput('s-1'));
    await w.idle();
    const entry = store.registrations.get(c.registrationId)!;
    const res = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'idempotency-key': entry.idempotencyKey,
        'kycd-signature': `keyId="${entry.keyId}", alg="ed25519", sig="${entry.signature}"`,
      },
      body: entry.recordJson,
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ replay: true, carrierRef: 'C-000001' });
    expect(carrier.received()).toHaveLength(1);
    expect(carrier.received()[0]?.replays).toBe(1);
    const tampered = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'idempotency-key': entry.idempotencyKey,
        'kycd-signature': `keyId="${entry.keyId}", alg="ed25519", sig="${entry.signature}"`,
      },
      body: entry.recordJson!.replace('+8613800138000', '+8613800138001'),
    });
    expect(tampered.status).toBe(401);
  });

  it('refuses a plain-http endpoint that is not loopback', () => {
    for (const endpoint of [
      'http://carrier.example.com/v1',
      'http://10.0.0.1/x',
      'ftp://127.0.0.1/',
      'not a url',
      'https://user:pw@carrier.example.com/',
    ]) {
      try {
        new OutboxWorker({ store, key, config: fastRegistrationConfig(endpoint) });
        expect.unreachable(endpoint);
      } catch (err) {
        expect(err).toBeInstanceOf(StoreError);
        expect((err as StoreError).code).toBe('registration_endpoint_insecure');
      }
    }
    expect(
      new OutboxWorker({
        store,
        key,
        config: fastRegistrationConfig('https://carrier.example.com/v1'),
      }).deliveryEnabled,
    ).toBe(true);
    expect(
      new OutboxWorker({ store, key, config: fastRegistrationConfig('http://[::1]:8080/v1') })
        .deliveryEnabled,
    ).toBe(true);
  });

  it('backs off exponentially with bounded jitter', () => {
    const w = new OutboxWorker({
      store,
      config: fastRegistrationConfig(url, {
        retry: {
          initialDelayMs: 1000,
          maxDelayMs: 60_000,
          multiplier: 2,
          jitter: 0.2,
          heldDelayMs: 900_000,
        },
      }),
      random: () => 1,
    });
    expect([1, 2, 3, 10].map((a) => w.backoffMs(a))).toEqual([1200, 2400, 4800, 72_000]);
    const low = new OutboxWorker({
      store,
      config: fastRegistrationConfig(url, {
        retry: {
          initialDelayMs: 1000,
          maxDelayMs: 60_000,
          multiplier: 2,
          jitter: 0.2,
          heldDelayMs: 900_000,
        },
      }),
      random: () => 0,
    });
    expect([1, 7].map((a) => low.backoffMs(a))).toEqual([800, 48_000]);
  });
});

async function until(cond: () => boolean, timeoutMs = 10_000): Promise<void> {
  const start = Date.now();
  while (!cond()) {
    if (Date.now() - start > timeoutMs) throw new Error('condition not reached');
    await new Promise((r) => setTimeout(r, 10));
  }
}
