// One step of the camera sweep: N cameras in the real daemon on the RTSP clip server, measured
// over a window after every camera is online and a warm-up. The CPU of the daemon process is
// split into detection (the detector's worker thread and its onnxruntime threads) and the rest
// (main thread: ingest, motion gate, letterbox, tray, verify, store; libuv and sharp pools);
// decode is the cameras' ffmpeg processes.
import type { CameraConfig } from '../../src/config/schema.js';
import { startCameraDaemon } from './camera-daemon.js';
import { processCpuMeter, startCpuMeter, threadCpuS } from './proc.js';
import { quantile, round, sleep } from './stats.js';

export const DETECT_FPS = 5;
export const MAX_DROP_PCT = 5;
export const MIN_FPS_SHARE = 0.95;

export interface CameraStep {
  cameras: number;
  pass: boolean;
  /** Lowest camera's figures (the step fails on the worst camera). */
  minDetectFps: number;
  minIngestFps: number;
  maxDropPct: number;
  /** % of one core over the window. */
  decodeCpuPct: number;
  detectCpuPct: number;
  restCpuPct: number;
  totalCpuPct: number;
  serverCpuPct: number;
  /** CPU ms per detected frame: detection threads, and the rest of the daemon. */
  detectMsPerFrame: number | null;
  restMsPerFrame: number | null;
  /** Frame read → detections emitted, ms. */
  detectDelayP95Ms: number | null;
  detectDelayP50Ms: number | null;
  error?: string;
}

export interface StepSetup {
  urls: string[];
  serverPid: number;
  gate: 'on' | 'off';
  seconds: number;
  warmupS: number;
  threads: number | null;
  /** Extra camera keys (e.g. decoder flags under test). */
  keys?: Partial<CameraConfig>;
}

export async function measureStep(n: number, s: StepSetup): Promise<CameraStep> {
  const keys: Partial<CameraConfig> = { fps: DETECT_FPS, width: 640, height: 360, ...s.keys };
  // Gate on: the example config's motion settings; off: every frame goes to detection.
  if (s.gate === 'off') keys.motionThreshold = 0;
  const cams = await startCameraDaemon({ source: s.urls, cameras: n, keys, threads: s.threads });
  const statuses = new Map<string, { at: number; frames: number }[]>();
  cams.daemon.bus.on('cameraStatus', 'bench-step', (st) => {
    const list = statuses.get(st.cameraId) ?? [];
    list.push({ at: Date.now(), frames: st.framesTotal });
    statuses.set(st.cameraId, list);
  });
  try {
    await cams.waitFor('online', 30_000 + 1000 * n);
    await sleep(s.warmupS * 1000);
    cams.reset();
    statuses.clear();
    const threads0 = threadCpuS();
    const cpu = startCpuMeter();
    const server = processCpuMeter(s.serverPid);
    await sleep(s.seconds * 1000);
    const threads1 = threadCpuS();
    const window = cpu.stop();
    const serverPct = server();
    let detectS = 0;
    for (const tid of cams.detectThreadIds) detectS += (threads1.get(tid) ?? 0) - (threads0.get(tid) ?? 0);
    const pct = (cpuS: number): number => round((100 * cpuS) / window.wallS, 1) ?? 0;
    const counts = cams.counts();
    const detectFps = cams.ids.map((id) => (counts.get(id)?.detected ?? 0) / window.wallS);
    const dropPct = cams.ids.map((id) => {
      const c = counts.get(id);
      return c && c.forwarded > 0 ? (100 * Math.max(0, c.forwarded - c.detected)) / c.forwarded : 100;
    });
    // Frames out of ffmpeg (before the gate), from the status heartbeats inside the window.
    const ingestFps = cams.ids.map((id) => {
      const l = statuses.get(id) ?? [];
      const a = l[0];
      const b = l[l.length - 1];
      return a && b && b.at > a.at ? (1000 * (b.frames - a.frames)) / (b.at - a.at) : 0;
    });
    const minFps = MIN_FPS_SHARE * DETECT_FPS;
    const fpsOk =
      s.gate === 'off' ? detectFps.every((f) => f >= minFps) : ingestFps.every((f) => f >= minFps);
    const pass = fpsOk && dropPct.every((d) => d < MAX_DROP_PCT);
    const delays = cams.detectDelaysMs();
    const detected = [...counts.values()].reduce((a, c) => a + c.detected, 0);
    const perFrame = (cpuS: number): number | null => (detected ? round((1000 * cpuS) / detected, 2) : null);
    return {
      cameras: n,
      pass,
      minDetectFps: round(Math.min(...detectFps), 2) ?? 0,
      minIngestFps: round(Math.min(...ingestFps), 2) ?? 0,
      maxDropPct: round(Math.max(...dropPct), 1) ?? 0,
      decodeCpuPct: pct(window.childrenCpuS),
      detectCpuPct: pct(detectS),
      restCpuPct: pct(window.rootCpuS - detectS),
      totalCpuPct: pct(window.rootCpuS + window.childrenCpuS),
      serverCpuPct: round(serverPct, 1) ?? 0,
      detectMsPerFrame: perFrame(detectS),
      restMsPerFrame: perFrame(window.rootCpuS - detectS),
      detectDelayP95Ms: delays.length ? Math.round(quantile(delays, 0.95)) : null,
      detectDelayP50Ms: delays.length ? Math.round(quantile(delays, 0.5)) : null,
    };
  } catch (err) {
    // A step that cannot even get its cameras online fails; the sweep goes on with smaller ones.
    return { ...emptyStep(n), error: err instanceof Error ? err.message : String(err) };
  } finally {
    await cams.stop();
  }
}

function emptyStep(n: number): CameraStep {
  return {
    cameras: n,
    pass: false,
    minDetectFps: 0,
    minIngestFps: 0,
    maxDropPct: 100,
    decodeCpuPct: 0,
    detectCpuPct: 0,
    restCpuPct: 0,
    totalCpuPct: 0,
    serverCpuPct: 0,
    detectMsPerFrame: null,
    restMsPerFrame: null,
    detectDelayP95Ms: null,
    detectDelayP50Ms: null,
  };
}

/**
 * Counts to try: doubling from 1 until a step fails or `max` is reached (max itself is tried
 * when a doubling would pass it), then bisecting between the largest pass and the smallest
 * failure. `fixed` (--steps) replaces the search with a list.
 */
export async function sweepCounts(
  measure: (n: number) => Promise<CameraStep>,
  max: number,
  fixed: number[] | null,
): Promise<CameraStep[]> {
  const steps: CameraStep[] = [];
  const run = async (n: number): Promise<boolean> => {
    const st = await measure(n);
    steps.push(st);
    return st.pass;
  };
  if (fixed) {
    for (const n of fixed) await run(n);
    return steps;
  }
  let lo = 0;
  let hi: number | null = null;
  for (let n = 1; hi === null && lo < max; n = Math.min(n * 2, max)) {
    if (await run(n)) lo = n;
    else hi = n;
  }
  while (hi !== null && hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (await run(mid)) lo = mid;
    else hi = mid;
  }
  return steps;
}

/** The largest count that passed with no smaller count failing. */
export function largestPassing(steps: readonly CameraStep[]): number {
  let best = 0;
  for (const s of [...steps].sort((a, b) => a.cameras - b.cameras)) {
    if (!s.pass) break;
    best = s.cameras;
  }
  return best;
}
