// The camera stage: one supervised ffmpeg per camera (or a simulated source); each camera's status
// goes out over MQTT, retained.
import { createCameras, type Cameras, type SimFrameSource } from '../camera/index.js';
import type { CameraConfig } from '../config/schema.js';
import type { EventBus } from '../events.js';
import type { Logger } from '../log.js';
import type { CameraStatus } from '../types.js';
import { need, type Stage } from './stage.js';

export interface CameraStage extends Stage {
  cameras: () => Cameras;
  /** Resolves when the sim source of this camera has ended (never for other cameras). */
  sourceEnded: (cameraId: string) => Promise<void>;
}

export function createCameraStage(deps: {
  cameras: CameraConfig[];
  /** Frame producers for `sim:` cameras (demo, eval, tests). */
  simSources?: Record<string, SimFrameSource>;
  /** Eval: a sim camera waits until each frame went through detection (no frame is dropped). */
  clockFromFrames?: boolean;
  /** MQTT out, retained, through the orders stage's connection. */
  publishStatus: (status: CameraStatus) => void;
  bus: EventBus;
  log: Logger;
}): CameraStage {
  let cameras: Cameras | null = null;
  const sourceEnds = new Map<string, () => void>();
  const sourceEnded = new Map<string, Promise<void>>();
  for (const id of Object.keys(deps.simSources ?? {}))
    sourceEnded.set(id, new Promise<void>((r) => sourceEnds.set(id, r)));
  return {
    name: 'camera',
    start() {
      deps.bus.on('cameraStatus', 'mqtt-out', (s) => {
        deps.publishStatus(s);
        if (s.state === 'offline' && s.lastError?.includes('ended')) sourceEnds.get(s.cameraId)?.();
      });
      cameras = createCameras({
        cameras: deps.cameras,
        bus: deps.bus,
        log: deps.log,
        simSources: deps.simSources,
        waitForConsumer: deps.clockFromFrames
          ? (frame) => waitForDetections(deps.bus, frame.cameraId, frame.seq)
          : undefined,
      });
      cameras.start();
    },
    stop: () => cameras?.stop(),
    cameras: () => need(cameras, 'camera'),
    sourceEnded: (id) => sourceEnded.get(id) ?? new Promise<void>(() => undefined),
  };
}

/** Resolves once detections for this frame (or a later one) have been through the pipeline. */
function waitForDetections(bus: EventBus, cameraId: string, seq: number): Promise<void> {
  return new Promise((resolve) => {
    const off = bus.on('detections', 'eval-pacing', (fd) => {
      if (fd.cameraId === cameraId && fd.seq >= seq) {
        off();
        resolve();
      }
    });
  });
}
