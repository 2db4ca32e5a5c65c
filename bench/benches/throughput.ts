// Pipeline throughput against the raw model. The real daemon with one sim camera, fed a
// pre-rendered clip of trays from memory as fast as it takes frames (pull mode, not real
// time), through the real ffmpeg ingest → motion gate (off: every frame is detected) → detect →
// tray → verify → store; the figure is frames detected per second divided by back-to-back
// `session.run` on the same frames, already letterboxed, with the same session options and
// intra-op thread count. Raw and pipeline windows alternate in this one process (the daemon's
// source is paused during raw windows) so both see the same machine.
import * as ort from 'onnxruntime-node';
import type { SimFrameSource } from '../../src/camera/index.js';
import { createDaemon } from '../../src/daemon.js';
import { detectorConfig } from '../../src/detect/index.js';
import { createPreprocessor } from '../../src/detect/letterbox.js';
import { loadModel } from '../../src/detect/model.js';
import { configureDaemonImaging } from '../../src/imaging.js';
import { silentLogger } from '../../src/log.js';
import { renderClip, type Clip } from '../lib/clip.js';
import { startCpuMeter } from '../lib/proc.js';
import { benchLogger, camera, daemonConfig, exampleConfig, MODEL, progress, tempDir } from '../lib/config.js';
import { windowS, type BenchOptions } from '../lib/options.js';
import { check, type Bench, type BenchResult, type CheckSpec } from '../lib/report.js';
import { round, sleep } from '../lib/stats.js';

const RATIO: CheckSpec = {
  name: 'throughput: pipeline / raw session.run',
  unit: 'x',
  target: { op: '>=', value: 0.85 },
};

/** Back-to-back session.run on pre-letterboxed frames, with the daemon's session options. */
async function createRawLoop(
  clip: Clip,
  threads: number,
): Promise<{ run(seconds: number): Promise<Round['raw']>; release(): Promise<void> }> {
  const model = await loadModel(detectorConfig({ model: MODEL, threads }), MODEL, silentLogger());
  const { info, session } = model;
  const [h, w] = info.imgsz;
  const pre = createPreprocessor(w, h, info.preprocess);
  const tensors = clip.frames.map((data) => {
    pre.run({ width: clip.width, height: clip.height, data });
    return new ort.Tensor('float32', Float32Array.from(pre.input), [1, 3, h, w]);
  });
  const feed = (i: number): Record<string, ort.Tensor> => ({
    [info.inputName]: tensors[i % tensors.length] as ort.Tensor,
  });
  let next = 0;
  for (let i = 0; i < 10; i++) await session.run(feed(next++));
  return {
    async run(seconds) {
      let runs = 0;
      const cpu = startCpuMeter({ childComm: [] });
      const t0 = performance.now();
      const end = t0 + seconds * 1000;
      while (performance.now() < end) {
        await session.run(feed(next++));
        runs++;
      }
      return { runs, wallS: (performance.now() - t0) / 1000, cpuS: cpu.stop().rootCpuS };
    },
    release: () => session.release(),
  };
}

/** A clip source that can be paused (pull mode: the pipeline then idles). */
function clipSource(clip: Clip): SimFrameSource & { pause(): void; resume(): void } {
  let gate: Promise<void> | null = null;
  let open: () => void = () => undefined;
  return {
    width: clip.width,
    height: clip.height,
    fps: clip.fps,
    realtime: false,
    async next(seq) {
      while (gate) await gate;
      return clip.frames[seq % clip.frames.length] ?? null;
    },
    pause() {
      gate ??= new Promise<void>((r) => (open = r));
    },
    resume() {
      gate = null;
      open();
    },
  };
}

interface Round {
  raw: { runs: number; wallS: number; cpuS: number };
  pipeline: { frames: number; forwarded: number; wallS: number; cpuS: number; ffmpegCpuS: number };
}

/**
 * pull (the figure): eval pacing, as fast as the pipeline takes frames. A frame is produced once
 * the detector finished an earlier one, PULL_WINDOW frames ahead: the next frames are already
 * through ffmpeg and letterboxed while the model runs, and none is dropped.
 * flood: a frame is released as soon as it is handed to detection, so the source never waits
 * (newest frame wins, the others count as dropped). Most frames are converted by ffmpeg and
 * copied only to be dropped, work no camera causes (ffmpeg's fps filter caps a camera at its
 * configured rate); in the details as the worst case of wasted ingest.
 */
type Pacing = 'pull' | 'flood';

interface Measured {
  rounds: Round[];
  detectStageMs: number;
  trays: number;
  verdicts: number;
}

/**
 * Alternates raw and pipeline windows in one process so both see the same machine: the daemon
 * stays up, its clip source paused while the raw loop runs.
 */
async function measure(
  clip: Clip,
  threads: number,
  rounds: number,
  seconds: number,
  pacing: Pacing,
): Promise<Measured> {
  const base = exampleConfig();
  const dir = tempDir('throughput');
  const source = clipSource(clip);
  const cam = camera(base.config, 'bench', 'sim:clip', {
    fps: clip.fps,
    width: clip.width,
    height: clip.height,
    realtime: false,
    motionThreshold: 0,
    stallTimeoutMs: 60_000,
  });
  const loaded = daemonConfig(base, { cameras: [cam], dataDir: dir.path, threads });
  configureDaemonImaging(); // as `traycheck run` does
  const daemon = createDaemon({
    loaded,
    log: benchLogger(),
    simSources: { bench: source },
    clockFromFrames: pacing === 'pull',
  });
  const raw = await createRawLoop(clip, threads);
  let detections = 0;
  let forwarded = 0;
  let lastDetectionAt = 0;
  let inferenceMs = 0;
  let trays = 0;
  let verdicts = 0;
  daemon.bus.on('detections', 'bench', (d) => {
    detections++;
    lastDetectionAt = performance.now();
    inferenceMs += d.inferenceMs;
  });
  daemon.bus.on('frame', 'bench', () => {
    forwarded++;
  });
  daemon.bus.on('tray', 'bench', () => {
    trays++;
  });
  daemon.bus.on('verdict', 'bench', () => {
    verdicts++;
  });
  try {
    await daemon.start();
    const warm = Date.now() + 30_000;
    while (detections < 25 && Date.now() < warm) await sleep(50);
    if (detections < 25) throw new Error(`pipeline did not start: ${detections} frames detected in 30 s`);
    detections = inferenceMs = trays = verdicts = 0;
    const out: Round[] = [];
    for (let i = 0; i < rounds; i++) {
      source.pause();
      // Frames in flight when paused finish first: the raw loop starts on a quiet pipeline.
      while (performance.now() - lastDetectionAt < 200) await sleep(20);
      const r = await raw.run(seconds);
      const [d0, f0] = [detections, forwarded];
      const cpu = startCpuMeter();
      const t0 = performance.now();
      source.resume();
      await sleep(seconds * 1000);
      const used = cpu.stop();
      out.push({
        raw: r,
        pipeline: {
          frames: detections - d0,
          forwarded: forwarded - f0,
          wallS: (performance.now() - t0) / 1000,
          cpuS: used.rootCpuS,
          ffmpegCpuS: used.childrenCpuS,
        },
      });
    }
    return { rounds: out, detectStageMs: inferenceMs / Math.max(1, detections), trays, verdicts };
  } finally {
    source.resume();
    await daemon.stop();
    await raw.release();
    dir.remove();
  }
}

function summary(m: Measured): { ratio: number | null; details: Record<string, unknown> } {
  const sum = (f: (r: Round) => number): number => m.rounds.reduce((a, r) => a + f(r), 0);
  const rawFps = sum((r) => r.raw.runs) / sum((r) => r.raw.wallS);
  const frames = sum((r) => r.pipeline.frames);
  const pipeFps = frames / sum((r) => r.pipeline.wallS);
  const forwarded = sum((r) => r.pipeline.forwarded);
  const perFrameMs = (cpuS: number): number | null => round((1000 * cpuS) / Math.max(1, frames), 2);
  return {
    ratio: round(pipeFps / rawFps, 3),
    details: {
      ratio: round(pipeFps / rawFps, 3),
      rawFps: round(rawFps, 1),
      pipelineFps: round(pipeFps, 1),
      droppedPct: round((100 * Math.max(0, forwarded - frames)) / Math.max(1, forwarded), 1),
      detectStageMsMean: round(m.detectStageMs, 2),
      // CPU per frame, ms: all threads of this process (daemon, detector worker, onnxruntime) and
      // the ffmpeg ingest; raw is session.run alone.
      cpuMsPerFrame: {
        raw: round((1000 * sum((r) => r.raw.cpuS)) / sum((r) => r.raw.runs), 2),
        pipeline: perFrameMs(sum((r) => r.pipeline.cpuS)),
        ffmpeg: perFrameMs(sum((r) => r.pipeline.ffmpegCpuS)),
      },
      rounds: m.rounds.map((r) => ({
        rawFps: round(r.raw.runs / r.raw.wallS, 1),
        pipelineFps: round(r.pipeline.frames / r.pipeline.wallS, 1),
        ratio: round(r.pipeline.frames / r.pipeline.wallS / (r.raw.runs / r.raw.wallS), 3),
      })),
      trayObservations: m.trays,
      verdicts: m.verdicts,
    },
  };
}

async function run(o: BenchOptions): Promise<BenchResult> {
  const t0 = Date.now();
  const seconds = windowS(o, 60, 12);
  const rounds = o.quick ? 3 : 6;
  const roundS = seconds / rounds / 2;
  const threads = o.threads ?? exampleConfig().config.detector.threads;
  const clipFrames = o.quick ? 50 : 100;
  progress('throughput', `rendering a ${clipFrames}-frame clip`);
  const clip = await renderClip({ trays: 6, frames: clipFrames, startS: 2, seed: 7 });
  const mode = async (pacing: Pacing): Promise<ReturnType<typeof summary>> => {
    progress(
      'throughput',
      `${pacing}: ${rounds} rounds of ${roundS} s raw session.run + ${roundS} s pipeline, ${threads} thread(s)`,
    );
    const m = summary(await measure(clip, threads, rounds, roundS, pacing));
    progress('throughput', `${pacing}: pipeline / raw = ${m.ratio}`);
    return m;
  };
  const modes = { pull: await mode('pull'), flood: await mode('flood') };
  return {
    bench: 'throughput',
    checks: [
      check(
        RATIO,
        modes.pull.ratio,
        `${String(modes.pull.details.pipelineFps)} vs ${String(modes.pull.details.rawFps)} fps; flood ${modes.flood.ratio}`,
      ),
    ],
    details: {
      threads,
      windowS: seconds,
      clipFrames,
      frame: `${clip.width}x${clip.height}`,
      pull: modes.pull.details,
      flood: modes.flood.details,
      method:
        'pipeline: real daemon, one sim camera fed a pre-rendered clip through ffmpeg, motion gate off, frames/s detected (each detected frame goes through tray, verify, store); figure = pull pacing (eval: a frame is produced once detection finished an earlier one, none dropped); flood = a frame released once handed to detection (newest wins); raw: session.run back-to-back on the same frames pre-letterboxed, same session options and threads; raw and pipeline windows alternate in one process, the daemon paused during raw windows',
    },
    wallS: (Date.now() - t0) / 1000,
  };
}

export const throughputBench: Bench = { name: 'throughput', checks: [RATIO], run };
