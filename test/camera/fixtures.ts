// Shared bits of the camera tests: configs with schema defaults, a bus with recorded events,
// a pino logger writing into memory, and a check that no process is left behind.
import { Value } from '@sinclair/typebox/value';
import { CameraConfig as CameraConfigSchema } from '../../src/config/sections/camera.js';
import type { CameraConfig } from '../../src/config/schema.js';
import { createEventBus, type EventBus } from '../../src/events.js';
import { createLogger, silentLogger, type Logger } from '../../src/log.js';
import type { CameraStatus, Frame } from '../../src/types.js';

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
export function pidTracker(): {
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
