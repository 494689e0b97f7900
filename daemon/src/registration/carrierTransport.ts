import { readFileSync } from 'node:fs';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { checkServerIdentity, type PeerCertificate } from 'node:tls';
import type { RegistrationConfig } from '../config/sections/registration.js';
import { StoreError } from '../store/StoreError.js';

/** What the outbox worker sends: a subset of `fetch`'s init. */
export interface CarrierRequestInit {
  readonly method: 'POST';
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  readonly signal: AbortSignal;
  readonly redirect: 'error';
}

/** How the outbox worker POSTs to the carrier. The global `fetch` fits (tests inject fakes). */
export type CarrierFetch = (url: URL, init: CarrierRequestInit) => Promise<Response>;

/** Largest carrier answer body read (the rest is discarded). */
const MAX_ANSWER_BYTES = 64 * 1024;

/**
 * The carrier transport: `node:https` with the CAs of `registration.tls.caFile` (else the
 * system's) and, when `pinnedCertificateSha256` is set, a check of the certificate's
 * fingerprint after the chain and host name were verified. A refused certificate fails the
 * request before a single byte of the record is sent, with a message that says why (the worker
 * keeps the registration queued and retries). Plain `http:` (loopback only, validated
 * elsewhere) goes through `node:http`. Redirects are never followed.
 *
 * @throws {StoreError} `registration_endpoint_insecure` when the CA file cannot be read or holds
 *   no PEM certificate.
 */
export function createCarrierFetch(tls: RegistrationConfig['tls']): CarrierFetch {
  const ca = tls.caFile === '' ? undefined : readCaFile(tls.caFile);
  const pin =
    tls.pinnedCertificateSha256 === ''
      ? undefined
      : tls.pinnedCertificateSha256.replace(/:/g, '').toUpperCase();
  // An agent of its own: pooled connections are reused only among requests that were checked
  // against this CA and pin (the global agent would hand a connection verified otherwise).
  const agent = new HttpsAgent({
    keepAlive: true,
    ...(ca === undefined ? {} : { ca }),
    checkServerIdentity: (host: string, cert: PeerCertificate) => {
      const hostError = checkServerIdentity(host, cert);
      if (hostError !== undefined) return hostError;
      if (pin !== undefined && cert.fingerprint256.replace(/:/g, '') !== pin)
        return Object.assign(
          new Error(
            `the carrier's certificate (SHA-256 ${cert.fingerprint256}) is not the pinned one (registration.tls.pinnedCertificateSha256)`,
          ),
          { code: NOT_PINNED },
        );
      return undefined;
    },
  });
  return (url, init) =>
    new Promise<Response>((resolve, reject) => {
      if (init.signal.aborted) {
        reject(init.signal.reason);
        return;
      }
      const options = {
        method: init.method,
        headers: { ...init.headers, 'content-length': String(Buffer.byteLength(init.body)) },
        signal: init.signal,
      };
      const onResponse = (res: IncomingMessage): void => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size <= MAX_ANSWER_BYTES) chunks.push(chunk);
        });
        res.on('error', reject);
        res.on('end', () => {
          const headers = new Headers();
          for (const [k, v] of Object.entries(res.headers))
            if (typeof v === 'string') headers.set(k, v);
          const status = res.statusCode ?? 0;
          const body = status === 204 || status === 304 ? null : Buffer.concat(chunks);
          try {
            resolve(new Response(body, { status, headers }));
          } catch (err) {
            reject(err instanceof Error ? err : new Error(String(err)));
          }
        });
      };
      const req =
        url.protocol === 'https:'
          ? httpsRequest(url, { ...options, agent }, onResponse)
          : httpRequest(url, options, onResponse);
      req.on('error', (err: NodeJS.ErrnoException) => reject(describeTlsError(err)));
      req.end(init.body);
    });
}

/** The code of the pin check's own error (node passes it on as the request's error). */
const NOT_PINNED = 'ERR_KYCD_CERTIFICATE_NOT_PINNED';

/** Node's certificate error codes, said plainly. */
const CERTIFICATE_ERRORS = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_GET_ISSUER_CERT',
  'CERT_UNTRUSTED',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

function describeTlsError(err: NodeJS.ErrnoException): Error {
  if (err.code !== undefined && CERTIFICATE_ERRORS.has(err.code))
    return new Error(
      `the carrier's TLS certificate is not trusted (${err.code}: ${err.message}); nothing was sent — check registration.tls.caFile`,
      { cause: err },
    );
  if (err.code === NOT_PINNED)
    return new Error(`the carrier's TLS certificate is refused: ${err.message}; nothing was sent`, {
      cause: err,
    });
  return err;
}

function readCaFile(file: string): string {
  let pem: string;
  try {
    pem = readFileSync(file, 'utf8');
  } catch (err) {
    throw new StoreError(
      'registration_endpoint_insecure',
      `registration.tls.caFile ${file} cannot be read (${err instanceof Error ? err.message : String(err)})`,
      { step: 'config' },
    );
  }
  if (!pem.includes('-----BEGIN CERTIFICATE-----'))
    throw new StoreError(
      'registration_endpoint_insecure',
      `registration.tls.caFile ${file} holds no PEM certificate`,
      { step: 'config' },
    );
  return pem;
}
