// The real daemon in this process with N cameras on one source (RTSP URL or file), and per-camera counts of
// frames forwarded to detection (after the motion gate) and frames detected, the delay from a
// frame's read to its detections, and which threads the detector started (to split its CPU).
import type { CameraConfig } from '../../src/config/schema.js';
import { createDaemon, type Daemon } from '../../src/daemon.js';
import { configureDaemonImaging } from '../../src/imaging.js';
import { benchLogger, camera, daemonConfig, exampleConfig, tempDir } from './config.js';
import { threadCpuS } from './proc.js';
import { sleep } from './stats.js';

export interface CameraCounts {
  forwarded: number;
  detected: number;
}

export interface CameraDaemon {
  daemon: Daemon;
  ids: string[];
  /**
   * Threads that appeared while the daemon started: the detector's worker thread and its
   * onnxruntime threads (the daemon's other stages start none). Pools started later (libuv,
   * sharp for snapshots) are not in it.
   */
  detectThreadIds: Set<number>;
  /** Frame read → detections emitted (ms), every detected frame since the last reset. */
  detectDelaysMs(): number[];
  /** Counts since the last reset. */
  counts(): Map<string, CameraCounts>;
  reset(): void;
  /** Resolves when every camera is online (and idle, if asked); rejects after timeoutMs. */
  waitFor(what: 'online' | 'idle', timeoutMs: number): Promise<void>;
  stop(): Promise<void>;
}

export async function startCameraDaemon(o: {
  /** Camera source: an RTSP URL or a video file; several: camera i takes source i mod n. */
  source: string | string[];
  cameras: number;
  keys: Partial<CameraConfig>;
  threads: number | null;
}): Promise<CameraDaemon> {
  const base = exampleConfig();
  const dir = tempDir('cameras');
  const ids = Array.from({ length: o.cameras }, (_, i) => `cam${i + 1}`);
  const sources = typeof o.source === 'string' ? [o.source] : o.source;
  const cameras = ids.map((id, i) => camera(base.config, id, sources[i % sources.length] as string, o.keys));
  configureDaemonImaging(); // as `traycheck run` does
  const daemon = createDaemon({
    loaded: daemonConfig(base, { cameras, dataDir: dir.path, threads: o.threads }),
    log: benchLogger(),
  });
  const counts = new Map<string, CameraCounts>(ids.map((id) => [id, { forwarded: 0, detected: 0 }]));
  const state = new Map<string, { online: boolean; idle: boolean }>();
  daemon.bus.on('frame', 'bench', (f) => {
    const c = counts.get(f.cameraId);
    if (c) c.forwarded++;
  });
  let delaysMs: number[] = [];
  daemon.bus.on('detections', 'bench', (d) => {
    const c = counts.get(d.cameraId);
    if (c) c.detected++;
    delaysMs.push(Date.now() - d.ts);
  });
  daemon.bus.on('cameraStatus', 'bench', (s) => {
    state.set(s.cameraId, { online: s.state === 'online', idle: s.idle ?? false });
  });
  const threadsBefore = new Set(threadCpuS().keys());
  try {
    await daemon.start();
  } catch (err) {
    await daemon.stop();
    dir.remove();
    throw err;
  }
  const detectThreadIds = new Set([...threadCpuS().keys()].filter((t) => !threadsBefore.has(t)));
  return {
    daemon,
    ids,
    detectThreadIds,
    detectDelaysMs: () => [...delaysMs],
    counts: () => new Map([...counts].map(([id, c]) => [id, { ...c }])),
    reset() {
      for (const c of counts.values()) c.forwarded = c.detected = 0;
      delaysMs = [];
    },
    async waitFor(what, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      const ok = (): boolean =>
        ids.every((id) => state.get(id)?.online && (what === 'online' || state.get(id)?.idle));
      while (!ok()) {
        if (Date.now() > deadline) {
          const summary = ids.map((id) => `${id}: ${JSON.stringify(state.get(id) ?? null)}`).join(', ');
          throw new Error(`cameras not ${what} after ${timeoutMs / 1000} s (${summary})`);
        }
        await sleep(100);
      }
    },
    async stop() {
      await daemon.stop();
      dir.remove();
    },
  };
}
