// The detector's worker thread. onnxruntime-node's session.run blocks the thread it is called on
// (5-40 ms here), so inference runs here and the daemon's thread stays free for ffmpeg's pipes,
// MQTT and HTTP. Measured: with inference on the daemon's thread the pipeline kept up with only
// 0.56 of the raw model, because frames could not be read from ffmpeg while the model ran.
import { parentPort, workerData } from 'node:worker_threads';
import { createEngine, type Engine } from './engine.js';
import { ModelError } from './errors.js';
import { loadModel, type LoadedModel, type ModelLog } from './model.js';
import type { FromWorker, ToWorker, WireError, WorkerStart } from './worker-protocol.js';

const port = parentPort;
if (!port) throw new Error('detect/worker.ts runs as a worker thread of the detector');
const start = workerData as WorkerStart;

const send = (m: FromWorker, transfer: ArrayBuffer[] = []): void => port.postMessage(m, transfer);

const wire = (err: unknown): WireError => {
  const e = err instanceof Error ? err : new Error(String(err));
  return {
    message: e.message,
    stack: e.stack,
    model: e instanceof ModelError ? { file: e.file, problem: e.problem } : undefined,
  };
};

/** Model loading's warnings, forwarded to the daemon's logger. */
const modelLog: ModelLog = {
  warn: (data, msg) => send({ type: 'log', level: 'warn', data, msg }),
};

let model: LoadedModel | null = null;
let engine: Engine | null = null;
// One inference at a time, in the order the frames came.
let queue: Promise<void> = Promise.resolve();

async function detect(m: Extract<ToWorker, { type: 'detect' }>): Promise<void> {
  const { id, input } = m;
  const back = [input.buffer as ArrayBuffer];
  try {
    if (!engine) throw new Error('detector worker has no model');
    const r = await engine.run(input, m.geometry);
    send(
      {
        type: 'result',
        id,
        input,
        detections: r.detections,
        faint: r.faint,
        runMs: r.runMs,
        decodeMs: r.decodeMs,
      },
      back,
    );
  } catch (err) {
    send({ type: 'error', id, input, error: wire(err) }, back);
  }
}

/** Models loaded by `load`, waiting for `swap` or `discard`. */
const staged = new Map<number, LoadedModel>();

async function load(m: Extract<ToWorker, { type: 'load' }>): Promise<void> {
  try {
    // loadModel ends with a test inference, so the new session is warm before it takes frames.
    const loaded = await loadModel(start.config, m.modelFile, modelLog);
    staged.set(m.id, loaded);
    send({ type: 'loaded', id: m.id, info: loaded.info });
  } catch (err) {
    send({ type: 'load-failed', id: m.id, error: wire(err) });
  }
}

async function swap(id: number): Promise<void> {
  const next = staged.get(id);
  staged.delete(id);
  if (!next) return;
  const old = model;
  model = next;
  engine = createEngine(start.config, next);
  send({ type: 'swapped', id });
  if (old) await old.session.release();
}

async function discard(id: number): Promise<void> {
  const m = staged.get(id);
  staged.delete(id);
  if (m) await m.session.release();
  send({ type: 'discarded', id });
}

async function stop(): Promise<void> {
  for (const id of [...staged.keys()]) await discard(id);
  const m = model;
  model = null;
  engine = null;
  if (m) await m.session.release();
  send({ type: 'stopped' });
  port?.close();
}

port.on('message', (m: ToWorker) => {
  // Loading runs beside the frames; everything else keeps the order it came in, so a swap
  // happens between two frames.
  if (m.type === 'load') void load(m);
  else
    queue = queue.then(() =>
      m.type === 'detect'
        ? detect(m)
        : m.type === 'swap'
          ? swap(m.id)
          : m.type === 'discard'
            ? discard(m.id)
            : stop(),
    );
});

try {
  model = await loadModel(start.config, start.modelFile, modelLog);
  engine = createEngine(start.config, model);
  send({ type: 'ready', info: model.info });
} catch (err) {
  send({ type: 'failed', error: wire(err) });
  port.close();
}
