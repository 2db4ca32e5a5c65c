// Shared bits of the camera tests: configs with schema defaults, a bus with recorded events,
// a pino logger writing into memory, one RTSP server per test file, and a check after each test
// that no ffmpeg is left behind.
import { Value } from '@sinclair/typebox/value';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import type { Cameras } from '../../src/camera/index.js';
import { CameraConfig as CameraConfigSchema } from '../../src/config/sections/camera.js';
import type { CameraConfig } from '../../src/config/schema.js';
import { createEventBus, type EventBus } from '../../src/events.js';
import { createLogger, silentLogger, type Logger } from '../../src/log.js';
import type { CameraStatus, Frame } from '../../src/types.js';
import {
  startRtspServer,
  stopAllRtspServers,
  type RtspServer,
  type RtspServerOptions,
} from '../helpers/rtsp.js';

export function cameraConfig(over: Partial<CameraConfig> & { id: string; source: string }): CameraConfig {
  const cfg = Value.Default(CameraConfigSchema, structuredClone(over)) as CameraConfig;
  if (!Value.Check(CameraConfigSchema, cfg))
    throw new Error(`bad test camera config: ${JSON.stringify(cfg)}`);
  return cfg;
}

export interface Recorder {
  bus: EventBus;
  frames: Frame[];
  statuses: CameraStatus[];
  framesOf(cameraId: string): Frame[];
  lastStatus(cameraId: string): CameraStatus | undefined;
}

/** A real event bus recording every frame (without keeping pixel data) and status. */
export function recorder(keepPixels = false): Recorder {
  const bus = createEventBus(silentLogger());
  const frames: Frame[] = [];
  const statuses: CameraStatus[] = [];
  bus.on(
    'frame',
    'test',
    (f) =>
      // A copy: the camera reuses its frame buffers once nobody holds them (src/frame-pool.ts).
      void frames.push({ ...f, data: keepPixels ? Buffer.from(f.data) : Buffer.alloc(0) }),
  );
  bus.on('cameraStatus', 'test', (s) => void statuses.push(s));
  return {
    bus,
    frames,
    statuses,
    framesOf: (id) => frames.filter((f) => f.cameraId === id),
    lastStatus: (id) => statuses.filter((s) => s.cameraId === id).at(-1),
  };
}

/** A debug-level JSON logger whose output lands in `text()`. */
export function memoryLogger(): { log: Logger; text: () => string } {
  const chunks: string[] = [];
  const log = createLogger({ level: 'debug', destination: { write: (s: string) => void chunks.push(s) } });
  return { log, text: () => chunks.join('') };
}

export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Records every ffmpeg pid the cameras ever report (checked on each status change and poll). */
function pidTracker(): {
  pids: Set<number>;
  watch(c: { processes(): { pid: number | null }[] }): void;
  stop(): void;
} {
  const pids = new Set<number>();
  const timers: NodeJS.Timeout[] = [];
  return {
    pids,
    watch(c) {
      const sample = (): void => {
        for (const p of c.processes()) if (p.pid !== null) pids.add(p.pid);
      };
      sample();
      timers.push(setInterval(sample, 20));
    },
    stop() {
      for (const t of timers.splice(0)) clearInterval(t);
    },
  };
}

/**
 * For a file whose tests run cameras: call `track(cams)` right after `cams.start()`. After each
 * test the tracked cameras are stopped and the test fails if any ffmpeg they ran is still alive.
 */
export function trackCameras(): (cams: Cameras) => Cameras {
  const tracked: Cameras[] = [];
  const tracker = pidTracker();
  afterEach(async () => {
    for (const cams of tracked.splice(0)) await cams.stop();
    tracker.stop();
    for (const pid of tracker.pids) expect(processAlive(pid), `ffmpeg ${pid} still running`).toBe(false);
    tracker.pids.clear();
  });
  return (cams) => {
    tracked.push(cams);
    tracker.watch(cams);
    return cams;
  };
}

/**
 * One RTSP server for all tests of a file: started before the first, and after the last every
 * server the file started is stopped and this one checked gone. Call the result inside a test.
 *
 * The server is test equipment, not the product: if it dies on its own (it once did under a full
 * suite, every camera then refused for 45 s), it is started again on the same port, so the
 * cameras under test reconnect as they would to a rebooted camera, and the death is printed with
 * its cause and output (`respawns()` counts them).
 */
export function rtspServerForFile(opts: RtspServerOptions): (() => RtspServer) & { respawns(): number } {
  let server: RtspServer | null = null;
  let stopping = false;
  let respawns = 0;
  const watch = (s: RtspServer): void => {
    void s.exited.then(async () => {
      if (stopping || s !== server) return;
      respawns += 1;
      process.stderr.write(
        `test RTSP server ${s.pid} died (${s.exitReason() ?? '?'}); output: ${s.output()}; starting it again on port ${s.port}\n`,
      );
      try {
        server = await startRtspServer({ ...opts, port: s.port });
        watch(server);
      } catch (err) {
        // Left dead: the test then times out with the cameras' errors and this line to explain them.
        process.stderr.write(`test RTSP server could not start again: ${String(err)}\n`);
      }
    });
  };
  beforeAll(async () => {
    server = await startRtspServer(opts);
    watch(server);
  });
  afterAll(async () => {
    stopping = true;
    const pid = server?.pid;
    await stopAllRtspServers();
    if (pid !== undefined) expect(processAlive(pid), `rtsp server ${pid} still running`).toBe(false);
  });
  const get = (): RtspServer => {
    if (server === null) throw new Error('the RTSP server starts in beforeAll; use it inside a test');
    return server;
  };
  return Object.assign(get, { respawns: () => respawns });
}
