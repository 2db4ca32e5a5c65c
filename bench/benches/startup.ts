// Start to ready: `traycheck run --config F` spawned as systemd would, timed from spawn() to
// the "traycheck ready" log line (every stage started: store with migrations, detector with its
// test inference, broker, pipeline, cameras, dashboard; what sends READY=1 to systemd). The
// config is the example one with one RTSP camera on a local server, an embedded broker and
// the dashboard on free ports. One unmeasured first start on an empty data dir (migrations,
// cold file cache), then restarts on that data dir; the median of those is the figure.
import { spawn } from 'node:child_process';
import { ALLOCATOR_ENV } from '../../src/allocator.js';
import { createInterface } from 'node:readline';
import {
  camera,
  CLI,
  daemonConfig,
  exampleConfig,
  progress,
  tempDir,
  writeConfigFile,
} from '../lib/config.js';
import type { BenchOptions } from '../lib/options.js';
import { check, type Bench, type BenchResult, type CheckSpec } from '../lib/report.js';
import { startRtspSource } from '../lib/rtsp.js';
import { median, round } from '../lib/stats.js';

const READY: CheckSpec = {
  name: 'startup: spawn → ready, median',
  unit: 's',
  target: { op: '<=', value: 3 },
};

interface StartTimes {
  readyS: number;
  cameraOnlineS: number | null;
  stopS: number;
}

function startOnce(configFile: string): Promise<StartTimes> {
  const t0 = performance.now();
  const child = spawn(process.execPath, [CLI, 'run', '--config', configFile], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...ALLOCATOR_ENV },
  });
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString('utf8')).slice(-2000)));
  return new Promise((resolve, reject) => {
    let readyS: number | null = null;
    let cameraOnlineS: number | null = null;
    const stop = async (): Promise<void> => {
      const s0 = performance.now();
      child.kill('SIGTERM');
      const code = await exited;
      if (readyS === null) return reject(new Error(`daemon exited (code ${code}) before ready: ${stderr}`));
      resolve({ readyS, cameraOnlineS, stopS: (performance.now() - s0) / 1000 });
    };
    const timer = setTimeout(() => void stop(), 30_000);
    createInterface({ input: child.stdout }).on('line', (line) => {
      const s = (performance.now() - t0) / 1000;
      let msg = '';
      try {
        msg = (JSON.parse(line) as { msg?: string }).msg ?? '';
      } catch {
        return;
      }
      if (msg === 'traycheck ready' && readyS === null) readyS = s;
      if (msg === 'camera online' && cameraOnlineS === null) cameraOnlineS = s;
      // Stay up until the camera delivered a frame (or 5 s): that time is reported too.
      if (readyS !== null && (cameraOnlineS !== null || s - readyS > 5)) {
        clearTimeout(timer);
        void stop();
      }
    });
    void exited.then((code) => {
      if (readyS === null) {
        clearTimeout(timer);
        reject(new Error(`daemon exited (code ${code}) before ready: ${stderr}`));
      }
    });
  });
}

async function run(o: BenchOptions): Promise<BenchResult> {
  const t0 = Date.now();
  const server = await startRtspSource({ width: 640, height: 360, fps: 5, pattern: 'ball' });
  const dir = tempDir('startup');
  try {
    const base = exampleConfig();
    const loaded = daemonConfig(base, {
      cameras: [camera(base.config, 'expo', server.url)],
      dataDir: dir.path,
      threads: o.threads,
    });
    const file = writeConfigFile(dir.path, loaded);
    progress('startup', 'first start (empty data dir, not counted)');
    const first = await startOnce(file);
    const runs: StartTimes[] = [];
    for (let i = 0; i < o.startupRuns; i++) {
      progress('startup', `restart ${i + 1}/${o.startupRuns}`);
      runs.push(await startOnce(file));
    }
    const ready = runs.map((r) => r.readyS);
    const online = runs.map((r) => r.cameraOnlineS).filter((x): x is number => x !== null);
    return {
      bench: 'startup',
      checks: [
        check(
          READY,
          round(median(ready), 2),
          `runs ${ready.map((s) => s.toFixed(2)).join('/')} s, first start ${first.readyS.toFixed(2)} s`,
        ),
      ],
      details: {
        runs: o.startupRuns,
        readyS: ready.map((s) => round(s, 2)),
        firstStartReadyS: round(first.readyS, 2),
        cameraOnlineMedianS: online.length ? round(median(online), 2) : null,
        stopMedianS: round(median(runs.map((r) => r.stopS)), 2),
        measured:
          'spawn() of `node dist/src/cli/main.js run --config F` → JSON log line "traycheck ready"; restarts on the same data dir',
      },
      wallS: (Date.now() - t0) / 1000,
    };
  } finally {
    dir.remove();
    await server.stop();
  }
}

export const startupBench: Bench = { name: 'startup', checks: [READY], run };
