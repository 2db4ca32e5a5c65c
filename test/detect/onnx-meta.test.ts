import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readOnnxMeta } from '../../src/detect/onnx-meta.js';
import { YOLOX_MODEL as YOLOX, present } from './paths.js';
import { buildOnnx } from './onnx-writer.js';

describe('ONNX metadata reader', () => {
  it('reads metadata_props, inputs and outputs of a model built here', () => {
    const bytes = buildOnnx({
      inputDims: [1, 3, 'height', 'width'],
      outputDims: [1, 2, 7],
      output: new Float32Array(14),
      declaredOutputDims: [1, 'anchors', 7],
      metadata: {
        names: '["burger","fries","drink"]',
        imgsz: '[224, 384]',
        family: 'traycheck',
        version: '0.3.1',
        note: 'ünïcode ✓',
      },
      initializerInputs: ['weight0'],
    });
    const meta = readOnnxMeta(bytes);
    expect(meta.irVersion).toBe(8);
    expect(meta.producerName).toBe('traycheck-test');
    expect(meta.metadata).toEqual({
      names: '["burger","fries","drink"]',
      imgsz: '[224, 384]',
      family: 'traycheck',
      version: '0.3.1',
      note: 'ünïcode ✓',
    });
    expect(meta.inputs).toEqual([{ name: 'images', elemType: 1, dims: [1, 3, 'height', 'width'] }]);
    expect(meta.outputs).toEqual([{ name: 'output', elemType: 1, dims: [1, 'anchors', 7] }]);
  });

  it('reads large dims and an empty metadata list', () => {
    const meta = readOnnxMeta(
      buildOnnx({ inputDims: [1, 3, 4096, 70000], outputDims: [1, 1, 6], output: new Float32Array(6) }),
    );
    expect(meta.inputs[0]?.dims).toEqual([1, 3, 4096, 70000]);
    expect(meta.metadata).toEqual({});
  });

  it('rejects bytes that are not an ONNX model', () => {
    const good = buildOnnx({ outputDims: [1, 1, 6], output: new Float32Array(6), metadata: { a: 'b' } });
    expect(() => readOnnxMeta(good.subarray(0, good.length - 3))).toThrow(/runs past the end|truncated/);
    expect(() => readOnnxMeta(new TextEncoder().encode('hello, this is a text file\n'))).toThrow();
    expect(() =>
      readOnnxMeta(Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46])),
    ).toThrow();
    expect(() => readOnnxMeta(new Uint8Array(0))).toThrow(/not an ONNX ModelProto/);
    // A valid protobuf that is not a ModelProto (no graph).
    expect(() => readOnnxMeta(Uint8Array.from([0x08, 0x07]))).toThrow(/no graph field/);
  });

  it.skipIf(!present(YOLOX, 'YOLOX metadata test'))('reads the real YOLOX-nano export (no metadata)', () => {
    const meta = readOnnxMeta(readFileSync(YOLOX));
    expect(meta.inputs).toEqual([{ name: 'images', elemType: 1, dims: [1, 3, 416, 416] }]);
    expect(meta.outputs).toEqual([{ name: 'output', elemType: 1, dims: [1, 3549, 85] }]);
    expect(meta.metadata).toEqual({});
  });
});
