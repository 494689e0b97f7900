import type { KycdConfig } from '../config/KycdConfig.js';
import { EvidenceVault } from '../privacy/EvidenceVault.js';
import { startRetentionTimer, type PurgeResult } from '../privacy/purgeExpired.js';
import type { Store } from '../store/Store.js';
import type { CarrierFetch } from './carrierTransport.js';
import { OutboxWorker } from './OutboxWorker.js';
import { TerminalSigningKey } from './TerminalSigningKey.js';

/** Options of {@link startRegistrationService}. */
export interface RegistrationServiceOptions {
  readonly store: Store;
  readonly config: KycdConfig;
  /** Store and delivery failures that did not lose anything (the worker retries); log them. */
  readonly onError: (err: unknown) => void;
  /** Each retention purge that removed something; audit already has it. */
  readonly onPurged?: (result: PurgeResult) => void;
  /** For tests (the global `fetch` fits). Default: HTTPS with `registration.tls`. */
  readonly fetch?: CarrierFetch;
}

/** The daemon's registration subsystem, running. */
export interface RegistrationService {
  /** The store it writes to. */
  readonly store: Store;
  /** The terminal signing key (`<dataDir>/keys/terminal-ed25519.pem`). */
  readonly key: TerminalSigningKey;
  /** Confirm with `worker.confirm(...)`; listen to `worker.on('registration.status', …)`. */
  readonly worker: OutboxWorker;
  /** Evidence storage (writes nothing unless `privacy.evidence.retain`). */
  readonly vault: EvidenceVault;
  /** Stop the worker (requests in flight stay queued) and the retention timer. */
  close(): Promise<void>;
}

/**
 * Start the registration subsystem on an open store: load (or create) the terminal key, start
 * the outbox worker — which resumes whatever was queued before the restart — and the retention
 * timer.
 * @throws {StoreError} `registration_key_invalid`, `registration_endpoint_insecure`.
 * @example
 * ```ts
 * const registration = startRegistrationService({ store, config, onError: (e) => log.error(e) });
 * registration.worker.on('registration.status', (s) => publish(s.sessionId, 'registration.status', s));
 * registration.worker.confirm({ sessionId, terminalId, msisdn, operatorId, storeId: config.store.storeId, document, liveness, match });
 * await registration.close();
 * ```
 */
export function startRegistrationService(options: RegistrationServiceOptions): RegistrationService {
  const { store, config } = options;
  const key = TerminalSigningKey.loadOrCreate(store.dataDir);
  const worker = new OutboxWorker({
    store,
    key,
    config: config.registration,
    ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
  });
  worker.on('error', options.onError);
  const vault = new EvidenceVault(store, config.privacy.evidence);
  const stopRetention = startRetentionTimer(store, config.privacy, {
    onError: options.onError,
    ...(options.onPurged === undefined ? {} : { onPurged: options.onPurged }),
  });
  worker.start();
  return {
    store,
    key,
    worker,
    vault,
    close: async () => {
      stopRetention();
      await worker.stop();
    },
  };
}
