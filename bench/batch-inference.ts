// Batched inference on one onnxruntime thread (the daemon's setting): median session.run time
// for batches of 1, 2 and 4 frames of a dynamic-batch copy of the model (bench/batch-model.py).
// Usage: node dist/bench/batch-inference.js /tmp/traycheck-batch.onnx [runs]
import * as ort from 'onnxruntime-node';

const file = process.argv[2];
const runs = Number(process.argv[3] ?? 40);
if (!file) throw new Error('usage: node dist/bench/batch-inference.js MODEL.onnx [runs]');
const session = await ort.InferenceSession.create(file, { intraOpNumThreads: 1, interOpNumThreads: 1 });
const [h, w] = [224, 384];
const input = session.inputNames[0] as string;
for (const batch of [1, 2, 4]) {
  const data = new Float32Array(batch * 3 * h * w);
  for (let i = 0; i < data.length; i++) data[i] = Math.random();
  const feeds = { [input]: new ort.Tensor('float32', data, [batch, 3, h, w]) };
  await session.run(feeds);
  const times = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await session.run(feeds);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)] as number;
  console.log(`batch ${batch}: median ${median.toFixed(2)} ms, ${(median / batch).toFixed(2)} ms per frame`);
}
