/**
 * Flush subnormal ("denormal") float32 weights of an ONNX model to zero, in place.
 *
 * Denormal arithmetic runs through a slow microcode path on many x86 CPUs; `fr_feature.onnx`
 * ships 8,938 of them and runs about three times slower because of it on Intel. (shared/MODELS.md
 * counts 8,939: its extra one is the INT64 Reshape shape [1, −1], whose first four bytes read as
 * float32 are a subnormal — only FLOAT tensors are touched here, so it stays intact.) The ONNX file is a protobuf
 * `ModelProto`; this walks exactly the messages that can hold float tensors —
 * `ModelProto.graph` (7) → `GraphProto.initializer` (5) and `GraphProto.node` (1) →
 * `NodeProto.attribute` (5) → `AttributeProto.t` (5) / `.tensors` (10) / `.g` (6) / `.graphs` (11)
 * — and zeroes every subnormal value of a FLOAT (`data_type` 1) tensor's `raw_data` (9) or packed
 * `float_data` (4). Field layout, lengths and everything else stay byte-identical, so the result
 * is a valid model of the same size. Source: onnx/onnx.proto3 (onnx 1.x).
 *
 * @returns the number of values flushed.
 */
export function flushDenormals(model: Uint8Array): number {
  const view = new DataView(model.buffer, model.byteOffset, model.byteLength);
  let flushed = 0;

  interface Field {
    no: number;
    wire: number;
    start: number;
    end: number;
    value: number;
  }

  function readVarint(pos: number, limit: number): [number, number] {
    let result = 0;
    let mul = 1;
    for (let i = 0; i < 10; i++) {
      if (pos >= limit)
        throw new RangeError(`ONNX protobuf: varint runs past its message at byte ${pos}`);
      const b = model[pos++] as number;
      result += (b & 0x7f) * mul;
      if ((b & 0x80) === 0) return [result, pos];
      mul *= 128;
    }
    throw new RangeError(`ONNX protobuf: varint longer than 10 bytes at byte ${pos}`);
  }

  function* fields(start: number, end: number): Generator<Field> {
    let pos = start;
    while (pos < end) {
      const [key, p1] = readVarint(pos, end);
      const no = Math.floor(key / 8);
      const wire = key & 7;
      pos = p1;
      if (wire === 0) {
        const [value, p2] = readVarint(pos, end);
        yield { no, wire, start: pos, end: p2, value };
        pos = p2;
      } else if (wire === 1 || wire === 5) {
        const size = wire === 1 ? 8 : 4;
        if (pos + size > end)
          throw new RangeError(`ONNX protobuf: fixed field ${no} runs past its message`);
        yield { no, wire, start: pos, end: pos + size, value: 0 };
        pos += size;
      } else if (wire === 2) {
        const [len, p2] = readVarint(pos, end);
        if (p2 + len > end)
          throw new RangeError(`ONNX protobuf: field ${no} (${len} bytes) runs past its message`);
        yield { no, wire, start: p2, end: p2 + len, value: len };
        pos = p2 + len;
      } else {
        throw new RangeError(
          `ONNX protobuf: unsupported wire type ${wire} for field ${no} at byte ${pos}`,
        );
      }
    }
  }

  function flushFloats(start: number, end: number): void {
    for (let p = start; p + 4 <= end; p += 4) {
      const bits = view.getUint32(p, true);
      if ((bits & 0x7f800000) === 0 && (bits & 0x007fffff) !== 0) {
        view.setUint32(p, bits & 0x80000000, true);
        flushed++;
      }
    }
  }

  function tensor(start: number, end: number): void {
    let dataType = 0;
    const payloads: Field[] = [];
    for (const f of fields(start, end)) {
      if (f.no === 2 && f.wire === 0) dataType = f.value;
      else if ((f.no === 9 || f.no === 4) && f.wire === 2) payloads.push(f);
    }
    if (dataType !== 1) return;
    for (const f of payloads) flushFloats(f.start, f.end);
  }

  function attribute(start: number, end: number): void {
    for (const f of fields(start, end)) {
      if (f.wire !== 2) continue;
      if (f.no === 5 || f.no === 10) tensor(f.start, f.end);
      else if (f.no === 6 || f.no === 11) graph(f.start, f.end);
    }
  }

  function node(start: number, end: number): void {
    for (const f of fields(start, end)) if (f.no === 5 && f.wire === 2) attribute(f.start, f.end);
  }

  function graph(start: number, end: number): void {
    for (const f of fields(start, end)) {
      if (f.wire !== 2) continue;
      if (f.no === 5) tensor(f.start, f.end);
      else if (f.no === 1) node(f.start, f.end);
    }
  }

  for (const f of fields(0, model.length)) if (f.no === 7 && f.wire === 2) graph(f.start, f.end);
  return flushed;
}
