/**
 * Daemon shutdown order: stop accepting, answer the requests in flight (bounded), close the
 * sockets with 1001, release the wiring (outbox worker, drivers), and only then close the store.
 */
import type { FlowDeps, Wiring } from '@kycd/daemon';
import { afterEach, describe, expect, it } from 'vitest';
import { RawClient } from '../helpers/RawClient.js';
import { scriptedWiring } from '../helpers/scriptedWiring.js';
import { startTestDaemon, type TestDaemon } from '../helpers/startTestDaemon.js';

type MethodHandler = ReturnType<NonNullable<Wiring['simulator']>>[string];

/** A wiring whose `sim.setCarrier` takes a while and then writes to the store (like an outbox write). */
function slowWriteWiring(options: {
  handlerMs: number;
}): Wiring & { steps: string[]; release: () => void } {
  const steps: string[] = [];
  let deps: FlowDeps | undefined;
  let release: () => void = () => undefined;
  const handler = (async (params: { mode: string }) => {
    steps.push('request started');
    await new Promise<void>((resolve) => {
      release = resolve;
      if (options.handlerMs > 0) setTimeout(resolve, options.handlerMs);
    });
    deps!.store.audit.append({
      kind: 'test.slowWrite',
      actor: 'test',
      data: { mode: params.mode },
    });
    steps.push(`request answered (store open: ${String(deps!.store.open)})`);
    return { ok: true };
  }) as MethodHandler;
  return {
    ...scriptedWiring(),
    steps,
    release: () => release(),
    simulator: (d) => {
      deps = d;
      return { 'sim.setCarrier': handler };
    },
    dispose: async () => {
      // The outbox worker flushing its last state: needs the store.
      deps!.store.audit.append({ kind: 'test.dispose', actor: 'test', data: {} });
      steps.push(`wiring disposed (store open: ${String(deps!.store.open)})`);
    },
  };
}

describe('daemon shutdown', () => {
  let d: TestDaemon | undefined;
  afterEach(async () => {
    await d?.close();
    d = undefined;
  });

  it('answers the request in flight, then closes sockets with 1001, disposes the wiring, and closes the store last', async () => {
    const wiring = slowWriteWiring({ handlerMs: 300 });
    d = await startTestDaemon({ wiring });
    const c = await RawClient.hello(d.url, d.token);
    const answer = c.request('sim.setCarrier', { mode: 'stall' });
    await until(() => wiring.steps.includes('request started'));

    const closed = d.daemon.close();
    // Draining: no new connection is accepted.
    await expect(RawClient.connect(d.url)).rejects.toThrow();
    const res = await answer;
    expect(res.result).toEqual({ ok: true });
    expect((await c.waitClose()).code).toBe(1001);
    // The response came before the close frame.
    expect(c.frames.some((f) => f.id === res.id)).toBe(true);
    await closed;
    expect(wiring.steps).toEqual([
      'request started',
      'request answered (store open: true)',
      'wiring disposed (store open: true)',
    ]);
    expect(d.daemon.store.open).toBe(false);
    expect(d.logs.filter((l) => /"level":50/.test(l))).toEqual([]);
  });

  it('waits for a stuck request only until the drain timeout, then closes anyway', async () => {
    const wiring = slowWriteWiring({ handlerMs: 0 }); // never answers on its own
    d = await startTestDaemon({ wiring });
    const c = await RawClient.hello(d.url, d.token);
    void c.request('sim.setCarrier', { mode: 'fail' }).catch(() => undefined);
    await until(() => wiring.steps.includes('request started'));
    // startTestDaemon uses the default drain timeout (5 s); the close must still come.
    await d.daemon.close();
    expect((await c.waitClose()).code).toBe(1001);
    expect(d.logs.some((l) => l.includes('requests still in flight after the drain timeout'))).toBe(
      true,
    );
    expect(wiring.steps).toContain('wiring disposed (store open: true)');
    expect(d.daemon.store.open).toBe(false);
    wiring.release(); // the stuck handler wakes up to a closed store: its failure is not ours to see
  }, 20_000);
});

async function until(predicate: () => boolean): Promise<void> {
  while (!predicate()) await new Promise((r) => setTimeout(r, 5));
}
