import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { VpcdConnection, type VpcdCard } from './VpcdConnection.js';

/** A stand-in for vpcd's server side: accepts the card, sends frames, collects the answers. */
class FakeVpcd {
  readonly server: Server;
  socket: Socket | undefined;
  received: Buffer = Buffer.alloc(0);
  connections = 0;
  #waiters: Array<() => void> = [];

  constructor() {
    this.server = createServer((socket) => {
      this.connections++;
      this.socket = socket;
      socket.on('data', (d) => {
        this.received = Buffer.concat([this.received, d]);
        this.#waiters.splice(0).forEach((w) => w());
      });
      socket.on('close', () => this.#waiters.splice(0).forEach((w) => w()));
    });
  }

  async listen(): Promise<number> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    const address = this.server.address();
    if (address === null || typeof address === 'string') throw new Error('no port');
    return address.port;
  }

  async waitForConnection(count = 1): Promise<void> {
    for (let i = 0; i < 200 && this.connections < count; i++)
      await new Promise((r) => setTimeout(r, 10));
  }

  send(payload: Uint8Array | number[]): void {
    const p = Buffer.from(payload);
    const frame = Buffer.alloc(2 + p.length);
    frame.writeUInt16BE(p.length);
    p.copy(frame, 2);
    this.socket?.write(frame);
  }

  /** Waits until one complete frame arrived and returns its payload. */
  async frame(): Promise<Buffer> {
    for (;;) {
      if (this.received.length >= 2) {
        const len = this.received.readUInt16BE(0);
        if (this.received.length >= 2 + len) {
          const payload = this.received.subarray(2, 2 + len);
          this.received = this.received.subarray(2 + len);
          return payload;
        }
      }
      if (this.socket?.destroyed || this.socket?.readyState === 'closed') throw new Error('closed');
      await new Promise<void>((resolve) => {
        this.#waiters.push(resolve);
        setTimeout(resolve, 500);
      });
    }
  }

  close(): Promise<void> {
    this.socket?.destroy();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

function fakeCard(): VpcdCard & { log: string[] } {
  const log: string[] = [];
  return {
    log,
    atr: Uint8Array.of(0x3b, 0x80, 0x80, 0x01, 0x01),
    powerOn: () => log.push('on'),
    powerOff: () => log.push('off'),
    transmit: (command) => {
      log.push(Buffer.from(command).toString('hex'));
      if (command[1] === 0xee) return null;
      return Uint8Array.of(0x90, 0x00);
    },
  };
}

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

describe('VpcdConnection', () => {
  it('answers control codes and APDUs with length-prefixed frames, also when TCP splits them', async () => {
    const vpcd = new FakeVpcd();
    const port = await vpcd.listen();
    const card = fakeCard();
    const link = new VpcdConnection(card, { port });
    link.on('error', () => undefined);
    cleanups.push(
      () => link.close(),
      () => vpcd.close(),
    );
    await link.connect();
    await vpcd.waitForConnection();
    vpcd.send([1]); // power on
    vpcd.send([4]); // get ATR
    expect([...(await vpcd.frame())]).toEqual([...card.atr]);
    // one APDU split over two TCP writes
    vpcd.socket?.write(Buffer.from([0x00, 0x05, 0x00, 0xa4]));
    await new Promise((r) => setTimeout(r, 20));
    vpcd.socket?.write(Buffer.from([0x04, 0x0c, 0x00]));
    expect((await vpcd.frame()).toString('hex')).toBe('9000');
    vpcd.send([0]); // power off
    await new Promise((r) => setTimeout(r, 20));
    expect(card.log).toEqual(['on', '00a4040c00', 'off']);
  });

  it('drops the link without answering when the card leaves the field', async () => {
    const vpcd = new FakeVpcd();
    const port = await vpcd.listen();
    const link = new VpcdConnection(fakeCard(), { port });
    cleanups.push(
      () => link.close(),
      () => vpcd.close(),
    );
    const removed = new Promise<void>((resolve) => link.once('removed', () => resolve()));
    await link.connect();
    await vpcd.waitForConnection();
    vpcd.send([0x00, 0xee, 0x00, 0x00, 0x00]);
    await removed;
    await expect(vpcd.frame()).rejects.toThrow('closed');
    expect(link.connected).toBe(false);
  });

  it('reconnects when vpcd drops an inserted card, and stays out after close()', async () => {
    const vpcd = new FakeVpcd();
    const port = await vpcd.listen();
    const link = new VpcdConnection(fakeCard(), { port, retryDelayMs: 20 });
    cleanups.push(
      () => link.close(),
      () => vpcd.close(),
    );
    await link.connect();
    await vpcd.waitForConnection(1);
    vpcd.socket?.destroy();
    await vpcd.waitForConnection(2);
    expect(vpcd.connections).toBe(2);
    await link.close();
    await new Promise((r) => setTimeout(r, 80));
    expect(vpcd.connections).toBe(2);
  });

  it('reports a vpcd that stays away after dropping the card, once, and keeps retrying', async () => {
    const vpcd = new FakeVpcd();
    const port = await vpcd.listen();
    const link = new VpcdConnection(fakeCard(), { port, retryDelayMs: 20 });
    const errors: string[] = [];
    link.on('error', (e) => errors.push(e.code));
    cleanups.push(() => link.close());
    await link.connect();
    await vpcd.waitForConnection(1);
    await vpcd.close();
    await new Promise((r) => setTimeout(r, 400));
    expect(errors).toEqual(['sim_vpcd_unreachable']);
  });

  it('rejects with sim_vpcd_unreachable when nothing listens', async () => {
    const vpcd = new FakeVpcd();
    const port = await vpcd.listen();
    await vpcd.close();
    const link = new VpcdConnection(fakeCard(), { port, connectTimeoutMs: 150, retryDelayMs: 30 });
    await expect(link.connect()).rejects.toMatchObject({ code: 'sim_vpcd_unreachable' });
    expect(() => new VpcdConnection(fakeCard(), { port: 70000 })).toThrow(RangeError);
  });
});
