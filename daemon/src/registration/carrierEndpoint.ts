import { isIP } from 'node:net';
import { StoreError } from '../store/StoreError.js';

/**
 * Parse and check the carrier endpoint: `https:` anywhere, `http:` only to a loopback address
 * (`127.0.0.0/8`, `::1`, `localhost`) — the simulator's reference carrier.
 * @throws {StoreError} `registration_endpoint_insecure` otherwise (also for a malformed URL).
 */
export function validateCarrierEndpoint(endpoint: string): URL {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new StoreError(
      'registration_endpoint_insecure',
      `registration.endpoint ${JSON.stringify(endpoint)} is not a URL`,
      { step: 'config' },
    );
  }
  if (url.username !== '' || url.password !== '') {
    throw new StoreError(
      'registration_endpoint_insecure',
      'registration.endpoint must not carry credentials in the URL',
      { step: 'config' },
    );
  }
  if (url.protocol === 'https:') return url;
  if (url.protocol === 'http:' && isLoopbackHost(url.hostname)) return url;
  throw new StoreError(
    'registration_endpoint_insecure',
    `registration.endpoint ${url.origin} must be https (plain http is allowed only to a loopback address)`,
    { step: 'config', data: { protocol: url.protocol, host: url.hostname } },
  );
}

function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '');
  if (host === 'localhost') return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  if (isIP(host) === 6) return host === '::1' || host === '0:0:0:0:0:0:0:1';
  return false;
}
