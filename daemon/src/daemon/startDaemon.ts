import { randomUUID } from 'node:crypto';
import { PROTOCOL, WS_PATH } from '@kycd/plugin-sdk';
import type { Logger } from 'pino';
import { ApiServer } from '../api/ApiServer.js';
import { createDispatcher, type MethodHandler } from '../api/createDispatcher.js';
import type { Terminal, TerminalAuthenticator } from '../api/Terminal.js';
import type { KycdConfig } from '../config/KycdConfig.js';
import { DeviceRegistry } from '../devices/DeviceRegistry.js';
import { createLogger } from '../logging/createLogger.js';
import { NEVER_STORED_EVENTS } from '../privacy/storableSessionEvent.js';
import { SessionMilestoneTracker } from '../registration/sessionMilestones.js';
import type { Session } from '../sessions/Session.js';
import { SessionRegistry } from '../sessions/SessionRegistry.js';
import type { SessionFlowFactory } from '../sessions/SessionFlow.js';
import { openStore } from '../store/openStore.js';
import type { Store } from '../store/Store.js';
import { DAEMON_VERSION } from '../version.js';

const DEFAULT_DRAIN_TIMEOUT_MS = 5000;

/** Options of {@link startDaemon}. */
export interface StartDaemonOptions {
  config: KycdConfig;
  /** Where the SQLite store and keys live. */
  dataDir: string;
  logger?: Logger;
  /**
   * Creates each session's flow. The CLI passes the production or simulator wiring; tests may
   * pass their own.
   */
  flowFactory: (deps: FlowDeps) => SessionFlowFactory;
  /** `sim.*` methods (only under `--sim`). */
  simulator?: (deps: FlowDeps) => Readonly<Record<string, MethodHandler>>;
  /** Called once the daemon is ready with the device registry to fill. */
  devices?: DeviceRegistry;
  /**
   * Releases what the wiring holds (outbox worker, drivers, simulator). `close()` calls it once,
   * after the requests in flight were answered and before the store closes.
   */
  dispose?: () => Promise<void>;
  /** How long `close()` waits for requests in flight to be answered. Default 5000 ms. */
  drainTimeoutMs?: number;
}

/** What a flow factory and the simulator handlers can use. */
export interface FlowDeps {
  config: KycdConfig;
  store: Store;
  devices: DeviceRegistry;
  logger: Logger;
}

/** A running daemon. */
export interface RunningDaemon {
  /** `ws://host:port/v1` */
  readonly url: string;
  readonly port: number;
  readonly store: Store;
  readonly sessions: SessionRegistry;
  readonly devices: DeviceRegistry;
  readonly logger: Logger;
  /**
   * Shut down: stop accepting connections and frames, let the requests in flight be answered
   * (bounded by `drainTimeoutMs`), cancel active sessions (recorded), close sockets with 1001,
   * release the wiring (outbox worker, drivers), and only then close the store.
   */
  close(): Promise<void>;
}

/**
 * Start the daemon: open the store, the device registry, the session registry and the
 * WebSocket API.
 *
 * @example
 * ```ts
 * const daemon = await startDaemon({ config: parseConfig({}), dataDir, flowFactory: productionFlow });
 * console.log(daemon.url); // ws://127.0.0.1:7450/v1
 * await daemon.close();
 * ```
 */
export async function startDaemon(options: StartDaemonOptions): Promise<RunningDaemon> {
  const { config } = options;
  const logger = options.logger ?? createLogger({ level: config.logLevel });
  const store = openStore({ dataDir: options.dataDir });
  const devices = options.devices ?? new DeviceRegistry();
  const deps: FlowDeps = { config, store, devices, logger };
  const flowFactory = options.flowFactory(deps);
  const sessions = new SessionRegistry({
    config: config.session,
    flowFactory,
    logger,
    onStateChange: (session) => persistSession(store, session, logger),
  });
  const simulator = options.simulator?.(deps);

  const authenticator: TerminalAuthenticator = {
    authenticate: (token) => {
      const t = store.terminals.authenticate(token);
      return t === undefined ? undefined : { id: t.id, name: t.name };
    },
  };
  const capabilities = [
    'sessions',
    'resume',
    'emrtd',
    'cn-resident-id',
    'liveness',
    ...(simulator === undefined ? [] : ['sim']),
  ];
  const dispatcherDeps = {
    sessions,
    devices,
    sessionConfig: config.session,
    newRegistrationId: () => randomUUID(),
    ...(simulator === undefined ? {} : { simulator }),
  };
  const server = new ApiServer({
    config: config.server,
    authenticator,
    hello: (terminal: Terminal) => ({
      protocol: PROTOCOL,
      daemonVersion: DAEMON_VERSION,
      capabilities,
      devices: devices.list(),
      terminal,
    }),
    dispatch: createDispatcher(dispatcherDeps),
    logger,
    sim: simulator !== undefined,
  });
  devices.on('changed', (device) => server.broadcast('device.changed', { device }));
  let port: number;
  try {
    port = await server.listen();
  } catch (err) {
    await options.dispose?.().catch(() => undefined);
    devices.close();
    store.close();
    throw err;
  }
  const sweeper = setInterval(() => {
    sessions.sweep();
    // A token revoked by `kycd tokens revoke` (another process) ends its live connections too.
    try {
      server.closeRevoked((terminalId) => {
        const terminal = store.terminals.get(terminalId);
        return terminal !== undefined && terminal.revokedAt === undefined;
      });
    } catch (err) {
      logger.warn(
        { err: err instanceof Error ? err.message : String(err) },
        'could not check for revoked terminals',
      );
    }
  }, 1000);
  sweeper.unref();
  const host = config.server.host.includes(':') ? `[${config.server.host}]` : config.server.host;
  const url = `ws://${host}:${port}${WS_PATH}`;
  logger.info(
    { url, dataDir: options.dataDir, mode: simulator === undefined ? 'production' : 'simulator' },
    'kycd listening',
  );

  let closing: Promise<void> | undefined;
  return {
    url,
    port,
    store,
    sessions,
    devices,
    logger,
    close: () =>
      (closing ??= (async () => {
        clearInterval(sweeper);
        const unanswered = await server.drain(options.drainTimeoutMs ?? DEFAULT_DRAIN_TIMEOUT_MS);
        if (unanswered > 0)
          logger.warn(
            { unanswered },
            'shutdown: requests still in flight after the drain timeout; closing anyway',
          );
        sessions.stopAll('the daemon is shutting down');
        await server.close();
        // The wiring (outbox worker, device drivers) may still write to the store while it stops.
        await options
          .dispose?.()
          .catch((err: unknown) =>
            logger.error(
              { err: err instanceof Error ? err.message : String(err) },
              'shutdown: releasing the wiring failed',
            ),
          );
        devices.close();
        store.close();
        logger.info('kycd stopped');
        logger.flush();
      })()),
  };
}

/** When each session's steps finished (the record's timestamps). */
const MILESTONES = new SessionMilestoneTracker();

/**
 * Keep the session row in the store in step with the flow (what `kycd export` / `erase` and the
 * audit trail see): state, step, failure code, milestones, the review decision and, for a session
 * that ended unregistered, its liveness evidence. No images, templates or document data.
 */
function persistSession(store: Store, session: Session, logger: Logger): void {
  try {
    const milestones = MILESTONES.update(session);
    store.sessions.upsert({
      id: session.id,
      terminalId: session.terminalId,
      state: session.state,
      step: session.step,
      createdAt: session.createdAt.getTime(),
      expiresAt: session.expiresAt.getTime(),
      ...(session.failure === undefined ? {} : { failureCode: session.failure.code }),
      // when the document, liveness and match steps finished (timestamps of the signed record)
      ...(Object.keys(milestones).length === 0 ? {} : { milestones }),
      // the manual-review decision with the operator's id (audit: who let an inconclusive match through)
      ...(session.review === undefined ? {} : { summary: { review: session.review } }),
      // why a customer was turned away: the face attempts' evidence (numbers and hashes only) of
      // a session that ended without a registration; a registration carries it in its record
      ...(session.finished && session.registration === undefined && session.faceEvidence.length > 0
        ? { livenessEvidence: [...session.faceEvidence] }
        : {}),
    });
    if (session.finished) {
      // The session's timeline (what the POS saw: no biometrics, masked numbers) goes to the
      // store in one transaction when it ends, for `kycd export` and the audit trail.
      const timeline = session.log.since(0) ?? [];
      store.transaction('session timeline', () => {
        // Preview frames (JPEG of the face) are never stored; the store scrubs any other image.
        for (const e of timeline)
          if (!NEVER_STORED_EVENTS.has(e.event))
            store.events.append(session.id, e.seq, JSON.parse(e.frame) as unknown);
      });
      store.audit.append({
        kind: 'session.finished',
        actor: session.terminalId,
        sessionId: session.id,
        data: {
          state: session.state,
          ...(session.failure === undefined ? {} : { code: session.failure.code }),
        },
      });
    }
  } catch (err) {
    logger.error(
      { err: err instanceof Error ? err.message : String(err), session: session.id },
      'could not persist the session state',
    );
  }
}
