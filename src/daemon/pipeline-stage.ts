// The pipeline stage: the detect loop (frames → detections) and the core's wiring (detections →
// trays → verdicts → alerts), started together once the detector, orders and alerts run.
import type { Alerts } from '../alerts/index.js';
import type { Config } from '../config/schema.js';
import { createDetectLoop, type DetectLoop, type Detector } from '../detect/index.js';
import type { EventBus } from '../events.js';
import type { Logger } from '../log.js';
import type { OrderBook } from '../orders/book.js';
import { createPipeline, type Pipeline } from '../pipeline.js';
import type { Db } from '../store/db.js';
import type { FrameDetections } from '../types.js';
import { type Stage } from './stage.js';

export interface PipelineStage extends Stage {
  /** Null until started. */
  pipeline: () => Pipeline | null;
  /** Waits until frames given to detection have come out (eval's drain). */
  drainDetections: () => Promise<void>;
}

export function createPipelineStage(deps: {
  config: Pick<Config, 'cameras' | 'tray' | 'verify' | 'menu' | 'modifiers' | 'detector'>;
  db: () => Db;
  detector: () => Detector;
  book: () => OrderBook;
  alerts: () => Alerts;
  bus: EventBus;
  log: Logger;
  /** The detect loop logs as part of the detect stage. */
  detectLog: Logger;
  /** Eval: awaited before the tray stage handles a frame's detections (see DaemonDeps). */
  beforeTray?: (fd: FrameDetections) => Promise<void>;
}): PipelineStage {
  const { config } = deps;
  let pipeline: Pipeline | null = null;
  let detectLoop: DetectLoop | null = null;
  return {
    name: 'pipeline',
    start() {
      const book = deps.book();
      const detector = deps.detector();
      pipeline = createPipeline({
        cameras: config.cameras,
        tray: config.tray,
        verify: config.verify,
        menu: config.menu,
        modifiers: config.modifiers,
        beforeTray: deps.beforeTray,
        scoreThreshold: (label) => config.detector.classThresholds[label] ?? config.detector.scoreThreshold,
        bus: deps.bus,
        log: deps.log,
        db: deps.db(),
        orders: {
          candidates: (now) =>
            dedupeOrders([...book.readyAt(null), ...book.openWithin(config.verify.bestMatchWindowMin, now)]),
          get: (id) => book.get(id),
          markVerified: (id, result) => book.markVerified(id, result),
        },
        alerts: deps.alerts(),
        modelSha256: () => detector.info().sha256,
      });
      pipeline.start();
      detectLoop = createDetectLoop({ detector, bus: deps.bus, log: deps.detectLog });
      detectLoop.start();
    },
    async stop() {
      await detectLoop?.stop();
      pipeline?.stop();
    },
    pipeline: () => pipeline,
    drainDetections: async () => {
      await detectLoop?.stop();
      await pipeline?.idle();
    },
  };
}

function dedupeOrders<T extends { orderId: string }>(orders: T[]): T[] {
  const seen = new Set<string>();
  return orders.filter((o) => (seen.has(o.orderId) ? false : (seen.add(o.orderId), true)));
}
