// The teaching parts of the daemon, as stages for the composition root (daemon.ts): the model
// registry watch (after the detector) and the frame capture (after the cameras).
import type { Config } from '../config/schema.js';
import type { Detector } from '../detect/index.js';
import type { EventBus } from '../events.js';
import type { Logger } from '../log.js';
import type { Frame } from '../types.js';
import { createFrameCapture, type FrameCapture } from './capture.js';
import { newLabels } from './labels.js';
import { createModelWatch, type ModelWatch } from './model-watch.js';

export interface TeachStage {
  name: string;
  start(): void;
  stop(): void | Promise<void>;
}

export function modelsStage(config: Config, log: Logger, detector: () => Detector): TeachStage {
  let watch: ModelWatch | null = null;
  return {
    name: 'models',
    start() {
      watch = createModelWatch({
        dataDir: config.storage.dataDir,
        detector: detector(),
        menu: config.menu,
        newLabels: newLabels(config.storage.dataDir),
        configuredModel: config.detector.model,
        log: log.child({ stage: 'models' }),
      });
      watch.start();
    },
    stop: () => watch?.stop(),
  };
}

export function captureStage(
  config: Config,
  log: Logger,
  bus: EventBus,
  latestFrame: (cameraId: string) => Frame | null,
  detector: () => Detector,
): TeachStage {
  let capture: FrameCapture | null = null;
  return {
    name: 'capture',
    start() {
      capture = createFrameCapture({
        dataDir: config.storage.dataDir,
        config: config.teach,
        bus,
        latestFrame,
        labels: () => detector().info().labels,
        log: log.child({ stage: 'capture' }),
      });
      capture.start();
    },
    stop: () => capture?.stop(),
  };
}
