import { EventEmitter } from 'node:events';
import type { RegistrationConfig } from '../config/sections/registration.js';
import type { Store } from '../store/Store.js';
import { StoreError } from '../store/StoreError.js';
import { validateCarrierEndpoint } from './carrierEndpoint.js';
import { createCarrierFetch, type CarrierFetch } from './carrierTransport.js';
import {
  confirmRegistration,
  type ConfirmedRegistration,
  type ConfirmRegistrationInput,
} from './confirmRegistration.js';
import type { OutboxEntry, RegistrationStatus } from './RegistrationOutbox.js';
import type { TerminalSigningKey } from './TerminalSigningKey.js';

/** The header that carries the registration's signature. */
export const SIGNATURE_HEADER = 'kycd-signature';
/** The header that carries the idempotency key (the registration id). */
export const IDEMPOTENCY_HEADER = 'idempotency-key';

/** Payload of `registration.status`. */
export interface RegistrationStatusEvent {
  readonly registrationId: string;
  readonly sessionId: string;
  readonly status: RegistrationStatus;
  /** Attempts made so far. */
  readonly attempts: number;
  /** `queued` after a failed attempt: when the next one is due (ms since epoch) and why. */
  readonly nextAttemptAt?: number;
  readonly lastError?: string;
  /**
   * `queued` after the carrier refused the terminal's credentials (401/403): held until the
   * carrier trusts the terminal key, retried every `retry.heldDelayMs`.
   */
  readonly held?: 'carrier_refused_terminal';
  /** `rejected`: the carrier's reason and HTTP status; `code` is `registration_rejected`. */
  readonly reason?: string;
  readonly httpStatus?: number;
  readonly code?: 'registration_rejected';
}

/** Events of {@link OutboxWorker}. */
export interface OutboxWorkerEvents {
  'registration.status': [RegistrationStatusEvent];
  /** A store failure while recording an outcome (the attempt will be repeated; never lost). */
  error: [Error];
}

/** Options of {@link OutboxWorker}. */
export interface OutboxWorkerOptions {
  readonly store: Store;
  /** Needed only by {@link OutboxWorker.confirm}. */
  readonly key?: TerminalSigningKey;
  /** The `registration` config section (endpoint, timeouts, retry, record). */
  readonly config: RegistrationConfig;
  /**
   * Injected for tests (the global `fetch` fits). Default: {@link createCarrierFetch} with
   * `config.tls` (the CA file and the pinned certificate).
   */
  readonly fetch?: CarrierFetch;
  /** Injected for tests. Default: `Math.random`. */
  readonly random?: () => number;
}

/** Statuses other than these in 4xx are retried: request time-out, too early, too many requests. */
const RETRYABLE_4XX = new Set([408, 425, 429]);
/**
 * The carrier does not (yet) accept this terminal: its key is unknown there or not pinned yet.
 * Fixed on the carrier's side, not by the registration: held and retried after
 * `retry.heldDelayMs`, never rejected.
 */
const HELD_4XX = new Set([401, 403]);

/**
 * Delivers queued registrations to the carrier: POST of the signed canonical JSON with
 * `Idempotency-Key` and `Kycd-Signature` headers. 2xx → `delivered`; 401/403 (the carrier does
 * not trust this terminal's key yet) → held: `queued`, retried after `retry.heldDelayMs`;
 * other 4xx (except 408/425/429) → `rejected`, final; 5xx, time-outs and network errors → retried with exponential backoff and
 * jitter, forever (a confirmed registration is never dropped). Picks up whatever was queued
 * before a restart as soon as it starts. Emits `registration.status`.
 *
 * @example
 * ```ts
 * const worker = new OutboxWorker({ store, key, config: config.registration });
 * worker.on('error', (err) => log.error(err));
 * worker.on('registration.status', (s) => emitToSession(s.sessionId, s));
 * worker.start();
 * const { registrationId } = worker.confirm({ sessionId, terminalId, msisdn, ... });
 * ```
 */
export class OutboxWorker extends EventEmitter<OutboxWorkerEvents> {
  private readonly store: Store;
  private readonly key: TerminalSigningKey | undefined;
  private readonly config: RegistrationConfig;
  private readonly endpoint: URL | undefined;
  private readonly fetchFn: CarrierFetch;
  private readonly random: () => number;
  private readonly inFlight = new Map<string, Promise<void>>();
  private readonly aborts = new Set<AbortController>();
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private ticking = false;
  private tickAgain = false;
  /** After a store failure, no new attempt starts before this time (no hot loop on a full disk). */
  private pausedUntil = 0;
  private idleWaiters: (() => void)[] = [];

  /**
   * @throws {StoreError} `registration_endpoint_insecure` on a non-HTTPS, non-loopback endpoint
   *   or an unreadable `tls.caFile`.
   */
  constructor(options: OutboxWorkerOptions) {
    super();
    this.store = options.store;
    this.key = options.key;
    this.config = options.config;
    this.endpoint =
      options.config.endpoint === '' ? undefined : validateCarrierEndpoint(options.config.endpoint);
    this.fetchFn = options.fetch ?? createCarrierFetch(options.config.tls);
    this.random = options.random ?? Math.random;
  }

  /** Whether an endpoint is configured (without one, registrations only queue). */
  get deliveryEnabled(): boolean {
    return this.endpoint !== undefined;
  }

  /** Start delivering, beginning with whatever is due (including from before a restart). */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.wake();
  }

  /** Stop scheduling; aborts requests in flight (they stay queued) and waits for them. */
  async stop(): Promise<void> {
    this.running = false;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    for (const a of this.aborts) a.abort(new Error('outbox worker stopped'));
    await Promise.allSettled([...this.inFlight.values()]);
    this.resolveIdle();
  }

  /**
   * {@link confirmRegistration} with this worker's key and record settings, then emit `queued`
   * and deliver at once. Throws what `confirmRegistration` throws.
   */
  confirm(input: ConfirmRegistrationInput): ConfirmedRegistration {
    if (this.key === undefined) throw new TypeError('OutboxWorker.confirm needs options.key');
    const confirmed = confirmRegistration(
      { store: this.store, key: this.key, recordConfig: this.config.record },
      input,
    );
    this.emit('registration.status', {
      registrationId: confirmed.registrationId,
      sessionId: confirmed.sessionId,
      status: 'queued',
      attempts: 0,
    });
    this.wake();
    return confirmed;
  }

  /** Look for due registrations now (call after queueing one by other means). */
  wake(): void {
    if (!this.running) return;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    queueMicrotask(() => this.tick());
  }

  /**
   * Resolves when nothing is in flight and nothing queued is due now (later retries may still be
   * scheduled). For tests, benchmarks and orderly shutdown.
   */
  idle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private isIdle(): boolean {
    if (this.inFlight.size > 0 || this.ticking) return false;
    if (!this.running || this.endpoint === undefined || !this.store.open) return true;
    const next = this.safe(() => this.store.registrations.nextDueAt(new Set(this.inFlight.keys())));
    return next === undefined || next > this.store.context.now();
  }

  private resolveIdle(): void {
    if (this.idleWaiters.length === 0 || !this.isIdle()) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }

  private tick(): void {
    if (!this.running || this.endpoint === undefined) return this.resolveIdle();
    if (!this.store.open) {
      // The store was closed under us (shutdown order): stop quietly; the queue is on disk.
      this.running = false;
      return this.resolveIdle();
    }
    const pause = this.pausedUntil - this.store.context.now();
    if (pause > 0) {
      if (this.timer !== undefined) clearTimeout(this.timer);
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.tick();
      }, pause);
      this.timer.unref?.();
      return;
    }
    if (this.ticking) {
      this.tickAgain = true;
      return;
    }
    this.ticking = true;
    try {
      do {
        this.tickAgain = false;
        const free = this.config.concurrency - this.inFlight.size;
        if (free <= 0) break;
        const due =
          this.safe(() =>
            this.store.registrations.due(
              this.store.context.now(),
              free,
              new Set(this.inFlight.keys()),
            ),
          ) ?? [];
        for (const entry of due) this.launch(entry);
        if (due.length === free) this.tickAgain = true;
      } while (this.tickAgain && this.running && this.inFlight.size < this.config.concurrency);
    } finally {
      this.ticking = false;
    }
    this.schedule();
    this.resolveIdle();
  }

  private schedule(): void {
    if (!this.running || this.inFlight.size >= this.config.concurrency) return;
    const next = this.safe(() => this.store.registrations.nextDueAt(new Set(this.inFlight.keys())));
    if (next === undefined) return;
    if (this.timer !== undefined) clearTimeout(this.timer);
    const delay = Math.max(0, Math.min(next - this.store.context.now(), 2 ** 31 - 1));
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.tick();
    }, delay);
    this.timer.unref?.();
  }

  private launch(entry: OutboxEntry): void {
    const p = this.deliver(entry)
      .catch((err: unknown) => {
        this.pausedUntil = this.store.context.now() + this.config.retry.initialDelayMs;
        this.emit('error', err instanceof Error ? err : new Error(String(err)));
      })
      .finally(() => {
        this.inFlight.delete(entry.registrationId);
        if (this.running) this.tick();
        else this.resolveIdle();
      });
    this.inFlight.set(entry.registrationId, p);
  }

  private async deliver(entry: OutboxEntry): Promise<void> {
    const endpoint = this.endpoint as URL;
    if (entry.recordJson === undefined || entry.signature === undefined) {
      // Purged before delivery can only happen by manual erase; nothing left to send.
      this.recordRejected(entry, 0, 'record erased before delivery');
      return;
    }
    const abort = new AbortController();
    this.aborts.add(abort);
    const timeout = setTimeout(
      () => abort.abort(new Error(`no answer within ${this.config.requestTimeoutMs} ms`)),
      this.config.requestTimeoutMs,
    );
    let response: Response;
    let body: string;
    try {
      response = await this.fetchFn(endpoint, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          [IDEMPOTENCY_HEADER]: entry.idempotencyKey,
          [SIGNATURE_HEADER]: `keyId="${entry.keyId}", alg="ed25519", sig="${entry.signature}"`,
        },
        body: entry.recordJson,
        signal: abort.signal,
        redirect: 'error',
      });
      body = await readCapped(response, 4096);
    } catch (err) {
      if (!this.running) return; // stopped: stays queued, attempt not counted.
      const reason = abort.signal.aborted
        ? `time-out: ${describe(abort.signal.reason)}`
        : `network error: ${describe(err)}`;
      this.recordRetry(entry, reason);
      return;
    } finally {
      clearTimeout(timeout);
      this.aborts.delete(abort);
    }
    if (response.status >= 200 && response.status < 300) {
      this.recordDelivered(entry, response.status, body);
    } else if (HELD_4XX.has(response.status)) {
      this.recordRetry(
        entry,
        `held: the carrier refused this terminal (${rejectionReason(response.status, body)}); register or pin terminal key ${entry.keyId} at the carrier — retried every ${Math.round(this.config.retry.heldDelayMs / 1000)} s, never dropped`,
        response.status,
        this.store.context.now() + this.config.retry.heldDelayMs,
        true,
      );
    } else if (
      response.status >= 400 &&
      response.status < 500 &&
      !RETRYABLE_4XX.has(response.status)
    ) {
      this.recordRejected(entry, response.status, rejectionReason(response.status, body));
    } else {
      const retryAfter = parseRetryAfter(
        response.headers.get('retry-after'),
        this.store.context.now(),
      );
      this.recordRetry(
        entry,
        `carrier answered HTTP ${response.status}${body === '' ? '' : `: ${body.slice(0, 200)}`}`,
        response.status,
        retryAfter,
      );
    }
  }

  private recordDelivered(entry: OutboxEntry, status: number, body: string): void {
    // Relaxed durability: losing this mark in a power cut only causes an idempotent redelivery.
    const moved = this.store.context.writeRelaxed('registration delivered', () => {
      const ok = this.store.registrations.markDelivered(entry.registrationId, status, body);
      if (ok)
        this.store.audit.append({
          kind: 'registration.delivered',
          actor: 'daemon',
          sessionId: entry.sessionId,
          data: {
            registrationId: entry.registrationId,
            httpStatus: status,
            attempts: entry.attempts + 1,
          },
        });
      return ok;
    });
    if (moved)
      this.emit('registration.status', {
        registrationId: entry.registrationId,
        sessionId: entry.sessionId,
        status: 'delivered',
        attempts: entry.attempts + 1,
        httpStatus: status,
      });
  }

  private recordRejected(entry: OutboxEntry, status: number, reason: string): void {
    const moved = this.store.transaction('registration rejected', () => {
      const ok = this.store.registrations.markRejected(entry.registrationId, status, reason);
      if (ok)
        this.store.audit.append({
          kind: 'registration.rejected',
          actor: 'daemon',
          sessionId: entry.sessionId,
          data: { registrationId: entry.registrationId, httpStatus: status, reason },
        });
      return ok;
    });
    if (moved) {
      this.emit('registration.status', {
        registrationId: entry.registrationId,
        sessionId: entry.sessionId,
        status: 'rejected',
        attempts: entry.attempts + 1,
        reason,
        httpStatus: status,
        code: 'registration_rejected',
      });
    }
  }

  private recordRetry(
    entry: OutboxEntry,
    reason: string,
    status?: number,
    notBefore?: number,
    held = false,
  ): void {
    const attempts = entry.attempts + 1;
    const now = this.store.context.now();
    const nextAttemptAt = Math.max(now + this.backoffMs(attempts), notBefore ?? 0);
    const moved = this.store.registrations.markRetry(
      entry.registrationId,
      nextAttemptAt,
      reason,
      status,
    );
    if (moved) {
      this.emit('registration.status', {
        registrationId: entry.registrationId,
        sessionId: entry.sessionId,
        status: 'queued',
        attempts,
        nextAttemptAt,
        lastError: reason,
        ...(status === undefined ? {} : { httpStatus: status }),
        ...(held ? { held: 'carrier_refused_terminal' as const } : {}),
      });
    }
  }

  /** Wait before retry number `attempts` (1-based): exponential, capped, ± jitter. */
  backoffMs(attempts: number): number {
    const { initialDelayMs, maxDelayMs, multiplier, jitter } = this.config.retry;
    const base = Math.min(maxDelayMs, initialDelayMs * multiplier ** Math.max(0, attempts - 1));
    return Math.max(0, Math.round(base * (1 + jitter * (2 * this.random() - 1))));
  }

  private safe<T>(fn: () => T): T | undefined {
    try {
      return fn();
    } catch (err) {
      this.emit(
        'error',
        err instanceof Error
          ? err
          : new StoreError('registration_store_unavailable', String(err), { step: 'outbox' }),
      );
      return undefined;
    }
  }
}

async function readCapped(response: Response, max: number): Promise<string> {
  const text = await response.text();
  return text.length > max ? text.slice(0, max) : text;
}

function rejectionReason(status: number, body: string): string {
  try {
    const parsed = JSON.parse(body) as unknown;
    if (typeof parsed === 'object' && parsed !== null) {
      const p = parsed as Record<string, unknown>;
      const reason =
        typeof p.reason === 'string'
          ? p.reason
          : typeof p.error === 'string'
            ? p.error
            : typeof p.message === 'string'
              ? p.message
              : undefined;
      if (reason !== undefined) return `HTTP ${status}: ${reason.slice(0, 500)}`;
    }
  } catch {
    // not JSON
  }
  return `HTTP ${status}${body === '' ? '' : `: ${body.slice(0, 500)}`}`;
}

function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (value === null) return undefined;
  if (/^\d{1,6}$/.test(value.trim())) return now + Math.min(Number(value.trim()), 3600) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.min(at, now + 3_600_000);
}

function describe(err: unknown): string {
  if (err instanceof Error) {
    const cause = err.cause instanceof Error ? ` (${err.cause.message})` : '';
    return `${err.message}${cause}`;
  }
  return String(err);
}
