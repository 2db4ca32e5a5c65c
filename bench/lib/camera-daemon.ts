// The real daemon in this process with N cameras on one source (RTSP URL or file), and per-camera counts of
// frames forwarded to detection (after the motion gate) and frames detected.
import type { CameraConfig } from '../../src/config/schema.js';
import { createDaemon, type Daemon } from '../../src/daemon.js';
import { configureDaemonImaging } from '../../src/imaging.js';
import { benchLogger, camera, daemonConfig, exampleConfig, tempDir } from './config.js';
import { sleep } from './stats.js';

export interface CameraCounts {
  forwarded: number;
  detected: number;
}

export interface CameraDaemon {
  daemon: Daemon;
  ids: string[];
  /** Counts since the last reset. */
  counts(): Map<string, CameraCounts>;
  reset(): void;
  /** Resolves when every camera is online (and idle, if asked); rejects after timeoutMs. */
  waitFor(what: 'online' | 'idle', timeoutMs: number): Promise<void>;
  stop(): Promise<void>;
}

export async function startCameraDaemon(o: {
  /** Camera source of every camera: an RTSP URL or a video file. */
  source: string;
  cameras: number;
  keys: Partial<CameraConfig>;
  threads: number | null;
}): Promise<CameraDaemon> {
  const base = exampleConfig();
  const dir = tempDir('cameras');
  const ids = Array.from({ length: o.cameras }, (_, i) => `cam${i + 1}`);
  const cameras = ids.map((id) => camera(base.config, id, o.source, o.keys));
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
  daemon.bus.on('detections', 'bench', (d) => {
    const c = counts.get(d.cameraId);
    if (c) c.detected++;
  });
  daemon.bus.on('cameraStatus', 'bench', (s) => {
    state.set(s.cameraId, { online: s.state === 'online', idle: s.idle ?? false });
  });
  try {
    await daemon.start();
  } catch (err) {
    await daemon.stop();
    dir.remove();
    throw err;
  }
  return {
    daemon,
    ids,
    counts: () => new Map([...counts].map(([id, c]) => [id, { ...c }])),
    reset() {
      for (const c of counts.values()) c.forwarded = c.detected = 0;
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
