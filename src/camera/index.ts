// Camera stage: one supervised ffmpeg process per configured camera (RTSP, file or sim),
// emitting 'frame' (after the motion gate) and 'cameraStatus' on the bus.
import type { CameraConfig } from '../config/schema.js';
import type { EventBus } from '../events.js';
import type { ComponentHealth } from '../health/types.js';
import type { Logger } from '../log.js';
import type { CameraStatus, Frame } from '../types.js';
import { createCamera, type Camera } from './supervisor.js';
import type { SimFrameSource } from './sim-source.js';

export type { SimFrameSource } from './sim-source.js';
export { PULL_WINDOW } from './sim-source.js';

export interface CamerasDeps {
  cameras: CameraConfig[];
  bus: EventBus;
  log: Logger;
  /** Frame producers for `sim:` cameras, by camera id. */
  simSources?: Record<string, SimFrameSource>;
  /**
   * Optional: for sim sources that are not realtime, the camera waits for this promise before
   * it counts a forwarded frame as taken (pull pacing), so a slow consumer slows the producer
   * instead of losing frames. Ignored for RTSP, files and realtime sim sources.
   */
  waitForConsumer?: (frame: Frame) => Promise<void>;
  /** ffmpeg binary (default: `ffmpeg` on PATH). */
  ffmpegPath?: string;
}

export interface Cameras {
  start(): void;
  /** Stops every ffmpeg (SIGTERM, SIGKILL after 2 s); resolves when all processes are gone. */
  stop(): Promise<void>;
  statuses(): CameraStatus[];
  health(): ComponentHealth;
  /** Newest frame read from the camera (before the motion gate), for the live view; no copy. */
  latestFrame(cameraId: string): Frame | null;
  /** ffmpeg process ids (null while a camera waits to reconnect): for tests and diagnostics. */
  processes(): { cameraId: string; pid: number | null }[];
  /** Restarts one camera's ffmpeg now (the others keep running); false for an unknown or stopped camera. */
  reconnect(cameraId: string, reason: string): boolean;
}

const clockTime = (ms: number): string => new Date(ms).toTimeString().slice(0, 8);

export function describeCamera(s: CameraStatus): string {
  if (s.state === 'online')
    return `${s.cameraId} online, ${s.fps} fps to detection${s.idle ? ' (idle)' : ''}`;
  const why = s.lastError ? `: ${s.lastError}` : '';
  return `${s.cameraId} ${s.state} since ${clockTime(s.since)}${why}`;
}

export function createCameras(deps: CamerasDeps): Cameras {
  const cams = new Map<string, Camera>();
  for (const config of deps.cameras) {
    cams.set(
      config.id,
      createCamera({
        config,
        bus: deps.bus,
        log: deps.log.child({ camera: config.id }),
        sim: deps.simSources?.[config.id],
        waitForConsumer: deps.waitForConsumer,
        ffmpegPath: deps.ffmpegPath,
      }),
    );
  }
  const statuses = (): CameraStatus[] => [...cams.values()].map((c) => c.status());

  return {
    start() {
      for (const c of cams.values()) c.start();
    },
    async stop() {
      await Promise.all([...cams.values()].map((c) => c.stop()));
    },
    statuses,
    health() {
      const all = statuses();
      if (all.length === 0) return { state: 'ok', detail: 'no cameras configured' };
      const ok = all.every((s) => s.state === 'online');
      return {
        state: ok ? 'ok' : 'degraded',
        detail: all.map(describeCamera).join('; '),
        data: { cameras: all },
      };
    },
    latestFrame: (id) => cams.get(id)?.latestFrame() ?? null,
    processes: () => [...cams.entries()].map(([cameraId, c]) => ({ cameraId, pid: c.pid() })),
    reconnect: (id, reason) => cams.get(id)?.reconnect(reason) ?? false,
  };
}
