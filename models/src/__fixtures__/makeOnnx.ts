/**
 * Tiny ONNX models written as protobuf bytes by hand (onnx/onnx.proto3, IR 8, opset 13), for
 * tests that need a model other than the defaults: a linear classifier
 * `logits = Flatten(input) · W`, with chosen tensor names and shapes.
 */

const varint = (n: number): number[] => {
  const out: number[] = [];
  let v = n;
  do {
    let b = v % 128;
    v = Math.floor(v / 128);
    if (v > 0) b |= 0x80;
    out.push(b);
  } while (v > 0);
  return out;
};
const bytesField = (no: number, payload: readonly number[]): number[] => [
  ...varint(no * 8 + 2),
  ...varint(payload.length),
  ...payload,
];
const stringField = (no: number, s: string): number[] =>
  bytesField(no, [...new TextEncoder().encode(s)]);
const intField = (no: number, v: number): number[] => [...varint(no * 8), ...varint(v)];

/** A dimension: a fixed size, or a symbolic name (e.g. `'N'` for the batch). */
export type OnnxDim = number | string;

/** `ValueInfoProto` of a float tensor. */
function valueInfo(name: string, shape: readonly OnnxDim[]): number[] {
  const dims = shape.flatMap((d) =>
    bytesField(1, typeof d === 'number' ? intField(1, d) : stringField(2, d)),
  );
  const tensorType = [...intField(1, 1), ...bytesField(2, dims)]; // elem_type FLOAT, shape
  return [...stringField(1, name), ...bytesField(2, bytesField(1, tensorType))];
}

/** Options of {@link linearClassifierOnnx}. */
export interface LinearClassifierOptions {
  readonly inputName: string;
  /** Input shape; its non-batch dimensions multiply to `weights.length / classes`. */
  readonly inputShape: readonly OnnxDim[];
  readonly outputName: string;
  readonly classes: number;
  /** Row-major features × classes. */
  readonly weights: Float32Array;
}

/** The bytes of an ONNX model computing `outputName = Flatten(inputName) · weights` ([1, classes]). */
export function linearClassifierOnnx(o: LinearClassifierOptions): Uint8Array {
  const features = o.weights.length / o.classes;
  if (!Number.isInteger(features))
    throw new RangeError('weights.length must be a multiple of classes');
  const raw = new Uint8Array(
    o.weights.buffer.slice(o.weights.byteOffset, o.weights.byteOffset + o.weights.byteLength),
  );
  const initializer = [
    ...intField(1, features),
    ...intField(1, o.classes),
    ...intField(2, 1),
    ...stringField(8, 'W'),
    ...bytesField(9, [...raw]),
  ];
  const flatten = [
    ...stringField(1, o.inputName),
    ...stringField(2, 'flat'),
    ...stringField(3, 'flatten'),
    ...stringField(4, 'Flatten'),
  ];
  const matmul = [
    ...stringField(1, 'flat'),
    ...stringField(1, 'W'),
    ...stringField(2, o.outputName),
    ...stringField(3, 'matmul'),
    ...stringField(4, 'MatMul'),
  ];
  const graph = [
    ...bytesField(1, flatten),
    ...bytesField(1, matmul),
    ...stringField(2, 'linear'),
    ...bytesField(5, initializer),
    ...bytesField(11, valueInfo(o.inputName, o.inputShape)),
    ...bytesField(12, valueInfo(o.outputName, [o.inputShape[0] ?? 1, o.classes])),
  ];
  const opset = [...stringField(1, ''), ...intField(2, 13)];
  return new Uint8Array([
    ...intField(1, 8),
    ...stringField(2, 'kycd-test'),
    ...bytesField(7, graph),
    ...bytesField(8, opset),
  ]);
}
