// A tiny protobuf writer that builds ONNX models in tests (no python, no protobuf library).
// The graph is one Constant node: the output is a fixed tensor whatever the input, which is
// all a decoder test needs. Field numbers: https://github.com/onnx/onnx/blob/main/onnx/onnx.proto

type Part = Uint8Array;

function varint(n: number): number[] {
  const out: number[] = [];
  let v = n;
  while (v >= 0x80) {
    out.push((v % 0x80) | 0x80);
    v = Math.floor(v / 0x80);
  }
  out.push(v);
  return out;
}

const concat = (parts: Part[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
};

export const fieldVarint = (no: number, value: number): Part =>
  new Uint8Array([...varint(no * 8), ...varint(value)]);
export const fieldBytes = (no: number, bytes: Uint8Array): Part =>
  concat([new Uint8Array([...varint(no * 8 + 2), ...varint(bytes.length)]), bytes]);
export const fieldString = (no: number, s: string): Part => fieldBytes(no, new TextEncoder().encode(s));
export const message = (no: number, parts: Part[]): Part => fieldBytes(no, concat(parts));

export type Dim = number | string;

function valueInfo(no: number, name: string, dims: Dim[]): Part {
  const shape = dims.map((d) => message(1, [typeof d === 'number' ? fieldVarint(1, d) : fieldString(2, d)]));
  const tensorType = message(1, [fieldVarint(1, 1 /* FLOAT */), message(2, shape)]);
  return message(no, [fieldString(1, name), message(2, [tensorType])]);
}

export interface TinyModel {
  /** Input shape, default [1, 3, 64, 64]. */
  inputDims?: Dim[];
  inputName?: string;
  outputName?: string;
  /** Output tensor shape and its values (row-major). */
  outputDims: number[];
  output: number[] | Float32Array;
  /** Shape declared for the graph output (defaults to outputDims). */
  declaredOutputDims?: Dim[];
  metadata?: Record<string, string>;
  /** Extra weights listed as graph inputs too (as IR < 4 exporters do). */
  initializerInputs?: string[];
}

export function buildOnnx(m: TinyModel): Uint8Array {
  const inputName = m.inputName ?? 'images';
  const outputName = m.outputName ?? 'output';
  const raw = new Uint8Array(Float32Array.from(m.output).buffer);
  const tensor = [
    ...m.outputDims.map((d) => fieldVarint(1, d)),
    fieldVarint(2, 1 /* FLOAT */),
    fieldBytes(9, raw),
  ];
  const attribute = message(5, [
    fieldString(1, 'value'),
    message(5, tensor),
    fieldVarint(20, 4 /* TENSOR */),
  ]);
  const node = message(1, [
    fieldString(2, outputName),
    fieldString(3, 'const'),
    fieldString(4, 'Constant'),
    attribute,
  ]);
  const extra = (m.initializerInputs ?? []).flatMap((name) => [
    message(5, [
      fieldVarint(1, 1),
      fieldVarint(2, 1),
      fieldString(8, name),
      fieldBytes(9, new Uint8Array(4)),
    ]),
    valueInfo(11, name, [1]),
  ]);
  const graph = message(7, [
    node,
    fieldString(2, 'tiny'),
    ...extra,
    valueInfo(11, inputName, m.inputDims ?? [1, 3, 64, 64]),
    valueInfo(12, outputName, m.declaredOutputDims ?? m.outputDims),
  ]);
  const meta = Object.entries(m.metadata ?? {}).map(([k, v]) =>
    message(14, [fieldString(1, k), fieldString(2, v)]),
  );
  return concat([
    fieldVarint(1, 8),
    fieldString(2, 'traycheck-test'),
    fieldString(3, '1'),
    graph,
    message(8, [fieldString(1, ''), fieldVarint(2, 13)]),
    ...meta,
  ]);
}
