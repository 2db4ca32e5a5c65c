// Median latency of an ONNX model in onnxruntime-node (zeros-ish input, after warm-up).
// Usage: node tools/train/bench-onnx.mjs [models/traycheck-det.onnx] [--threads 2] [--runs 300]
import * as ort from 'onnxruntime-node';

const arg = (name, dflt) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : dflt;
};
const file =
  process.argv[2] && !process.argv[2].startsWith('--') ? process.argv[2] : 'models/traycheck-det.onnx';
const threads = Number(arg('--threads', '2'));
const runs = Number(arg('--runs', '300'));
const s = await ort.InferenceSession.create(file, {
  intraOpNumThreads: threads,
  interOpNumThreads: 1,
  graphOptimizationLevel: 'all',
});
const dims = [1, 3, Number(arg('--h', '224')), Number(arg('--w', '384'))];
const x = new ort.Tensor('float32', new Float32Array(dims.reduce((a, b) => a * b)).fill(0.45), dims);
for (let i = 0; i < 10; i++) await s.run({ [s.inputNames[0]]: x });
const ts = [];
for (let i = 0; i < runs; i++) {
  const t = performance.now();
  await s.run({ [s.inputNames[0]]: x });
  ts.push(performance.now() - t);
}
ts.sort((a, b) => a - b);
console.log(
  `${file}: median ${ts[runs >> 1].toFixed(2)} ms, p90 ${ts[Math.floor(runs * 0.9)].toFixed(2)} ms, min ${ts[0].toFixed(2)} ms (${threads} threads, ${runs} runs)`,
);
