// The detector stage: the letterbox here, the onnxruntime session in a worker thread (worker.ts).
// onnxruntime-node's session.run blocks its thread for the whole inference, so on the daemon's
// thread it would stall ffmpeg's pipes, MQTT and HTTP for 5-40 ms a frame. Frames given to
// detect() while one is in the worker are letterboxed at once and queued there, so the letterbox
// overlaps inference; results come back in the order the frames went in.
import { existsSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { DetectorConfig } from '../config/schema.js';
import type { ComponentHealth } from '../health/types.js';
import type { Logger } from '../log.js';
import type { Frame, FrameDetections } from '../types.js';
import type { DetectTimings } from './engine.js';
import { ModelError } from './errors.js';
import { createPreprocessor, type Preprocessor } from './letterbox.js';
import type { ModelInfo } from './model.js';
import type { FromWorker, ToWorker, WireError, WorkerStart } from './worker-protocol.js';

export type { DetectTimings } from './engine.js';

export interface DetectorDeps {
  config: DetectorConfig;
  log: Logger;
  /** Folder a relative `config.model` / `labelsFile` is resolved against (default: cwd). */
  baseDir?: string;
  /** The worker script (default: worker.js beside this file); tests substitute one that fails. */
  workerUrl?: URL;
}

export interface Detector {
  start(): Promise<void>;
  stop(): Promise<void>;
  info(): ModelInfo;
  /**
   * Detections in frame pixels; `inferenceMs` is the detect stage's work on this frame (preprocess
   * + run + decode, not the wait behind earlier frames). Frames may be given while earlier ones
   * are in flight: they queue in the worker and resolve in order.
   */
  detect(frame: Frame): Promise<FrameDetections>;
  lastTimings(): DetectTimings | null;
  health(): ComponentHealth;
  /**
   * Loads and warms `file` beside the running model, checks it (same input as the running model,
   * then `accept`, which returns a reason to refuse) and swaps it in between two frames. On any
   * error the running model stays and the promise rejects. Reloads run one at a time.
   */
  reload(file: string, accept?: (info: ModelInfo) => string | null): Promise<ModelInfo>;
}

/** Delay before a worker that died is started again (doubles to the cap). */
const RESTART_MS = 1000;
const RESTART_MAX_MS = 30_000;
const STOP_TIMEOUT_MS = 5000;

/**
 * The compiled worker beside this file; when the sources run through a TypeScript loader
 * (vitest), the compiled one under dist/ (npm run build, which the test command runs first).
 */
function workerFile(): URL {
  const here = new URL('./worker.js', import.meta.url);
  if (existsSync(fileURLToPath(here))) return here;
  const built = new URL('../../dist/src/detect/worker.js', import.meta.url);
  if (existsSync(fileURLToPath(built))) return built;
  throw new Error(`detector worker ${fileURLToPath(here)} not found: run "npm run build"`);
}

function fromWire(e: WireError): Error {
  const err = e.model ? new ModelError(e.model.file, e.model.problem) : new Error(e.message);
  if (e.stack) err.stack = e.stack;
  return err;
}

type Result = Extract<FromWorker, { type: 'result' }>;
type Control = Extract<FromWorker, { type: 'loaded' | 'load-failed' | 'swapped' | 'discarded' }>;

/** Why a model cannot replace the running one without a restart (the letterbox is built for it). */
function inputDiffers(running: ModelInfo, next: ModelInfo): string | null {
  if (running.imgsz.join('x') !== next.imgsz.join('x'))
    return `input ${next.imgsz.join('x')} differs from the running model's ${running.imgsz.join('x')} (restart the daemon to change the input size)`;
  if (JSON.stringify(running.preprocess) !== JSON.stringify(next.preprocess))
    return 'its preprocessing (letterbox, normalisation) differs from the running model (restart the daemon to change it)';
  return null;
}

interface Pending {
  resolve(m: Result): void;
  reject(err: Error): void;
}

export function createDetector(deps: DetectorDeps): Detector {
  const { config, log } = deps;
  const abs = (p: string): string => (isAbsolute(p) ? p : resolve(deps.baseDir ?? process.cwd(), p));
  let worker: Worker | null = null;
  let modelInfo: ModelInfo | null = null;
  let pre: Preprocessor | null = null;
  /** Input tensors back from the worker, ready for the next frame. */
  const spare: Float32Array[] = [];
  const pending = new Map<number, Pending>();
  const controls = new Map<number, { resolve(m: Control): void; reject(err: Error): void }>();
  let reloading: Promise<unknown> = Promise.resolve();
  /** The model the worker runs (the configured one until a reload swaps another in). */
  let modelFile = abs(config.model);
  let nextId = 0;
  const inFlight = new Set<Promise<unknown>>();
  let stopping = false;
  let restart: Promise<void> | null = null;
  let restartMs = RESTART_MS;
  /** Ends the delay before a restart at once (stop()). */
  let cancelRestartDelay: () => void = () => undefined;
  let startError: string | null = null;
  let timings: DetectTimings | null = null;
  let inferences = 0;
  let failures = 0;
  let consecutiveFailures = 0;
  let lastError: string | null = null;

  /** Starts a worker and waits until its model is loaded and checked. */
  function spawnWorker(): Promise<Worker> {
    const start: WorkerStart = {
      config: { ...config, labelsFile: config.labelsFile ? abs(config.labelsFile) : undefined },
      modelFile,
    };
    const w = new Worker(deps.workerUrl ?? workerFile(), { workerData: start, name: 'traycheck-detector' });
    // The daemon's servers keep it running; the worker alone never keeps a process alive.
    w.unref();
    return new Promise<Worker>((resolveReady, rejectReady) => {
      let ready = false;
      w.on('message', (m: FromWorker) => {
        switch (m.type) {
          case 'ready':
            ready = true;
            modelInfo = m.info;
            pre = createPreprocessor(m.info.imgsz[1], m.info.imgsz[0], m.info.preprocess);
            resolveReady(w);
            break;
          case 'failed':
            rejectReady(fromWire(m.error));
            break;
          case 'log':
            log[m.level](m.data, m.msg);
            break;
          case 'result':
          case 'error': {
            spare.push(m.input);
            const p = pending.get(m.id);
            pending.delete(m.id);
            if (m.type === 'result') p?.resolve(m);
            else p?.reject(fromWire(m.error));
            break;
          }
          case 'loaded':
          case 'load-failed':
          case 'swapped':
          case 'discarded':
            controls.get(m.id)?.resolve(m);
            controls.delete(m.id);
            break;
          case 'stopped':
            break;
        }
      });
      w.on('error', (err) => {
        if (!ready) rejectReady(err);
        else log.error({ err }, 'detector worker failed');
      });
      w.on('exit', (code) => {
        if (!ready)
          rejectReady(new Error(`detector worker exited (code ${code}) before the model was loaded`));
        if (worker === w) worker = null;
        const err = new Error(`detector worker exited (code ${code})`);
        for (const p of pending.values()) p.reject(err);
        pending.clear();
        for (const c of controls.values()) c.reject(err);
        controls.clear();
        if (ready && !stopping) {
          lastError = err.message;
          log.error({ code, restartInMs: restartMs }, 'detector worker exited; starting it again');
          scheduleRestart();
        }
      });
    });
  }

  /** Starts a new worker after a delay, again and again (doubling to the cap) until one loads. */
  function scheduleRestart(): void {
    if (restart || stopping) return;
    restart = (async () => {
      await new Promise<void>((r) => {
        const timer = setTimeout(r, restartMs);
        cancelRestartDelay = () => {
          clearTimeout(timer);
          r();
        };
      });
      restartMs = Math.min(restartMs * 2, RESTART_MAX_MS);
      if (stopping) return;
      const w = await spawnWorker();
      if (stopping) return stopWorker(w);
      worker = w;
      restartMs = RESTART_MS;
      log.info('detector worker running again');
    })();
    restart
      .catch((err: unknown) => {
        lastError = `detector worker failed to start again: ${(err as Error).message}`;
        log.error({ err, restartInMs: restartMs }, 'detector worker failed to start again');
      })
      .finally(() => {
        restart = null;
        if (!worker && !stopping) scheduleRestart();
      });
  }

  /** The running worker, or the one being started again after an unexpected exit. */
  async function running(): Promise<Worker> {
    if (!worker && restart) await restart.catch(() => undefined);
    if (worker) return worker;
    if (stopping || !modelInfo) throw new Error('detector not started');
    throw new Error(lastError ?? 'detector worker not running');
  }

  async function run(frame: Frame): Promise<FrameDetections> {
    const w = await running();
    const p = pre as Preprocessor;
    const t0 = performance.now();
    const input = spare.pop() ?? new Float32Array(p.input.length);
    let geometry;
    try {
      geometry = p.run(frame, input);
    } catch (err) {
      spare.push(input);
      throw err;
    }
    const preprocessMs = performance.now() - t0;
    const id = ++nextId;
    const m = await new Promise<Result>((resolveRun, rejectRun) => {
      pending.set(id, { resolve: resolveRun, reject: rejectRun });
      w.postMessage({ type: 'detect', id, input, geometry } satisfies ToWorker, [
        input.buffer as ArrayBuffer,
      ]);
    });
    const totalMs = preprocessMs + m.runMs + m.decodeMs;
    timings = { preprocessMs, runMs: m.runMs, decodeMs: m.decodeMs, totalMs };
    return {
      cameraId: frame.cameraId,
      seq: frame.seq,
      ts: frame.ts,
      width: frame.width,
      height: frame.height,
      detections: m.detections,
      ...(m.faint.length ? { faint: m.faint } : {}),
      inferenceMs: totalMs,
    };
  }

  function control(w: Worker, msg: Extract<ToWorker, { id: number }>): Promise<Control> {
    return new Promise((resolveControl, rejectControl) => {
      controls.set(msg.id, { resolve: resolveControl, reject: rejectControl });
      w.postMessage(msg satisfies ToWorker);
    });
  }

  async function reloadModel(file: string, accept?: (info: ModelInfo) => string | null): Promise<ModelInfo> {
    const w = await running();
    const path = abs(file);
    const id = ++nextId;
    const loaded = await control(w, { type: 'load', id, modelFile: path });
    if (loaded.type === 'load-failed') throw fromWire(loaded.error);
    if (loaded.type !== 'loaded') throw new Error(`detector worker answered ${loaded.type} to a load`);
    const why = inputDiffers(modelInfo as ModelInfo, loaded.info) ?? accept?.(loaded.info) ?? null;
    if (why) {
      await control(w, { type: 'discard', id });
      throw new ModelError(path, why);
    }
    await control(w, { type: 'swap', id });
    const before = modelInfo;
    modelInfo = loaded.info;
    modelFile = path;
    log.info({ model: path, sha256: loaded.info.sha256, previous: before?.sha256 }, 'detector model swapped');
    return loaded.info;
  }

  async function stopWorker(w: Worker): Promise<void> {
    const exited = new Promise<void>((r) => w.once('exit', () => r()));
    w.postMessage({ type: 'stop' } satisfies ToWorker);
    const timer = setTimeout(() => void w.terminate(), STOP_TIMEOUT_MS);
    await exited;
    clearTimeout(timer);
  }

  return {
    async start() {
      if (worker) return;
      stopping = false;
      try {
        worker = await spawnWorker();
      } catch (err) {
        startError = (err as Error).message;
        throw err;
      }
      startError = null;
      const info = modelInfo as ModelInfo;
      log.info(
        {
          model: info.path,
          sha256: info.sha256,
          family: info.family,
          imgsz: info.imgsz,
          labels: info.labels.length,
          version: info.version,
          threads: info.threads,
        },
        'detector ready',
      );
    },
    async stop() {
      stopping = true;
      cancelRestartDelay();
      while (inFlight.size) await Promise.allSettled([...inFlight]);
      await restart?.catch(() => undefined);
      const w = worker;
      worker = null;
      if (w) await stopWorker(w);
      modelInfo = null;
      pre = null;
      spare.length = 0;
    },
    info() {
      if (!modelInfo) throw new Error('detector not started');
      return modelInfo;
    },
    detect(frame) {
      const job = run(frame);
      const settled = job.then(
        () => {
          inferences++;
          consecutiveFailures = 0;
        },
        (err: unknown) => {
          failures++;
          consecutiveFailures++;
          lastError = (err as Error).message;
        },
      );
      inFlight.add(settled);
      void settled.finally(() => inFlight.delete(settled));
      return job;
    },
    lastTimings() {
      return timings;
    },
    reload(file, accept) {
      const job = reloading.then(() => reloadModel(file, accept));
      reloading = job.catch(() => undefined);
      return job;
    },
    health() {
      if (!modelInfo) return { state: 'down', detail: startError ?? 'detector not started' };
      const info = modelInfo;
      const data = {
        family: info.family,
        sha256: info.sha256,
        labels: info.labels.length,
        inferences,
        failures,
        lastTimings: timings,
      };
      const name = `${info.family} model ${info.path.split(/[\\/]/).pop() ?? info.path} (sha256 ${info.sha256.slice(0, 12)})`;
      if (!worker)
        return { state: 'down', detail: `${name}: ${lastError ?? 'detector worker not running'}`, data };
      if (consecutiveFailures > 0)
        return {
          state: 'degraded',
          detail: `${name}: last ${consecutiveFailures} inference(s) failed: ${lastError}`,
          data,
        };
      const ms = timings ? `, ${timings.totalMs.toFixed(1)} ms per frame` : '';
      return { state: 'ok', detail: `${name}${ms}`, data };
    },
  };
}
