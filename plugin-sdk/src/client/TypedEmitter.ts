/** A listener map: event name → listener signature. */
export type ListenerMap = { [event: string]: (...args: never[]) => void };

/**
 * A minimal typed event emitter that runs in Node and browsers (no `node:events`). The event
 * map is a type, so a malformed `emit` does not compile; `on` returns its unsubscribe
 * function. A throwing listener does not stop the others: its error is re-thrown
 * asynchronously, like an EventTarget listener's.
 */
export class TypedEmitter<Events extends ListenerMap> {
  private readonly listeners = new Map<keyof Events, Set<Events[keyof Events]>>();

  /** Add a listener; returns the function that removes it. */
  on<E extends keyof Events>(event: E, listener: Events[E]): () => void {
    if (typeof listener !== 'function')
      throw new TypeError(`listener for ${String(event)} must be a function`);
    let set = this.listeners.get(event);
    if (set === undefined) {
      set = new Set();
      this.listeners.set(event, set);
    }
    set.add(listener);
    return () => this.off(event, listener);
  }

  /** Add a listener that runs at most once; returns the function that removes it. */
  once<E extends keyof Events>(event: E, listener: Events[E]): () => void {
    const wrapper = ((...args: Parameters<Events[E]>) => {
      unsubscribe();
      (listener as (...a: Parameters<Events[E]>) => void)(...args);
    }) as Events[E];
    const unsubscribe = this.on(event, wrapper);
    return unsubscribe;
  }

  /** Remove a listener. */
  off<E extends keyof Events>(event: E, listener: Events[E]): void {
    this.listeners.get(event)?.delete(listener);
  }

  /** Number of listeners for an event. */
  listenerCount(event: keyof Events): number {
    return this.listeners.get(event)?.size ?? 0;
  }

  /** Remove every listener. */
  removeAllListeners(): void {
    this.listeners.clear();
  }

  /** Call every listener of `event` with `args`. */
  protected emit<E extends keyof Events>(event: E, ...args: Parameters<Events[E]>): void {
    const set = this.listeners.get(event);
    if (set === undefined) return;
    for (const listener of [...set]) {
      try {
        (listener as (...a: Parameters<Events[E]>) => void)(...args);
      } catch (err) {
        queueMicrotask(() => {
          throw err;
        });
      }
    }
  }
}
