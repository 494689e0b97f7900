import { createHash, createPublicKey, verify, type KeyObject } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';

/** One registration the carrier accepted (first delivery of its idempotency key). */
export interface CarrierDelivery {
  readonly idempotencyKey: string;
  readonly registrationId: string;
  readonly sessionId: string;
  readonly keyId: string;
  /** The record as received (parsed canonical JSON). */
  readonly record: Readonly<Record<string, unknown>>;
  readonly bodySha256: string;
  readonly carrierRef: string;
  readonly receivedAt: number;
  /** Repeat deliveries of the same key with the same body, answered idempotently. */
  replays: number;
}

/** Why the carrier refused a request (it answered 4xx). */
export interface CarrierRejection {
  readonly idempotencyKey?: string;
  readonly status: number;
  readonly reason: string;
}

/** How the carrier answers the next requests. */
export type CarrierBehaviour =
  | { readonly mode: 'accept' }
  /** Answer with a 5xx (default 503) — the daemon must retry; with `probability` (0..1) only that share of requests fails. */
  | { readonly mode: 'fail'; readonly status?: number; readonly probability?: number }
  /** Never answer (the daemon's time-out fires) — or answer after `ms`. */
  | { readonly mode: 'stall'; readonly ms?: number }
  /** Answer 4xx (default 422) with a reason — a final rejection. */
  | { readonly mode: 'reject'; readonly status?: number; readonly reason?: string };

/** Events of {@link ReferenceCarrier}. */
export interface ReferenceCarrierEvents {
  delivery: [CarrierDelivery];
  replay: [CarrierDelivery];
  rejection: [CarrierRejection];
  error: [Error];
}

/** Options of {@link ReferenceCarrier}. */
export interface ReferenceCarrierOptions {
  /** Terminal public keys the carrier trusts: SPKI PEM strings or KeyObjects, by keyId or as a list. */
  readonly trustedKeys?: readonly (string | KeyObject)[];
  /** Port on 127.0.0.1 (0 picks a free one). */
  readonly port?: number;
  /** Largest accepted body. Default 1 MiB. */
  readonly maxBodyBytes?: number;
  /**
   * Serve HTTPS with this certificate and key (PEM; see `createCarrierCertificate`) instead of
   * plain HTTP. The URL then starts with `https://127.0.0.1`.
   */
  readonly tls?: { readonly certPem: string; readonly keyPem: string };
}

/** Path the carrier receives registrations on. */
export const CARRIER_REGISTRATIONS_PATH = '/v1/registrations';

/**
 * A reference carrier back end for tests and `npm start`: an HTTP server on 127.0.0.1 that
 * accepts `POST /v1/registrations`, checks the `Idempotency-Key` (must equal the record's
 * `registrationId`; a repeat with the same body is answered 200 again without counting twice,
 * a repeat with a different body is refused 422) and the Ed25519 `Kycd-Signature` over the exact
 * body bytes against the trusted terminal keys (401 when it does not verify), and records every
 * accepted registration. It can be told to fail (5xx), stall or reject (4xx) — `behave()` for
 * every following request, `behaveNext()` for a number of them. `GET /v1/registrations` lists
 * what it received.
 *
 * @example
 * ```ts
 * const carrier = new ReferenceCarrier({ trustedKeys: [publicKeyPem] });
 * const url = await carrier.start(); // http://127.0.0.1:PORT/v1/registrations
 * carrier.behaveNext(2, { mode: 'fail', status: 503 });
 * ```
 */
export class ReferenceCarrier extends EventEmitter<ReferenceCarrierEvents> {
  private readonly keys = new Map<string, KeyObject>();
  private readonly deliveries = new Map<string, CarrierDelivery>();
  private readonly rejectionsList: CarrierRejection[] = [];
  private behaviour: CarrierBehaviour = { mode: 'accept' };
  private readonly scripted: CarrierBehaviour[] = [];
  private server: Server | undefined;
  private readonly port: number;
  private readonly maxBodyBytes: number;
  private readonly tls: ReferenceCarrierOptions['tls'];
  private requests = 0;
  private readonly stalled = new Set<ServerResponse>();

  constructor(options: ReferenceCarrierOptions = {}) {
    super();
    this.port = options.port ?? 0;
    this.maxBodyBytes = options.maxBodyBytes ?? 1024 * 1024;
    this.tls = options.tls;
    for (const k of options.trustedKeys ?? []) this.trust(k);
  }

  /** Trust a terminal public key (SPKI PEM or KeyObject); returns its keyId. */
  trust(key: string | KeyObject): string {
    const keyObject =
      typeof key === 'string'
        ? createPublicKey(key)
        : key.type === 'private'
          ? createPublicKey(key)
          : key;
    if (keyObject.asymmetricKeyType !== 'ed25519')
      throw new TypeError('the reference carrier trusts Ed25519 keys only');
    const raw = Buffer.from(keyObject.export({ format: 'jwk' }).x ?? '', 'base64url');
    const keyId = createHash('sha256').update(raw).digest('hex').slice(0, 32);
    this.keys.set(keyId, keyObject);
    return keyId;
  }

  /** Listen on 127.0.0.1; resolves with the registrations URL. */
  async start(): Promise<string> {
    if (this.server !== undefined) return this.url;
    const handler = (req: IncomingMessage, res: ServerResponse): void => {
      this.handle(req, res).catch((err: unknown) => {
        this.emit('error', err instanceof Error ? err : new Error(String(err)));
        if (!res.headersSent) res.writeHead(500).end();
      });
    };
    const server: Server =
      this.tls === undefined
        ? createServer(handler)
        : createHttpsServer({ cert: this.tls.certPem, key: this.tls.keyPem }, handler);
    // A client that refuses the certificate ends the handshake; that is not a carrier fault.
    server.on('tlsClientError', () => undefined);
    server.on('error', (err) => this.emit('error', err));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
    return this.url;
  }

  /** The registrations URL (after `start`). */
  get url(): string {
    const addr = this.server?.address() as AddressInfo | null | undefined;
    if (addr === undefined || addr === null) throw new Error('ReferenceCarrier is not started');
    return `${this.tls === undefined ? 'http' : 'https'}://127.0.0.1:${addr.port}${CARRIER_REGISTRATIONS_PATH}`;
  }

  /** Stop listening, dropping stalled requests and open connections. */
  async stop(): Promise<void> {
    const server = this.server;
    if (server === undefined) return;
    this.server = undefined;
    for (const res of this.stalled) res.destroy();
    this.stalled.clear();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** How to answer every request from now on (after any `behaveNext` ones). */
  behave(behaviour: CarrierBehaviour): void {
    this.behaviour = behaviour;
  }

  /** Answer the next `count` requests this way, then go back to `behave`'s. */
  behaveNext(count: number, behaviour: CarrierBehaviour): void {
    for (let i = 0; i < count; i++) this.scripted.push(behaviour);
  }

  /** Accepted registrations, in order of first receipt. */
  received(): CarrierDelivery[] {
    return [...this.deliveries.values()];
  }

  /** Requests refused with 4xx. */
  rejections(): CarrierRejection[] {
    return [...this.rejectionsList];
  }

  /** Requests seen (all methods and outcomes). */
  get requestCount(): number {
    return this.requests;
  }

  /** Forget everything received (keys and behaviour stay). */
  reset(): void {
    this.deliveries.clear();
    this.rejectionsList.length = 0;
    this.requests = 0;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.requests++;
    const path = (req.url ?? '').split('?')[0];
    if (path !== CARRIER_REGISTRATIONS_PATH) return json(res, 404, { error: 'not_found' });
    if (req.method === 'GET') return json(res, 200, { registrations: this.received() });
    if (req.method !== 'POST') return json(res, 405, { error: 'method_not_allowed' });
    const body = await readBody(req, this.maxBodyBytes);
    if (body === undefined)
      return this.refuse(res, 413, `body larger than ${this.maxBodyBytes} bytes`);

    const behaviour = this.scripted.shift() ?? this.behaviour;
    if (behaviour.mode === 'fail' && Math.random() < (behaviour.probability ?? 1))
      return json(res, behaviour.status ?? 503, { error: 'carrier_unavailable' });
    if (behaviour.mode === 'stall') {
      if (behaviour.ms === undefined) {
        this.stalled.add(res);
        res.on('close', () => this.stalled.delete(res));
        return;
      }
      await new Promise((r) => setTimeout(r, behaviour.ms));
    }

    const idempotencyKey = header(req, 'idempotency-key');
    if (idempotencyKey === undefined || !/^[A-Za-z0-9_.:-]{1,128}$/.test(idempotencyKey))
      return this.refuse(res, 400, 'missing or malformed Idempotency-Key');
    const sig = parseSignatureHeader(header(req, 'kycd-signature'));
    if (sig === undefined)
      return this.refuse(res, 401, 'missing or malformed Kycd-Signature', idempotencyKey);
    const key = this.keys.get(sig.keyId);
    if (key === undefined)
      return this.refuse(res, 401, `unknown terminal key ${sig.keyId}`, idempotencyKey);
    const signature = Buffer.from(sig.sig, 'base64url');
    if (signature.length !== 64 || !verify(null, body, key, signature))
      return this.refuse(res, 401, 'signature does not verify', idempotencyKey);

    let record: Record<string, unknown>;
    try {
      const parsed = JSON.parse(body.toString('utf8')) as unknown;
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
        throw new TypeError('not an object');
      record = parsed as Record<string, unknown>;
    } catch {
      return this.refuse(res, 400, 'body is not a JSON object', idempotencyKey);
    }
    if (record.registrationId !== idempotencyKey)
      return this.refuse(res, 422, 'Idempotency-Key does not match registrationId', idempotencyKey);
    if (record.keyId !== sig.keyId)
      return this.refuse(res, 422, 'record keyId does not match the signature key', idempotencyKey);
    const bodySha256 = createHash('sha256').update(body).digest('hex');
    const previous = this.deliveries.get(idempotencyKey);
    if (previous !== undefined) {
      if (previous.bodySha256 !== bodySha256)
        return this.refuse(
          res,
          422,
          'Idempotency-Key reused with a different body',
          idempotencyKey,
        );
      previous.replays++;
      this.emit('replay', previous);
      return json(res, 200, {
        accepted: true,
        carrierRef: previous.carrierRef,
        registrationId: idempotencyKey,
        replay: true,
      });
    }
    if (behaviour.mode === 'reject')
      return this.refuse(
        res,
        behaviour.status ?? 422,
        behaviour.reason ?? 'rejected by carrier policy',
        idempotencyKey,
      );
    const delivery: CarrierDelivery = {
      idempotencyKey,
      registrationId: idempotencyKey,
      sessionId: typeof record.sessionId === 'string' ? record.sessionId : '',
      keyId: sig.keyId,
      record,
      bodySha256,
      carrierRef: `C-${String(this.deliveries.size + 1).padStart(6, '0')}`,
      receivedAt: Date.now(),
      replays: 0,
    };
    this.deliveries.set(idempotencyKey, delivery);
    this.emit('delivery', delivery);
    return json(res, 201, {
      accepted: true,
      carrierRef: delivery.carrierRef,
      registrationId: idempotencyKey,
    });
  }

  private refuse(
    res: ServerResponse,
    status: number,
    reason: string,
    idempotencyKey?: string,
  ): void {
    const rejection: CarrierRejection = {
      status,
      reason,
      ...(idempotencyKey === undefined ? {} : { idempotencyKey }),
    };
    this.rejectionsList.push(rejection);
    this.emit('rejection', rejection);
    json(res, status, { accepted: false, reason });
  }
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** `keyId="…", alg="ed25519", sig="…"` → its parts; undefined when malformed. */
function parseSignatureHeader(
  value: string | undefined,
): { keyId: string; sig: string } | undefined {
  if (value === undefined || value.length > 512) return undefined;
  const parts = new Map<string, string>();
  for (const m of value.matchAll(/([a-zA-Z]+)="([^"]*)"/g))
    parts.set(m[1] as string, m[2] as string);
  const keyId = parts.get('keyId');
  const sig = parts.get('sig');
  if (parts.get('alg') !== 'ed25519' || keyId === undefined || sig === undefined) return undefined;
  return { keyId, sig };
}

async function readBody(req: IncomingMessage, max: number): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > max) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function json(res: ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(value);
  res
    .writeHead(status, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(body),
    })
    .end(body);
}
