import type { SessionFlowEvent, Wiring } from '@kycd/daemon';

/**
 * A wiring whose sessions follow a tiny script instead of the real machine: they wait for a
 * document, take credentials, and can be cancelled. For API contract tests, which are about the
 * socket, not the flow. `emitBurst` publishes N events on demand (fan-out benchmarks).
 */
export function scriptedWiring(): Wiring & { sent: SessionFlowEvent[] } {
  const sent: SessionFlowEvent[] = [];
  return {
    sent,
    flowFactory: () => (session) => {
      queueMicrotask(() => session.setState('document.waiting', 'document'));
      return {
        accepts: (event) =>
          event.type === 'CANCEL' ||
          (event.type === 'CREDENTIALS.PROVIDED' && session.state === 'document.waiting'),
        send: (event) => {
          sent.push(event);
          if (event.type === 'CANCEL')
            session.setState('cancelled', 'done', {
              code: 'session_cancelled',
              message: event.reason ?? 'cancelled',
            });
          if (event.type === 'CREDENTIALS.PROVIDED')
            session.setState('document.reading', 'document');
        },
        stop: () => undefined,
      };
    },
  };
}
