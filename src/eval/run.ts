// `traycheck eval`: run scenarios through the real daemon — renderer → ffmpeg ingest → detector →
// tray → verify → alerts, orders over real MQTT — faster than real time, then score the result.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LoadedConfig } from '../config/load.js';
import type { Config, Menu } from '../config/schema.js';
import { createDaemon, type Daemon } from '../daemon.js';
import type { Logger } from '../log.js';
import { createScenarioSource } from '../sim/scenario-camera.js';
import { createScenarioPos } from '../sim/scenario-pos.js';
import { scenarioDurationS, type Scenario } from '../sim/scenario.js';
import type { TrayObservation, Verdict } from '../types.js';
import { traceRun, traceVerdicts, type TraceOptions } from './trace.js';
import { scoreScenario, type EvalAlert, type EvalReport, type EvalVerdict } from './metrics.js';

export interface EvalOptions {
  /** Daemon config the scenario runs under (detector, tray, verify, menu). */
  base: LoadedConfig;
  log: Logger;
  /** Called with progress 0..1 of the current scenario. */
  onProgress?: (fraction: number) => void;
  /** Real-time pacing (demo-like); default false: as fast as the pipeline goes. */
  realtime?: boolean;
  /** Called once the daemon runs, before the first order is published (tests attach MQTT listeners). */
  onStarted?: (daemon: Daemon) => Promise<void>;
  /**
   * Trace windows of scenario time (seconds): every frame's detections, every tray observation
   * and every verdict made in them, one line each, to `write` (`traycheck eval --trace FROM:TO,...`).
   */
  trace?: TraceOptions;
}

export interface EvalRun {
  report: EvalReport;
  wallS: number;
  scenarioS: number;
  framesProcessed: number;
  /** settle→alert latencies (ms) of every alert, for percentiles across scenarios. */
  latencies: number[];
}

/** The camera id of the scenario's sim camera. */
export const EVAL_CAMERA = 'sim';

function evalConfig(
  base: Config,
  sc: Scenario,
  dataDir: string,
  realtime: boolean,
  dashboard: boolean,
): Config {
  const menu: Menu = sc.menu ?? base.menu;
  return {
    ...base,
    store: { id: 'eval', name: `eval ${sc.name}` },
    cameras: [
      {
        id: EVAL_CAMERA,
        source: 'sim:scenario',
        station: sc.station,
        fps: sc.fps,
        width: sc.width,
        height: sc.height,
        zone: [
          [0, 0],
          [1, 0],
          [1, 1],
          [0, 1],
        ],
        transport: 'tcp',
        // As the store's cameras: a scenario stall this long is reported (verification unavailable).
        stallTimeoutMs: base.cameras[0]?.stallTimeoutMs ?? 5000,
        backoffInitialMs: 500,
        backoffMaxMs: 5000,
        hwaccel: [],
        realtime,
        loop: false,
        idleFps: Math.min(1, sc.fps),
        motionThreshold: base.cameras[0]?.motionThreshold ?? 0.01,
      },
    ],
    menu,
    modifiers: sc.modifiers ?? base.modifiers,
    mqtt: {
      ...base.mqtt,
      url: undefined,
      username: undefined,
      password: undefined,
      users: [],
      embedded: { ...base.mqtt.embedded, host: '127.0.0.1', port: 0, tls: undefined },
    },
    dashboard: dashboard
      ? { ...base.dashboard, enabled: true, bind: '127.0.0.1', port: 0 }
      : { ...base.dashboard, enabled: false },
    storage: { ...base.storage, dataDir },
    logging: { ...base.logging, level: 'warn' },
  };
}

export interface ScenarioDaemonOptions {
  base: LoadedConfig;
  log: Logger;
  dataDir: string;
  realtime: boolean;
  /** Dashboard on 127.0.0.1, a free port (default off). */
  dashboard?: boolean;
  /** Awaited before each frame is rendered (progress). */
  beforeFrame?: (tS: number) => Promise<void>;
}

export interface ScenarioDaemon {
  daemon: Daemon;
  config: Config;
  /** Publishes the scenario's orders as their frames come; start it once the daemon runs. */
  pos: ReturnType<typeof createScenarioPos>;
  source: ReturnType<typeof createScenarioSource>;
}

/**
 * The daemon as eval runs it: one sim camera rendering the scenario, its orders published over
 * the embedded broker in step with the frames. Not real time, frames are produced as fast as the
 * pipeline takes them. The POS events due by a frame's scenario time are published and stored
 * just before the tray stage handles that frame (not when it is rendered: several frames are in
 * flight through ffmpeg and the detector, and events sent at render time were applied ~1 s early).
 */
export function createScenarioDaemon(sc: Scenario, o: ScenarioDaemonOptions): ScenarioDaemon {
  const config = evalConfig(o.base.config, sc, o.dataDir, o.realtime, o.dashboard ?? false);
  const pos = createScenarioPos({
    scenario: sc,
    log: o.log,
    prefix: config.mqtt.prefix,
    storeId: config.store.id,
    async afterPublish() {
      const deadline = Date.now() + 10_000;
      while (daemon.evalProbe.orderEventsStored() < pos.published() && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 5));
    },
  });
  const source = createScenarioSource({
    scenario: sc,
    realtime: o.realtime,
    async beforeFrame(tS) {
      await o.beforeFrame?.(tS);
    },
  });
  const daemon = createDaemon({
    loaded: { ...o.base, config },
    log: o.log,
    simSources: { [EVAL_CAMERA]: source },
    clockFromFrames: !o.realtime,
    beforeTray: (fd) =>
      fd.cameraId === EVAL_CAMERA ? pos.advance(source.timeS(fd.seq), fd.ts) : Promise.resolve(),
  });
  return { daemon, config, pos, source };
}

export async function runScenario(sc: Scenario, opts: EvalOptions): Promise<EvalRun> {
  const dataDir = mkdtempSync(join(tmpdir(), 'traycheck-eval-'));
  const durationS = scenarioDurationS(sc);
  const { daemon, config, pos, source } = createScenarioDaemon(sc, {
    base: opts.base,
    log: opts.log,
    dataDir,
    realtime: opts.realtime ?? false,
    beforeFrame: (tS) => Promise.resolve(opts.onProgress?.(Math.min(1, tS / durationS))),
  });
  const observations = new Map<string, TrayObservation>();
  daemon.bus.on('tray', 'eval', (obs) => {
    if (obs.phase !== 'departed') observations.set(`${obs.trayId}@${obs.ts}`, obs);
  });
  let framesProcessed = 0;
  daemon.bus.on('detections', 'eval', () => {
    framesProcessed++;
  });
  if (opts.trace) traceRun(daemon, source, opts.trace);
  // Frame time (ms) of the last frame before each time the camera was reported stalled.
  const stalledAt: number[] = [];
  daemon.bus.on('cameraStatus', 'eval', (s) => {
    if (s.cameraId === EVAL_CAMERA && s.state === 'stalled' && s.lastFrameTs !== null)
      stalledAt.push(s.lastFrameTs);
  });
  const t0 = Date.now();
  try {
    await daemon.start();
    await opts.onStarted?.(daemon);
    await pos.start(daemon.brokerUrl());
    await daemon.evalProbe.sourceEnded(EVAL_CAMERA);
    await daemon.evalProbe.drain();
    const verdicts = daemon.evalProbe.verdicts();
    const toS = (ts: number): number => (ts - (source.originMs() ?? 0)) / 1000;
    if (opts.trace) traceVerdicts(verdicts, toS, opts.trace);
    const evalVerdicts: EvalVerdict[] = verdicts.map((v: Verdict & { id: number }) => {
      // The observation the verdict was made on (a re-verified verdict has none of its time).
      const own = observations.get(`${v.trayId}@${v.ts}`);
      const obs = own ?? [...observations.values()].find((o) => o.trayId === v.trayId);
      const box = obs?.box;
      const since = own?.settledSinceTs;
      return {
        verdictId: v.id,
        trayId: v.trayId,
        orderId: v.orderId,
        result: v.result,
        observed: v.observed,
        unverifiable: v.unverifiable,
        tS: toS(v.ts),
        centreX: box ? (box[0] + box[2]) / 2 / sc.width : 0.5,
        ...(since !== undefined ? { windowStartS: toS(since) } : {}),
      };
    });
    const alerts: EvalAlert[] = daemon.evalProbe.alerts().map((a) => ({
      verdictId: a.verdict.id ?? -1,
      trayId: a.trayId,
      resolution: a.resolution ?? null,
      latencyMs: a.latencyMs ?? null,
    }));
    const report = scoreScenario(
      sc,
      { menu: config.menu, modifiers: config.modifiers },
      evalVerdicts,
      alerts,
      { stallTimeoutMs: config.cameras[0]?.stallTimeoutMs ?? 0, stalledAtS: stalledAt.map(toS) },
    );
    const latencies = alerts.map((a) => a.latencyMs).filter((x): x is number => typeof x === 'number');
    return { report, wallS: (Date.now() - t0) / 1000, scenarioS: durationS, framesProcessed, latencies };
  } finally {
    await pos.stop();
    await daemon.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
