// Minimal protobuf walk over an ONNX ModelProto: metadata_props, graph inputs/outputs,
// producer. onnxruntime-node does not expose metadata_props, and a protobuf library
// would decode every weight; this skips length-delimited fields it does not need.
// Field numbers: https://github.com/onnx/onnx/blob/main/onnx/onnx.proto

export interface OnnxTensorInfo {
  name: string;
  /** TensorProto.DataType (1 = float32). 0 when not a tensor. */
  elemType: number;
  /** Fixed sizes as numbers, symbolic ones as their name, unknown as null. */
  dims: Array<number | string | null>;
}

export interface OnnxModelMeta {
  irVersion: number;
  producerName: string;
  producerVersion: string;
  metadata: Record<string, string>;
  inputs: OnnxTensorInfo[];
  outputs: OnnxTensorInfo[];
}

type Field =
  | { no: number; wire: 0; value: number }
  | { no: number; wire: 2; start: number; end: number }
  | { no: number; wire: 1 | 5 };

const utf8 = new TextDecoder('utf-8', { fatal: false });

/** Iterates the fields of one message in buf[start, end). Throws on malformed bytes. */
function* fields(buf: Uint8Array, start: number, end: number): Generator<Field> {
  let pos = start;
  const varint = (): number => {
    let result = 0;
    let mul = 1;
    for (let i = 0; i < 10; i++) {
      if (pos >= end) throw new Error(`truncated varint at byte ${pos}`);
      const b = buf[pos++] as number;
      result += (b & 0x7f) * mul;
      if (b < 0x80) return result;
      mul *= 128;
    }
    throw new Error(`varint longer than 10 bytes at byte ${pos}`);
  };
  while (pos < end) {
    const at = pos;
    const key = varint();
    const no = Math.floor(key / 8);
    const wire = key % 8;
    if (no === 0) throw new Error(`field number 0 at byte ${at}`);
    if (wire === 0) yield { no, wire, value: varint() };
    else if (wire === 2) {
      const len = varint();
      if (pos + len > end) throw new Error(`field ${no} at byte ${at} runs past the end (${len} bytes)`);
      yield { no, wire, start: pos, end: pos + len };
      pos += len;
    } else if (wire === 1 || wire === 5) {
      pos += wire === 1 ? 8 : 4;
      if (pos > end) throw new Error(`truncated fixed field ${no} at byte ${at}`);
      yield { no, wire };
    } else throw new Error(`unsupported wire type ${wire} at byte ${at}`);
  }
}

const str = (buf: Uint8Array, f: { start: number; end: number }): string =>
  utf8.decode(buf.subarray(f.start, f.end));

function readStringPair(buf: Uint8Array, start: number, end: number): [string, string] {
  let key = '';
  let value = '';
  for (const f of fields(buf, start, end)) {
    if (f.wire !== 2) continue;
    if (f.no === 1) key = str(buf, f);
    else if (f.no === 2) value = str(buf, f);
  }
  return [key, value];
}

// ValueInfoProto{name=1, type=2} → TypeProto{tensor_type=1} → Tensor{elem_type=1, shape=2}
// → TensorShapeProto{dim=1} → Dimension{dim_value=1, dim_param=2}
function readValueInfo(buf: Uint8Array, start: number, end: number): OnnxTensorInfo {
  const info: OnnxTensorInfo = { name: '', elemType: 0, dims: [] };
  for (const f of fields(buf, start, end)) {
    if (f.wire !== 2) continue;
    if (f.no === 1) info.name = str(buf, f);
    if (f.no !== 2) continue;
    for (const t of fields(buf, f.start, f.end)) {
      if (t.no !== 1 || t.wire !== 2) continue;
      for (const tf of fields(buf, t.start, t.end)) {
        if (tf.no === 1 && tf.wire === 0) info.elemType = tf.value;
        if (tf.no !== 2 || tf.wire !== 2) continue;
        for (const d of fields(buf, tf.start, tf.end)) {
          if (d.no !== 1 || d.wire !== 2) continue;
          let dim: number | string | null = null;
          for (const df of fields(buf, d.start, d.end)) {
            if (df.no === 1 && df.wire === 0) dim = df.value;
            else if (df.no === 2 && df.wire === 2) dim = str(buf, df);
          }
          info.dims.push(dim);
        }
      }
    }
  }
  return info;
}

function initializerName(buf: Uint8Array, start: number, end: number): string {
  for (const f of fields(buf, start, end)) if (f.no === 8 && f.wire === 2) return str(buf, f);
  return '';
}

/** Reads the metadata of an ONNX model from its bytes. Throws an Error saying what is malformed. */
export function readOnnxMeta(buf: Uint8Array): OnnxModelMeta {
  const meta: OnnxModelMeta = {
    irVersion: 0,
    producerName: '',
    producerVersion: '',
    metadata: {},
    inputs: [],
    outputs: [],
  };
  let sawGraph = false;
  for (const f of fields(buf, 0, buf.length)) {
    if (f.no === 1 && f.wire === 0) meta.irVersion = f.value;
    else if (f.wire !== 2) continue;
    else if (f.no === 2) meta.producerName = str(buf, f);
    else if (f.no === 3) meta.producerVersion = str(buf, f);
    else if (f.no === 14) {
      const [k, v] = readStringPair(buf, f.start, f.end);
      meta.metadata[k] = v;
    } else if (f.no === 7) {
      sawGraph = true;
      const initializers = new Set<string>();
      const inputs: OnnxTensorInfo[] = [];
      for (const g of fields(buf, f.start, f.end)) {
        if (g.wire !== 2) continue;
        if (g.no === 5) initializers.add(initializerName(buf, g.start, g.end));
        else if (g.no === 11) inputs.push(readValueInfo(buf, g.start, g.end));
        else if (g.no === 12) meta.outputs.push(readValueInfo(buf, g.start, g.end));
      }
      // IR < 4 lists weights among the graph inputs too.
      meta.inputs = inputs.filter((i) => !initializers.has(i.name));
    }
  }
  if (meta.irVersion === 0) throw new Error('no ir_version field: not an ONNX ModelProto');
  if (!sawGraph) throw new Error('no graph field: not an ONNX ModelProto');
  return meta;
}
