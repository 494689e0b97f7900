import type { VirtualSamReader } from '@kycd/hardware-sim';
import { ByteQueue } from '../ByteQueue.js';
import type { SamTransport } from '../SamTransport.js';

/** An in-memory transport wired to a virtual SAM reader, optionally re-chunking its output. */
export function memorySamTransport(
  sim: VirtualSamReader,
  options: { chunk?: number } = {},
): SamTransport & { written: Uint8Array[]; fail(err: Error): void } {
  const queue = new ByteQueue();
  const written: Uint8Array[] = [];
  const detach = sim.attach((bytes) => {
    const size = options.chunk ?? bytes.length;
    for (let i = 0; i < bytes.length; i += size) queue.push(bytes.slice(i, i + size));
  });
  return {
    description: 'memory',
    incoming: queue,
    written,
    async write(bytes) {
      written.push(bytes.slice());
      sim.receive(bytes);
    },
    async close() {
      detach();
      sim.stop();
      queue.end();
    },
    fail(err) {
      queue.end(err);
    },
  };
}

/** A transport that answers each written frame with the next scripted reply (raw bytes; `null` = silence). */
export function scriptedSamTransport(
  replies: Array<Uint8Array | null>,
): SamTransport & { written: Uint8Array[] } {
  const queue = new ByteQueue();
  const written: Uint8Array[] = [];
  return {
    description: 'scripted',
    incoming: queue,
    written,
    async write(bytes) {
      written.push(bytes.slice());
      const reply = replies.shift();
      if (reply === undefined) throw new Error('scripted transport: no reply left');
      if (reply !== null) setImmediate(() => queue.push(reply));
    },
    async close() {
      queue.end();
    },
  };
}
