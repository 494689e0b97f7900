import type { MethodHandler } from '../api/createDispatcher.js';
import type { FlowDeps } from '../daemon/startDaemon.js';
import type { SessionFlowFactory } from '../sessions/SessionFlow.js';

/**
 * How a daemon is connected to the world: the session flow factory (machines + actors over
 * real or simulated devices), the `sim.*` handlers, and what to release at shutdown.
 */
export interface Wiring {
  flowFactory: (deps: FlowDeps) => SessionFlowFactory;
  simulator?: (deps: FlowDeps) => Readonly<Record<string, MethodHandler>>;
  dispose?: () => Promise<void>;
}
