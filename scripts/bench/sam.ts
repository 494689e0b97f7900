/**
 * `pnpm bench sam`: the resident-ID read through the SAM protocol. A full read (status, SAM id,
 * find, select, read base info, appended address) through the real serial stack on the virtual
 * reader's pty, against the same read in memory (protocol cost only); the modelled time on a real
 * 115200-baud line; and the streaming frame decoder's throughput.
 */
import {
  readResidentId,
  SamFrameDecoder,
  SamReader,
  SerialSamTransport,
  encodeSamResponse,
} from '@kycd/daemon';
import { VirtualSamReader, startSamPty } from '@kycd/hardware-sim';
import { median, round, timeIt, type BenchContext } from './harness.js';

export default async function bench(ctx: BenchContext): Promise<void> {
  const runs = 30;
  const sim = new VirtualSamReader({ card: {} });
  const pty = await startSamPty(sim);
  const transport = await SerialSamTransport.open(pty.path);
  const reader = new SamReader(transport);
  let wireBytes = 0;
  try {
    const fresh = (): void => {
      sim.removeCard();
      sim.insertCard();
    };
    const ptyNoPhoto = await timeIt(async () => {
      fresh();
      await readResidentId(reader, {});
    }, runs);
    const ptyWithPhoto = await timeIt(async () => {
      fresh();
      await readResidentId(reader, { wltDecoder: sim.wltDecoder });
    }, runs);
    ctx.report({
      metric: 'read over pty (serial stack), no photo decode, median',
      value: round(median(ptyNoPhoto), 2),
      unit: 'ms',
    });
    ctx.report({
      metric: 'read over pty + simulated WLT decode to RGB, median',
      value: round(median(ptyWithPhoto), 2),
      unit: 'ms',
    });

    // Bytes on the wire for one read: commands host→SAM and responses SAM→host.
    const mem = new VirtualSamReader({ card: {} });
    const memTransport = memoryTransport(mem, (n) => (wireBytes += n));
    const memReader = new SamReader(memTransport);
    const inMemory = await timeIt(async () => {
      mem.removeCard();
      mem.insertCard();
      await readResidentId(memReader, {});
    }, runs);
    wireBytes = 0;
    mem.removeCard();
    mem.insertCard();
    await readResidentId(memReader, {});
    ctx.report({
      metric: 'read in memory (protocol + parsing only), median',
      value: round(median(inMemory), 2),
      unit: 'ms',
      baseline: round(median(ptyNoPhoto), 2),
      note: 'baseline = over pty',
    });
    ctx.report({ metric: 'bytes on the wire per read', value: wireBytes, unit: 'B' });
    ctx.report({
      metric: 'modelled line time at 115200 8N1',
      value: round((wireBytes * 10 * 1000) / 115200, 1),
      unit: 'ms',
      note: '10 bits per byte; excludes the SAM/card time',
    });

    const frame = encodeSamResponse(0x90, new Uint8Array(4 + 256 + 1024));
    const decoder = new SamFrameDecoder();
    const framesPerRun = 200;
    const decode = await timeIt(() => {
      for (let f = 0; f < framesPerRun; f++)
        for (let i = 0; i < frame.length; i += 64) decoder.push(frame.subarray(i, i + 64));
    }, 20);
    ctx.report({
      metric: 'frame decoder throughput (64-byte chunks)',
      value: round((framesPerRun * frame.length) / 1e6 / (median(decode) / 1000), 1),
      unit: 'MB/s',
    });
  } finally {
    await transport.close();
    await pty.close();
  }
}

function memoryTransport(
  sim: VirtualSamReader,
  count: (n: number) => void,
): ConstructorParameters<typeof SamReader>[0] {
  const chunks: Uint8Array[] = [];
  let wake: (() => void) | undefined;
  sim.attach((b) => {
    count(b.length);
    chunks.push(b);
    wake?.();
  });
  return {
    description: 'memory',
    async write(bytes) {
      count(bytes.length);
      sim.receive(bytes);
    },
    incoming: {
      async *[Symbol.asyncIterator]() {
        for (;;) {
          const c = chunks.shift();
          if (c !== undefined) yield c;
          else await new Promise<void>((r) => (wake = r));
        }
      },
    },
    async close() {},
  };
}
