import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  OutboxWorker,
  TerminalSigningKey,
  openStore,
  parseConfig,
  type ConfirmRegistrationInput,
  type DocumentReadResult,
} from '@kycd/daemon';
import { ReferenceCarrier } from '@kycd/hardware-sim';
import { median, quantile, type BenchContext } from './harness.js';

/**
 * `pnpm bench registration`: registrations per second through the outbox with fsync on (WAL,
 * synchronous=FULL; confirm → signed record queued → POST to the reference carrier → marked
 * delivered), beside the bare rate of the same signed POSTs straight to the carrier (the floor
 * set by HTTP, no store); the confirm latency alone; and the time from restart (open the store,
 * load the key, start the worker) to the first resumed delivery of registrations queued before.
 * Runs on the data disk of os.tmpdir().
 */
export default async function bench(ctx: BenchContext): Promise<void> {
  const total = Number(ctx.args[0] ?? 300);
  const dir = mkdtempSync(join(tmpdir(), 'kycd-bench-registration-'));
  const key = TerminalSigningKey.loadOrCreate(dir);
  const carrier = new ReferenceCarrier({ trustedKeys: [key.publicKeyPem] });
  const url = await carrier.start();
  const config = parseConfig({
    registration: {
      endpoint: url,
      concurrency: 4,
      retry: { initialDelayMs: 20, maxDelayMs: 200, jitter: 0 },
    },
  }).registration;
  try {
    // 1. Throughput with fsync on.
    let store = openStore({ dataDir: join(dir, 'throughput') });
    ctx.log(
      `journal_mode=${String(store.db.pragma('journal_mode', { simple: true }))} synchronous=${String(store.db.pragma('synchronous', { simple: true }))} (2 = FULL)`,
    );
    let worker = new OutboxWorker({ store, key, config });
    worker.on('error', (err) => ctx.log(`worker error: ${err.message}`));
    worker.start();
    const confirmMs: number[] = [];
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < total; i++) {
      const c0 = process.hrtime.bigint();
      worker.confirm(input(`s-${i}`));
      confirmMs.push(Number(process.hrtime.bigint() - c0) / 1e6);
      // Let deliveries interleave as they would with real sessions.
      if (i % 8 === 7) await new Promise((r) => setImmediate(r));
    }
    await until(() => store.registrations.counts().delivered === total);
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    await worker.stop();

    // The floor: the same signed bodies POSTed straight to a fresh carrier, 4 at a time, no store.
    const entries = store.registrations.list();
    const floorCarrier = new ReferenceCarrier({ trustedKeys: [key.publicKeyPem] });
    const floorUrl = await floorCarrier.start();
    const f0 = process.hrtime.bigint();
    let next = 0;
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        while (next < entries.length) {
          const e = entries[next++]!;
          const res = await fetch(floorUrl, {
            method: 'POST',
            headers: {
              'content-type': 'application/json',
              'idempotency-key': e.idempotencyKey,
              'kycd-signature': `keyId="${e.keyId}", alg="ed25519", sig="${e.signature}"`,
            },
            body: e.recordJson,
          });
          await res.text();
        }
      }),
    );
    const floorSeconds = Number(process.hrtime.bigint() - f0) / 1e9;
    await floorCarrier.stop();
    store.close();

    ctx.report({
      metric: 'registration.throughput',
      value: total / seconds,
      unit: 'reg/s',
      baseline: entries.length / floorSeconds,
      note: `${total} confirmed + delivered, fsync on; baseline = bare signed POSTs, no store`,
    });
    ctx.report({
      metric: 'registration.confirm.median',
      value: median(confirmMs),
      unit: 'ms',
      note: 'sign + one synchronous=FULL transaction',
    });
    ctx.report({
      metric: 'registration.confirm.p99',
      value: quantile(confirmMs, 0.99),
      unit: 'ms',
    });

    // 2. Restart to resumed delivery: queue with the carrier down, "restart", time to first delivery.
    const restartMs: number[] = [];
    for (let round = 0; round < 5; round++) {
      const dataDir = join(dir, `restart-${round}`);
      store = openStore({ dataDir });
      const down = new OutboxWorker({ store, key, config: { ...config, endpoint: '' } });
      for (let i = 0; i < 50; i++) down.confirm(input(`r-${round}-${i}`));
      store.close();
      carrier.reset();
      const firstDelivery = new Promise<void>((resolve) =>
        carrier.once('delivery', () => resolve()),
      );
      const r0 = process.hrtime.bigint();
      store = openStore({ dataDir });
      worker = new OutboxWorker({ store, key: TerminalSigningKey.loadOrCreate(dir), config });
      worker.on('error', (err) => ctx.log(`worker error: ${err.message}`));
      worker.start();
      await firstDelivery;
      restartMs.push(Number(process.hrtime.bigint() - r0) / 1e6);
      await until(() => store.registrations.counts().delivered === 50);
      await worker.stop();
      store.close();
    }
    ctx.report({
      metric: 'registration.restart_to_delivery.median',
      value: median(restartMs),
      unit: 'ms',
      note: 'openStore (quick_check, migrations) + key + worker start → first carrier delivery; in-process, Node start-up excluded',
    });
  } finally {
    await carrier.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

const DOCUMENT: DocumentReadResult = {
  kind: 'cn-resident-id',
  accessControl: 'SAM',
  fields: {
    documentType: 'cn-resident-id',
    documentNumber: '11010519491231002X',
    fullName: '张三',
    birthDate: '1949-12-31',
    address: '北京市朝阳区测试路1号',
  },
  photo: { format: 'wlt', encoded: new Uint8Array(1024) },
  authenticity: {
    passiveAuthentication: { status: 'passed' },
    chipAuthentication: { status: 'not_supported' },
    activeAuthentication: { status: 'not_supported' },
    genuine: true,
  },
  timing: {},
};

function input(sessionId: string): ConfirmRegistrationInput {
  return {
    sessionId,
    terminalId: 'till-1',
    msisdn: '+8613800138000',
    operatorId: 'op-7',
    storeId: 'store-1',
    document: DOCUMENT,
    liveness: {
      passed: true,
      challenges: ['turn_left', 'blink'],
      antiSpoofScore: 0.97,
      antiSpoofThreshold: 0.8,
    },
    match: { passed: true, similarity: 0.71, threshold: 0.45 },
  };
}

async function until(cond: () => boolean, timeoutMs = 120_000): Promise<void> {
  const start = Date.now();
  while (!cond()) {
    if (Date.now() - start > timeoutMs) throw new Error('bench: condition not reached');
    await new Promise((r) => setTimeout(r, 2));
  }
}
