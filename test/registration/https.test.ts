/**
 * Delivery over HTTPS: the reference carrier serves a certificate generated for the test; the
 * daemon trusts it through `registration.tls.caFile` (and optionally pins its fingerprint). A
 * carrier with another certificate — an impostor on the same address — gets nothing: the
 * registration stays queued with the reason in its last error.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  OutboxWorker,
  TerminalSigningKey,
  openStore,
  parseConfig,
  type RegistrationStatusEvent,
  type Store,
} from '@kycd/daemon';
import {
  ReferenceCarrier,
  createCarrierCertificate,
  type CarrierCertificate,
} from '@kycd/hardware-sim';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { confirmInput } from './fixtures.js';

let carrierCert: CarrierCertificate;
let impostorCert: CarrierCertificate;
let dir: string;
let store: Store;
let key: TerminalSigningKey;
let caFile: string;
const carriers: ReferenceCarrier[] = [];
const workers: OutboxWorker[] = [];

beforeAll(async () => {
  carrierCert = await createCarrierCertificate();
  impostorCert = await createCarrierCertificate({ commonName: 'not the carrier' });
});
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kycd-https-'));
  store = openStore({ dataDir: dir });
  key = TerminalSigningKey.loadOrCreate(dir);
  caFile = join(dir, 'carrier-ca.pem');
  writeFileSync(caFile, carrierCert.certPem);
});
afterEach(async () => {
  for (const w of workers.splice(0)) await w.stop();
  for (const c of carriers.splice(0)) await c.stop();
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

async function carrier(cert: CarrierCertificate): Promise<ReferenceCarrier> {
  const c = new ReferenceCarrier({ trustedKeys: [key.publicKeyPem], tls: cert });
  await c.start();
  carriers.push(c);
  return c;
}

function worker(
  endpoint: string,
  tls: Record<string, string>,
): { worker: OutboxWorker; statuses: RegistrationStatusEvent[] } {
  const config = parseConfig({
    registration: {
      endpoint,
      tls,
      requestTimeoutMs: 2000,
      retry: { initialDelayMs: 50, maxDelayMs: 100, jitter: 0 },
    },
  }).registration;
  const w = new OutboxWorker({ store, key, config });
  const statuses: RegistrationStatusEvent[] = [];
  w.on('registration.status', (e) => statuses.push(e));
  workers.push(w);
  w.start();
  return { worker: w, statuses };
}

async function until(cond: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('registration delivery over HTTPS', () => {
  it('delivers to the carrier whose certificate the CA file trusts', async () => {
    const c = await carrier(carrierCert);
    expect(c.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+\//);
    const { worker: w, statuses } = worker(c.url, { caFile });
    const confirmed = w.confirm(confirmInput('s-1'));
    await until(() => statuses.some((s) => s.status === 'delivered'));
    expect(c.received().map((r) => r.registrationId)).toEqual([confirmed.registrationId]);
    expect(store.registrations.get(confirmed.registrationId)).toMatchObject({
      status: 'delivered',
      attempts: 1,
    });
  });

  it('delivers when the certificate matches the pinned fingerprint, and refuses another one', async () => {
    const c = await carrier(carrierCert);
    const pinned = worker(c.url, { caFile, pinnedCertificateSha256: carrierCert.fingerprint256 });
    const ok = pinned.worker.confirm(confirmInput('s-1'));
    await until(() => pinned.statuses.some((s) => s.status === 'delivered'));
    await pinned.worker.stop();
    expect(c.received().map((r) => r.registrationId)).toEqual([ok.registrationId]);

    // The CA file trusts the carrier, but the pin names another certificate: nothing is sent.
    const wrongPin = worker(c.url, {
      caFile,
      pinnedCertificateSha256: impostorCert.fingerprint256.replace(/:/g, '').toLowerCase(),
    });
    const held = wrongPin.worker.confirm(confirmInput('s-2'));
    await until(() => (store.registrations.get(held.registrationId)?.attempts ?? 0) >= 2);
    expect(store.registrations.get(held.registrationId)).toMatchObject({
      status: 'queued',
      lastError: expect.stringMatching(
        /certificate is refused: .*not the pinned one.*nothing was sent/,
      ),
    });
    expect(c.received()).toHaveLength(1);
  });

  it('never delivers to an impostor with an untrusted certificate: stays queued with the reason', async () => {
    const impostor = await carrier(impostorCert);
    const requestsBefore = impostor.requestCount;
    const { worker: w, statuses } = worker(impostor.url, { caFile });
    const c = w.confirm(confirmInput('s-1'));
    await until(() => (store.registrations.get(c.registrationId)?.attempts ?? 0) >= 3);
    const entry = store.registrations.get(c.registrationId);
    expect(entry?.status).toBe('queued');
    expect(entry?.lastError).toMatch(/certificate is not trusted .*registration\.tls\.caFile/);
    expect(statuses.every((s) => s.status === 'queued')).toBe(true);
    // Not one HTTP request reached it: the handshake was refused before the record went out.
    expect(impostor.requestCount).toBe(requestsBefore);
    expect(impostor.received()).toEqual([]);
  });

  it('refuses a self-signed carrier certificate when no CA file is configured (system CAs)', async () => {
    const c = await carrier(carrierCert);
    const { worker: w } = worker(c.url, {});
    const r = w.confirm(confirmInput('s-1'));
    await until(() => (store.registrations.get(r.registrationId)?.attempts ?? 0) >= 1);
    expect(store.registrations.get(r.registrationId)?.lastError).toMatch(/not trusted/);
    expect(c.received()).toEqual([]);
  });

  it('refuses to start with a CA file that holds no certificate', () => {
    writeFileSync(caFile, 'hello');
    expect(() => worker('https://127.0.0.1:1/r', { caFile })).toThrow(
      expect.objectContaining({ code: 'registration_endpoint_insecure' }),
    );
    expect(() => worker('https://127.0.0.1:1/r', { caFile: join(dir, 'missing.pem') })).toThrow(
      /cannot be read/,
    );
  });
});
