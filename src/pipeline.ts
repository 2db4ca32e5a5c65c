// The wiring of the core: detections → tray tracker → verifier → alerts → store. Every step is
// timestamped; settle→alert latency is measured from the arrival of the frame that completed the
// settle window to the alert (wall clock), which also holds when eval runs faster than real time.
import type { CameraConfig, Menu, Modifiers, TrayConfig, VerifyConfig } from './config/schema.js';
import type { EventBus } from './events.js';
import { dropFrame, holdFrame } from './frame-pool.js';
import type { Logger } from './log.js';
import type { Db } from './store/db.js';
import { createObservationsRepo } from './store/observations-repo.js';
import { createTrayTracker, type TrayTracker } from './tray/index.js';
import { createVerifier, type Verifier } from './verify/index.js';
import type { Alert, Frame, FrameDetections, LiveTray, Order, TrayObservation, Verdict } from './types.js';

/** What the pipeline needs of the order book. */
export interface OrderSource {
  /** Orders that may be linked to a tray at `now` (ready ones and open ones of the window). */
  candidates(now: number): Order[];
  get(orderId: string): Order | null;
  /** Record the verdict's outcome on the order (ok → verified, mismatch → mismatch). */
  markVerified(orderId: string, result: Verdict['result']): unknown;
}

export interface AlertSink {
  handleVerdict(v: Verdict, obs?: TrayObservation, frame?: Frame): Alert | null;
  handleDeparted(obs: TrayObservation): Alert | null;
}

export interface PipelineDeps {
  cameras: CameraConfig[];
  tray: TrayConfig;
  verify: VerifyConfig;
  menu: Menu;
  modifiers: Modifiers;
  /** Eval only: awaited before each frame's detections reach the tray stage (see DaemonDeps). */
  beforeTray?: (fd: FrameDetections) => Promise<void>;
  scoreThreshold: number | ((label: string) => number);
  bus: EventBus;
  log: Logger;
  db: Db;
  orders: OrderSource;
  alerts: AlertSink;
  modelSha256: () => string | undefined;
}

export interface Pipeline {
  start(): void;
  stop(): void;
  liveTrays(cameraId: string): LiveTray[];
  /** Frames whose detections went through the tray stage (watchdog progress). */
  processed(): number;
  /** Depart trays of cameras whose frames stopped (called on a timer). */
  expire(now: number): void;
  /** Resolves once every frame handed over so far went through the tray stage. */
  idle(): Promise<void>;
}

/** Frames kept per camera so a snapshot uses the very frame the verdict was made on. */
const FRAMES_KEPT = 4;

export function createPipeline(deps: PipelineDeps): Pipeline {
  const log = deps.log;
  const trackers = new Map<string, TrayTracker>();
  const recentFrames = new Map<string, Array<{ frame: Frame; arrivedAt: number }>>();
  const verifier: Verifier = createVerifier({
    menu: deps.menu,
    modifiers: deps.modifiers,
    config: deps.verify,
    modelSha256: deps.modelSha256,
    // Another tray in view gave its order to the one being verified: judge it on its last settled
    // state, with the latest frame of its camera as the snapshot.
    onRelinked: (verdict, obs) => {
      verdict.settledTs = Date.now();
      settle(verdict, obs, recentFrames.get(obs.cameraId)?.at(-1)?.frame);
    },
  });
  const observations = createObservationsRepo(deps.db);
  const unsubscribe: Array<() => void> = [];
  let processed = 0;
  /** Frames waiting for `beforeTray`, in order. */
  let queue: Promise<void> = Promise.resolve();

  // Tray ids stay unique across restarts: continue after the highest stored one.
  const firstTrayNumber = (cameraId: string): number => observations.lastTrayNumber(cameraId) + 1;

  const frameFor = (cameraId: string, seq: number): { frame: Frame; arrivedAt: number } | undefined =>
    recentFrames.get(cameraId)?.find((f) => f.frame.seq === seq);

  const settle = (v: Verdict, obs: TrayObservation, frame: Frame | undefined): void => {
    if (v.orderId && v.link !== 'none') deps.orders.markVerified(v.orderId, v.result);
    deps.alerts.handleVerdict(v, obs, frame);
  };

  const onDetections = (fd: FrameDetections): void => {
    const tracker = trackers.get(fd.cameraId);
    if (!tracker) return;
    processed++;
    const arrived = frameFor(fd.cameraId, fd.seq);
    for (const obs of tracker.update(fd)) {
      deps.bus.emit('tray', obs);
      observations.insert(obs);
      if (obs.phase === 'departed') {
        verifier.verify(obs, [], obs.ts);
        deps.alerts.handleDeparted(obs);
        continue;
      }
      const verdict = verifier.verify(obs, deps.orders.candidates(obs.ts), obs.ts);
      if (!verdict) continue;
      // settle→alert latency starts when the frame that completed the settle window arrived.
      verdict.settledTs = arrived?.arrivedAt ?? Date.now();
      settle(verdict, obs, arrived?.frame);
    }
  };

  const onOrder = (order: Order): void => {
    // An order changed while one of its trays is still in view: verify that tray again.
    const now = Math.max(
      order.updatedAt,
      ...[...trackers.values()].flatMap((t) => t.trays().map((s) => s.lastSeenTs)),
    );
    for (const verdict of verifier.reverify(order, deps.orders.candidates(now), now)) {
      verdict.settledTs = Date.now();
      // By identity: a prefix of the tray id would give camera "expo" the trays of "expo-2".
      const cam = deps.cameras.find((c) => c.id === verdict.cameraId);
      const latest = recentFrames.get(verdict.cameraId)?.at(-1)?.frame;
      settle(
        verdict,
        {
          cameraId: verdict.cameraId,
          trayId: verdict.trayId,
          station: cam?.station ?? null,
          phase: 'changed',
          items: verdict.observed,
          uncertain: verdict.uncertain,
          ts: now,
        },
        latest,
      );
    }
  };

  return {
    start() {
      for (const cam of deps.cameras) {
        trackers.set(
          cam.id,
          createTrayTracker({
            cameraId: cam.id,
            station: cam.station,
            zone: cam.zone,
            config: deps.tray,
            scoreThreshold: deps.scoreThreshold,
            firstTrayNumber: firstTrayNumber(cam.id),
            successorBumped: (q) => verifier.nextOrderBumped(q, deps.orders.candidates(q.sinceTs)),
          }),
        );
      }
      unsubscribe.push(
        deps.bus.on('frame', 'pipeline', (frame) => {
          const list = recentFrames.get(frame.cameraId) ?? [];
          // Held while kept here, so a snapshot taken from it shows this frame (frame-pool.ts).
          holdFrame(frame.data);
          list.push({ frame, arrivedAt: Date.now() });
          if (list.length > FRAMES_KEPT) {
            const old = list.shift();
            if (old) dropFrame(old.frame.data);
          }
          recentFrames.set(frame.cameraId, list);
        }),
        deps.bus.on('detections', 'pipeline', (fd) => {
          const gate = deps.beforeTray;
          if (!gate) return onDetections(fd);
          queue = queue
            .then(() => gate(fd))
            .then(() => onDetections(fd))
            .catch((err: unknown) => log.error({ err, seq: fd.seq }, 'tray stage failed on a frame'));
        }),
        deps.bus.on('order', 'pipeline', onOrder),
      );
      log.debug({ cameras: deps.cameras.map((c) => c.id) }, 'pipeline wired');
    },
    stop() {
      for (const u of unsubscribe.splice(0)) u();
    },
    idle: () => queue,
    liveTrays(cameraId) {
      const tracker = trackers.get(cameraId);
      if (!tracker) return [];
      return tracker.trays().map((t) => {
        const link = verifier.linkOf(t.id);
        return {
          trayId: t.id,
          box: t.box,
          counts: t.votedCounts,
          settled: t.settled,
          orderId: link?.orderId ?? null,
          expected: link?.expected ?? null,
        };
      });
    },
    processed: () => processed,
    expire(now) {
      for (const tracker of trackers.values()) {
        for (const obs of tracker.expire(now)) {
          deps.bus.emit('tray', obs);
          verifier.verify(obs, [], obs.ts);
          deps.alerts.handleDeparted(obs);
        }
      }
    },
  };
}
