import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import {
  createLogger,
  parseConfig,
  startDaemon,
  type RunningDaemon,
  type Wiring,
} from '@kycd/daemon';

export interface TestDaemon {
  daemon: RunningDaemon;
  url: string;
  port: number;
  /** A valid pairing token of terminal "till-1". */
  token: string;
  /** Pair another terminal. */
  pair(name: string): string;
  /** Log lines the daemon wrote (JSON). */
  logs: string[];
  close(): Promise<void>;
}

/**
 * Start a daemon on a free loopback port with a throw-away data directory and a paired
 * terminal. `config` is merged over the defaults (port 0).
 */
export async function startTestDaemon(options: {
  config?: Record<string, unknown>;
  wiring: Wiring;
}): Promise<TestDaemon> {
  const dataDir = mkdtempSync(join(tmpdir(), 'kycd-test-'));
  const raw = options.config ?? {};
  const server = { port: 0, ...((raw.server as Record<string, unknown> | undefined) ?? {}) };
  const config = parseConfig({ ...raw, server });
  const logs: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, cb) {
      logs.push(
        ...String(chunk)
          .split('\n')
          .filter((l) => l !== ''),
      );
      cb();
    },
  });
  const logger = createLogger({ level: 'debug', destination, pretty: false });
  const daemon = await startDaemon({ config, dataDir, logger, ...options.wiring });
  const token = daemon.store.terminals.pair('till-1').token;
  return {
    daemon,
    url: daemon.url,
    port: daemon.port,
    token,
    pair: (name) => daemon.store.terminals.pair(name).token,
    logs,
    close: async () => {
      await daemon.close(); // releases the wiring too, before the store closes
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
