// Times fr_feature as shipped (denormal weights) against the installed copy (weights flushed),
// alternating, on the same aligned faces, in a fresh process with exact arithmetic: onnxruntime's
// denormals-as-zero is CPU thread state, so a process that ran a production session can no longer
// show what the weight flush alone changes. Usage:
//   node embedderFlushTiming.mjs SHIPPED.onnx FLUSHED.onnx INPUT_NAME INPUTS.f32 COUNT ROUNDS
// Prints {"shippedMs": [...], "flushedMs": [...]} (one entry per inference).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import process from 'node:process';

// onnxruntime-node is @kycd/models' dependency: resolve it from there (the working directory)
const ort = createRequire(join(process.cwd(), 'package.json'))('onnxruntime-node');

const [shippedFile, flushedFile, inputName, inputsFile, countText, roundsText] =
  process.argv.slice(2);
const count = Number(countText);
const rounds = Number(roundsText);
const open = (file) =>
  ort.InferenceSession.create(readFileSync(file), {
    intraOpNumThreads: 1,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
  });
const sessions = { shippedMs: await open(shippedFile), flushedMs: await open(flushedFile) };
const inputs = new Float32Array(readFileSync(inputsFile).buffer.slice(0));
const size = inputs.length / count;
const tensor = (i) =>
  new ort.Tensor('float32', inputs.slice(i * size, (i + 1) * size), [1, 3, 112, 112]);
const times = { shippedMs: [], flushedMs: [] };
for (let r = -2; r < rounds; r++) {
  // the first two rounds warm both sessions up and are not kept
  for (const name of r % 2 === 0 ? ['shippedMs', 'flushedMs'] : ['flushedMs', 'shippedMs']) {
    const t = tensor(((r % count) + count) % count);
    const t0 = performance.now();
    await sessions[name].run({ [inputName]: t });
    if (r >= 0) times[name].push(performance.now() - t0);
  }
}
for (const s of Object.values(sessions)) await s.release();
process.stdout.write(JSON.stringify(times));
