// Runs an ONNX embedder in a fresh process with exact (denormal) arithmetic: onnxruntime's
// denormals-as-zero is CPU thread state, so once any session of a process sets it, the process
// can no longer serve as an exact reference. Usage:
//   node exactEmbeddings.mjs MODEL.onnx INPUT_NAME INPUTS.f32 COUNT OUT.f32
// INPUTS.f32 holds COUNT 3×112×112 float32 tensors back to back; OUT.f32 receives the raw
// (not normalised) outputs back to back.
import { Buffer } from 'node:buffer';
import { readFileSync, writeFileSync } from 'node:fs';
import process from 'node:process';
import ort from 'onnxruntime-node';

const [model, inputName, inputsFile, countText, outFile] = process.argv.slice(2);
const count = Number(countText);
const session = await ort.InferenceSession.create(readFileSync(model), {
  intraOpNumThreads: 1,
  interOpNumThreads: 1,
  executionMode: 'sequential',
  graphOptimizationLevel: 'all',
});
const inputs = new Float32Array(readFileSync(inputsFile).buffer.slice(0));
const size = inputs.length / count;
const outputs = [];
for (let i = 0; i < count; i++) {
  const tensor = new ort.Tensor(
    'float32',
    inputs.slice(i * size, (i + 1) * size),
    [1, 3, 112, 112],
  );
  const result = await session.run({ [inputName]: tensor });
  outputs.push(new Float32Array(result[session.outputNames[0]].data));
}
const out = new Float32Array(outputs.reduce((n, o) => n + o.length, 0));
let at = 0;
for (const o of outputs) {
  out.set(o, at);
  at += o.length;
}
writeFileSync(outFile, Buffer.from(out.buffer));
await session.release();
