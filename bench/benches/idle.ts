// Idle cost: N cameras (default 4) watching an empty counter: a rendered clip of the empty
// counter (the renderer's sensor noise and JPEG artefacts, H.264 like a camera substream at
// 640x360, 5 fps) read in a loop at real time by each camera's ffmpeg, the motion gate at the
// example config's defaults so detection drops to idleFps. CPU of the daemon process
// (process.cpuUsage) plus its ffmpeg children (/proc/<pid>/stat utime+stime) over the window,
// divided by N: the daemon's own fixed cost is charged to the cameras, so the figure is an upper
// bound; the marginal cost over the same daemon without cameras is in the details.
import { join } from 'node:path';
import { startCameraDaemon } from '../lib/camera-daemon.js';
import { encodeH264, renderClip } from '../lib/clip.js';
import { progress, tempDir } from '../lib/config.js';
import { windowS, type BenchOptions } from '../lib/options.js';
import { startCpuMeter, type CpuWindow } from '../lib/proc.js';
import { check, type Bench, type BenchResult, type CheckSpec } from '../lib/report.js';
import { round, sleep } from '../lib/stats.js';

const PER_CAMERA: CheckSpec = {
  name: 'idle: CPU per camera, empty counter',
  unit: '% core',
  target: { op: '<=', value: 10 },
};

async function measure(
  source: string,
  n: number,
  seconds: number,
  o: BenchOptions,
): Promise<{ cpu: CpuWindow; forwardedFps: number[]; detectedFps: number[] }> {
  const cams = await startCameraDaemon({
    source,
    cameras: n,
    keys: { fps: 5, width: 640, height: 360, realtime: true, loop: true },
    threads: o.threads,
  });
  try {
    if (n > 0) await cams.waitFor('idle', 30_000);
    await sleep(3000);
    cams.reset();
    const meter = startCpuMeter();
    await sleep(seconds * 1000);
    const cpu = meter.stop();
    const counts = cams.counts();
    const fps = (k: 'forwarded' | 'detected'): number[] =>
      cams.ids.map((id) => round((counts.get(id)?.[k] ?? 0) / cpu.wallS, 2) ?? 0);
    return { cpu, forwardedFps: fps('forwarded'), detectedFps: fps('detected') };
  } finally {
    await cams.stop();
  }
}

async function run(o: BenchOptions): Promise<BenchResult> {
  const t0 = Date.now();
  const seconds = windowS(o, 60, 20);
  const n = o.idleCameras;
  const dir = tempDir('idle');
  try {
    progress('idle', 'rendering and encoding a 10 s clip of the empty counter');
    const clip = await renderClip({ trays: 0, frames: 50, startS: 0, seed: 3 });
    const file = join(dir.path, 'empty-counter.mp4');
    await encodeH264(clip, file);
    const baselineS = Math.min(seconds, 20);
    progress('idle', `daemon without cameras, ${baselineS} s`);
    const baseline = await measure(file, 0, baselineS, o);
    progress('idle', `${n} camera(s) on the empty counter, ${seconds} s`);
    const idle = await measure(file, n, seconds, o);
    const perCamera = idle.cpu.corePct / n;
    const marginal = (idle.cpu.corePct - baseline.cpu.corePct) / n;
    progress('idle', `${round(perCamera, 2)} % of a core per camera (marginal ${round(marginal, 2)} %)`);
    return {
      bench: 'idle',
      checks: [
        check(
          PER_CAMERA,
          round(perCamera, 2),
          `${n} cameras, marginal ${round(marginal, 2)} %, detect ${idle.detectedFps.join('/')} fps`,
        ),
      ],
      details: {
        cameras: n,
        windowS: seconds,
        source:
          'rendered empty counter, H.264 640x360 @ 5 fps (libx264 veryfast), looped at real time by each camera (file source)',
        totalCpuPct: round(idle.cpu.corePct, 1),
        daemonCpuPct: round(idle.cpu.rootCorePct, 1),
        ffmpegCpuPct: round(idle.cpu.childrenCorePct, 1),
        baselineNoCamerasCpuPct: round(baseline.cpu.corePct, 2),
        marginalPerCameraPct: round(marginal, 2),
        forwardedToDetectionFps: idle.forwardedFps,
        detectedFps: idle.detectedFps,
      },
      wallS: (Date.now() - t0) / 1000,
    };
  } finally {
    dir.remove();
  }
}

export const idleBench: Bench = { name: 'idle', checks: [PER_CAMERA], run };
