import type { IncomingMessage } from 'node:http';

/** Why an HTTP upgrade was refused; the HTTP status and a reason for the log. */
export interface UpgradeRefusal {
  status: 400 | 403 | 404 | 426 | 503;
  reason: string;
}

export interface UpgradePolicy {
  /** The address the server is bound to (config `server.host`). */
  host: string;
  /** The port actually listened on. */
  port: number;
  /** Exact browser Origins allowed; requests without an Origin (native clients) always pass. */
  allowedOrigins: readonly string[];
  path: string;
}

const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '[::1]'];

/**
 * Decide whether a WebSocket upgrade request may proceed. Defends against DNS rebinding (the
 * Host header must name the bound address or localhost, with our port) and cross-site WebSocket
 * hijacking (a browser's Origin must be on the allow-list). Returns undefined when allowed.
 */
export function checkUpgrade(
  req: Pick<IncomingMessage, 'headers' | 'url'>,
  policy: UpgradePolicy,
): UpgradeRefusal | undefined {
  const url = req.url ?? '/';
  const path = url.split('?')[0];
  if (path !== policy.path)
    return {
      status: 404,
      reason: `unknown path ${JSON.stringify(path)}; the API lives at ${policy.path}`,
    };

  const host = req.headers.host;
  if (host === undefined) return { status: 400, reason: 'missing Host header' };
  if (!allowedHosts(policy).has(host.toLowerCase())) {
    return {
      status: 403,
      reason: `Host ${JSON.stringify(host)} is not this daemon (DNS rebinding protection)`,
    };
  }

  const origin = req.headers.origin;
  if (origin !== undefined && !policy.allowedOrigins.includes(origin)) {
    return {
      status: 403,
      reason: `Origin ${JSON.stringify(origin)} is not in server.allowedOrigins`,
    };
  }
  return undefined;
}

function allowedHosts(policy: UpgradePolicy): Set<string> {
  const bound =
    policy.host.includes(':') && !policy.host.startsWith('[') ? `[${policy.host}]` : policy.host;
  const names = new Set([...LOOPBACK_NAMES, bound.toLowerCase()]);
  return new Set([...names].map((n) => `${n}:${policy.port}`));
}
