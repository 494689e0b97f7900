/** Backoff settings of automatic reconnection. */
export interface ReconnectOptions {
  /** Delay before the first attempt, ms. Default 250. */
  readonly initialDelayMs?: number;
  /** Upper bound of the delay, ms. Default 10 000. */
  readonly maxDelayMs?: number;
  /** Growth factor per attempt. Default 2. */
  readonly factor?: number;
  /** Random spread as a fraction of the delay (0–1), so many clients do not reconnect in step. Default 0.2. */
  readonly jitter?: number;
  /** Attempts before giving up (then the client closes). Default Infinity. */
  readonly maxAttempts?: number;
}

/**
 * Delay before reconnect attempt `attempt` (1-based): exponential backoff with jitter, capped.
 * `random` is injectable for tests.
 */
export function reconnectDelay(
  attempt: number,
  options: Required<ReconnectOptions>,
  random: () => number = Math.random,
): number {
  const base = Math.min(
    options.maxDelayMs,
    options.initialDelayMs * options.factor ** Math.max(0, attempt - 1),
  );
  const spread = base * options.jitter * (random() * 2 - 1);
  return Math.max(0, Math.round(Math.min(options.maxDelayMs, base + spread)));
}
