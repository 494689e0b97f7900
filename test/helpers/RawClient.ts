import WebSocket from 'ws';

export interface Frame {
  id?: string | number | null;
  result?: unknown;
  error?: { code: string; message: string; data?: unknown };
  event?: string;
  data?: unknown;
  sessionId?: string;
  seq?: number;
}

/**
 * A bare protocol client for contract tests: raw frames in, raw frames out, no SDK logic, so
 * the tests see exactly what the daemon sends.
 */
export class RawClient {
  readonly frames: Frame[] = [];
  closed: { code: number; reason: string } | undefined;
  private waiters: Array<{ match: (f: Frame) => boolean; resolve: (f: Frame) => void }> = [];
  private closeWaiters: Array<(c: { code: number; reason: string }) => void> = [];
  private nextId = 1;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const frame = JSON.parse(String(data)) as Frame;
      this.frames.push(frame);
      this.waiters = this.waiters.filter((w) => {
        if (!w.match(frame)) return true;
        w.resolve(frame);
        return false;
      });
    });
    ws.on('close', (code, reason) => {
      this.closed = { code, reason: String(reason) };
      for (const w of this.closeWaiters) w(this.closed);
    });
    ws.on('error', () => undefined);
  }

  static async connect(
    url: string,
    options: { protocol?: string | null; headers?: Record<string, string> } = {},
  ): Promise<RawClient> {
    const protocols = options.protocol === null ? [] : [options.protocol ?? 'kycd.v1'];
    const ws = new WebSocket(url, protocols, { headers: options.headers ?? {} });
    const client = new RawClient(ws);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
      ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    });
    return client;
  }

  /** Connect and authenticate. */
  static async hello(url: string, token: string): Promise<RawClient> {
    const client = await RawClient.connect(url);
    const res = await client.request('hello', { token });
    if (res.error !== undefined) throw new Error(`hello failed: ${res.error.code}`);
    return client;
  }

  sendRaw(data: string | Buffer, binary = false): void {
    this.ws.send(data, { binary });
  }

  /** Send a request and wait for the response with its id. */
  request(method: string, params?: unknown): Promise<Frame> {
    const id = this.nextId++;
    const frame = params === undefined ? { id, method } : { id, method, params };
    this.ws.send(JSON.stringify(frame));
    return this.waitFor((f) => f.id === id && f.event === undefined);
  }

  waitFor(match: (f: Frame) => boolean, timeoutMs = 10_000): Promise<Frame> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('timed out waiting for a frame')), timeoutMs);
      this.waiters.push({
        match,
        resolve: (f) => {
          clearTimeout(timer);
          resolve(f);
        },
      });
    });
  }

  /** Wait for an event (one already received counts). */
  async event(
    name: string,
    match: (f: Frame) => boolean = () => true,
    timeoutMs = 10_000,
  ): Promise<Frame> {
    const seen = this.frames.find((f) => f.event === name && match(f));
    if (seen !== undefined) return seen;
    return this.waitFor((f) => f.event === name && match(f), timeoutMs);
  }

  waitClose(timeoutMs = 10_000): Promise<{ code: number; reason: string }> {
    if (this.closed !== undefined) return Promise.resolve(this.closed);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('socket did not close')), timeoutMs);
      this.closeWaiters.push((c) => {
        clearTimeout(timer);
        resolve(c);
      });
    });
  }

  close(): void {
    this.ws.close();
  }
}
