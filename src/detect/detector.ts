// The detector stage: one onnxruntime session, letterbox → run → decode → class-wise NMS →
// frame pixels. Calls to detect() are serialised: the input tensor is reused between frames.
import { isAbsolute, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import * as ort from 'onnxruntime-node';
import type { DetectorConfig } from '../config/schema.js';
import type { ComponentHealth } from '../health/types.js';
import type { Logger } from '../log.js';
import type { Frame, FrameDetections } from '../types.js';
import { createPreprocessor, type Preprocessor } from './letterbox.js';
import { loadModel, type LoadedModel, type ModelInfo } from './model.js';
import { postprocess } from './postprocess.js';

export interface DetectorDeps {
  config: DetectorConfig;
  log: Logger;
  /** Folder a relative `config.model` / `labelsFile` is resolved against (default: cwd). */
  baseDir?: string;
}

/** Milliseconds spent in each part of the last detect() call. */
export interface DetectTimings {
  preprocessMs: number;
  runMs: number;
  decodeMs: number;
  totalMs: number;
}

export interface Detector {
  start(): Promise<void>;
  stop(): Promise<void>;
  info(): ModelInfo;
  /** Detections in frame pixels; `inferenceMs` is the whole detect stage (preprocess + run + decode). */
  detect(frame: Frame): Promise<FrameDetections>;
  lastTimings(): DetectTimings | null;
  health(): ComponentHealth;
}

export function createDetector(deps: DetectorDeps): Detector {
  const { config } = deps;
  const log = deps.log;
  const abs = (p: string): string => (isAbsolute(p) ? p : resolve(deps.baseDir ?? process.cwd(), p));
  let model: LoadedModel | null = null;
  let pre: Preprocessor | null = null;
  let thresholds = new Float32Array(0);
  let queue: Promise<unknown> = Promise.resolve();
  let startError: string | null = null;
  let timings: DetectTimings | null = null;
  let inferences = 0;
  let failures = 0;
  let consecutiveFailures = 0;
  let lastError: string | null = null;

  const loaded = (): LoadedModel => {
    if (!model) throw new Error('detector not started');
    return model;
  };

  async function run(frame: Frame): Promise<FrameDetections> {
    const m = loaded();
    const p = pre as Preprocessor;
    const [inputH, inputW] = m.info.imgsz;
    const t0 = performance.now();
    const geom = p.run(frame);
    const t1 = performance.now();
    const tensor = new ort.Tensor('float32', p.input, [1, 3, inputH, inputW]);
    const result = await m.session.run({ [m.info.inputName]: tensor });
    const out = result[m.info.outputName] as ort.Tensor;
    const t2 = performance.now();
    const candidates = m.decoder.decode({
      data: out.data as Float32Array,
      dims: out.dims,
      inputW,
      inputH,
      thresholds,
    });
    const detections = postprocess(candidates, {
      needsNms: m.decoder.needsNms,
      nmsIou: config.nmsIou,
      maxDetections: config.maxDetections,
      geometry: geom,
      labels: m.info.labels,
    });
    const t3 = performance.now();
    timings = { preprocessMs: t1 - t0, runMs: t2 - t1, decodeMs: t3 - t2, totalMs: t3 - t0 };
    return {
      cameraId: frame.cameraId,
      seq: frame.seq,
      ts: frame.ts,
      width: frame.width,
      height: frame.height,
      detections,
      inferenceMs: t3 - t0,
    };
  }

  return {
    async start() {
      if (model) return;
      const file = abs(config.model);
      try {
        const labelsFile = config.labelsFile ? abs(config.labelsFile) : undefined;
        model = await loadModel({ ...config, labelsFile }, file, log);
      } catch (err) {
        startError = (err as Error).message;
        throw err;
      }
      startError = null;
      const { info } = model;
      pre = createPreprocessor(info.imgsz[1], info.imgsz[0], info.preprocess);
      // A class threshold may name the menu label (after aliases) or the model's own label.
      thresholds = Float32Array.from(
        info.labels.map(
          (l, i) =>
            config.classThresholds[l] ??
            config.classThresholds[info.modelLabels[i] ?? ''] ??
            config.scoreThreshold,
        ),
      );
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
      const m = model;
      if (!m) return;
      await queue;
      model = null;
      pre = null;
      await m.session.release();
    },
    info() {
      return loaded().info;
    },
    detect(frame) {
      const job = queue.then(() => run(frame));
      queue = job.then(
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
      return job;
    },
    lastTimings() {
      return timings;
    },
    health() {
      if (!model) return { state: 'down', detail: startError ?? 'detector not started' };
      const { info } = model;
      const data = {
        family: info.family,
        sha256: info.sha256,
        labels: info.labels.length,
        inferences,
        failures,
        lastTimings: timings,
      };
      const name = `${info.family} model ${info.path.split(/[\\/]/).pop() ?? info.path} (sha256 ${info.sha256.slice(0, 12)})`;
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
