// One camera: a supervised ffmpeg process. Every exit is a lost stream (ffmpeg 5.1 exits 0
// when an RTSP server dies), a stall watchdog kills a process that stops delivering frames,
// and reconnects follow capped exponential backoff with jitter, forever. Backoff belongs to one
// outage: the first frame of a connection ends it, so every outage starts again from the initial
// delay (a camera that flaps is retried at that pace: an ffmpeg start is cheap, a camera left dark
// for 30 s after a blip is not).
import type { CameraConfig } from '../config/schema.js';
import type { EventBus } from '../events.js';
import { redactUrl, type Logger } from '../log.js';
import type { CameraStatus, Frame } from '../types.js';
import { createReconnectSchedule } from './backoff.js';
import { createStatusTracker } from './camera-status.js';
import { ffmpegArgs, RTSP_TIMEOUT_US, sourceKind } from './ffmpeg-args.js';
import { endProcess, spawnFfmpeg, type FfmpegProcess } from './ffmpeg-process.js';
import { createFramePool, dropFrame } from '../frame-pool.js';
import { createFrameReader } from './frame-reader.js';
import { createMotionGate } from './motion-gate.js';
import { startSimFeeder, type SimClock, type SimFeeder, type SimFrameSource } from './sim-source.js';
import { classifyExit, createStderrLog } from './stderr-log.js';

/** Full detection rate is kept this long after the last motion (config `motionHoldMs`). */
export const MOTION_HOLD_MS_DEFAULT = 2000;
/**
 * The first frame of a connection may take longer than a stall: RTSP handshake, stream probing
 * and waiting for a key frame (IP cameras often send one every 2-4 s, "smart codecs" less often).
 */
export const FIRST_FRAME_TIMEOUT_MS = 10_000;
/** Pull mode: ffmpeg sitting this long (wall clock) on a frame written to it has hung. */
export const PULL_STALL_FLOOR_MS = 20_000;
/** cameraStatus is re-emitted this often even without a change (retained MQTT heartbeat). */
export const STATUS_INTERVAL_MS = 5000;

export interface CameraDeps {
  config: CameraConfig;
  bus: EventBus;
  log: Logger;
  sim?: SimFrameSource;
  /** Pull-mode sim sources wait for this before counting a frame as taken (lossless eval). */
  waitForConsumer?: (frame: Frame) => Promise<void>;
  ffmpegPath?: string;
}

export interface Camera {
  start(): void;
  stop(): Promise<void>;
  status(): CameraStatus;
  latestFrame(): Frame | null;
  pid(): number | null;
  /**
   * Ends the current ffmpeg (or the wait before the next attempt) and starts a new one at once,
   * without backoff: a technician's "reconnect" after fixing a cable or a camera setting.
   * False when the camera is not running or its source has finished for good.
   */
  reconnect(reason: string): boolean;
}

export function createCamera(deps: CameraDeps): Camera {
  const { config: cam, bus, log } = deps;
  const kind = sourceKind(cam.source);
  const frameBytes = cam.width * cam.height * 3;
  const status = createStatusTracker(cam.id, (s) => bus.emit('cameraStatus', s));
  const stderr = createStderrLog();
  const gate = createMotionGate({
    width: cam.width,
    height: cam.height,
    zone: cam.zone,
    fps: deps.sim?.fps ?? cam.fps,
    idleFps: cam.idleFps,
    motionThreshold: cam.motionThreshold,
    holdMs: cam.motionHoldMs ?? MOTION_HOLD_MS_DEFAULT,
  });
  const pool = createFramePool(frameBytes);
  const reader = createFrameReader(frameBytes, onFrame, () => pool.take());
  const simClock: SimClock = { seq: 0, startMs: Date.now() };
  // Virtual time for files read as fast as possible: downstream windows see video time.
  const virtualFileTime = kind === 'file' && !cam.realtime;

  let proc: FfmpegProcess | null = null;
  let feeder: SimFeeder | null = null;
  let running = false;
  let seq = 0;
  const reconnects = createReconnectSchedule({ initialMs: cam.backoffInitialMs, maxMs: cam.backoffMaxMs });
  let spawnedAt = 0;
  let lastFrameAt: number | null = null;
  let runFirstFrameAt: number | null = null;
  let killReason: string | null = null;
  let finalReason: string | null = null;
  let latest: Frame | null = null;
  let watchdog: NodeJS.Timeout | null = null;
  let restartTimer: NodeJS.Timeout | null = null;
  let heartbeat: NodeJS.Timeout | null = null;
  /** Set by reconnect(): the next start follows the exit at once instead of after backoff. */
  let restartNow = false;

  function launch(): void {
    restartTimer = null;
    if (!running) return;
    if (kind === 'sim' && !deps.sim) {
      log.error({ source: cam.source }, 'no simulated frame source registered for this camera');
      status.set('offline', `no sim source registered for camera "${cam.id}"`);
      return;
    }
    stderr.clear();
    reader.reset();
    gate.reset();
    killReason = null;
    finalReason = null;
    lastFrameAt = null;
    runFirstFrameAt = null;
    spawnedAt = Date.now();
    const args = ffmpegArgs(cam, deps.sim);
    log.debug({ args: redactUrl(args.join(' ')), attempt: reconnects.attempt() }, 'starting ffmpeg');
    const p = spawnFfmpeg(deps.ffmpegPath ?? 'ffmpeg', args, kind === 'sim');
    proc = p;
    p.child.stdout?.on('data', (chunk: Buffer) => reader.push(chunk));
    p.child.stderr?.setEncoding('utf8');
    p.child.stderr?.on('data', (text: string) => stderr.write(text));
    void p.closed.then(({ code, signal, error }) => onExit(p, code, signal, error));
    watchdog = setInterval(checkStall, Math.min(500, cam.stallTimeoutMs / 4));
    if (kind === 'sim' && deps.sim && p.child.stdin) {
      feeder = startSimFeeder({
        source: deps.sim,
        stdin: p.child.stdin,
        clock: simClock,
        onDropped: (n) => status.dropped(n),
        onEnd: () => (finalReason = 'ended (sim source finished)'),
        onError: (err) => {
          killReason = `sim source failed: ${err.message}`;
          p.child.kill('SIGKILL');
        },
      });
    }
  }

  function onFrame(data: Buffer): void {
    const now = Date.now();
    lastFrameAt = now;
    let ts = now;
    let frameSeq = seq++;
    if (feeder) {
      const meta = feeder.shift();
      if (meta) ({ seq: frameSeq, ts } = meta);
    } else if (virtualFileTime) {
      ts = Math.round(simClock.startMs + (frameSeq * 1000) / cam.fps);
    }
    const frame: Frame = { cameraId: cam.id, seq: frameSeq, ts, width: cam.width, height: cam.height, data };
    if (feeder && !deps.sim?.realtime) reportVirtualStall(latest, ts);
    // The reader's hold on the buffer is the camera's hold on its latest frame (frame-pool.ts).
    if (latest) dropFrame(latest.data);
    latest = frame;
    status.ingested(now, ts);
    if (runFirstFrameAt === null) {
      runFirstFrameAt = now;
      status.set('online');
      log.info({ attempt: reconnects.attempt() }, 'camera online');
      reconnects.connected();
    }
    const decision = gate.check(data, ts);
    status.setIdle(decision.idle);
    if (!decision.forward) {
      status.skipped();
      feeder?.release();
      return;
    }
    status.forwarded(now);
    bus.emit('frame', frame);
    const f = feeder;
    if (!f) return;
    if (deps.waitForConsumer && !deps.sim?.realtime) {
      deps.waitForConsumer(frame).then(
        () => f.release(),
        () => f.release(),
      );
    } else f.release();
  }

  /**
   * Pull mode (eval): frame time is virtual and jumps over a simulated stall at once, so the
   * wall-clock watchdog never sees it. A jump longer than stallTimeoutMs is reported as the
   * watchdog would have (stalled: verification unavailable), then online with the next frame.
   */
  function reportVirtualStall(previous: Frame | null, ts: number): void {
    if (!previous || ts - previous.ts <= cam.stallTimeoutMs) return;
    const secs = ((ts - previous.ts) / 1000).toFixed(1);
    log.warn({ fromTs: previous.ts, toTs: ts }, `camera stalled (no frame for ${secs} s of frame time)`);
    status.set('stalled', `stalled (no frame for ${secs} s)`);
    status.set('online', null);
  }

  function checkStall(): void {
    // A sim source is only stalled when ffmpeg sits on a frame written to it, or when the source
    // itself stopped delivering (a simulated stall, real time): time spent in the producer or
    // waiting for the consumer (pull mode) is not a stall.
    const since = feeder ? (feeder.oldestWrittenAt() ?? feeder.silentSince()) : (lastFrameAt ?? spawnedAt);
    if (since === null) return;
    const idleMs = Date.now() - since;
    // Pull mode (eval): camera time is frame time (reportVirtualStall); on the wall clock only a
    // hung ffmpeg counts, and a loaded box may hold a frame for seconds (5.3 s seen at load 17).
    const floorMs = feeder && !deps.sim?.realtime ? PULL_STALL_FLOOR_MS : 0;
    const limitMs = Math.max(
      floorMs,
      lastFrameAt === null ? Math.max(cam.stallTimeoutMs, FIRST_FRAME_TIMEOUT_MS) : cam.stallTimeoutMs,
    );
    if (!proc || killReason !== null || idleMs <= limitMs) return;
    const secs = (idleMs / 1000).toFixed(1);
    killReason =
      lastFrameAt === null ? `timed out (no frame within ${secs} s)` : `stalled (no frame for ${secs} s)`;
    proc.child.kill('SIGKILL');
  }

  function onExit(
    p: FfmpegProcess,
    code: number | null,
    signal: NodeJS.Signals | null,
    error: Error | null,
  ): void {
    if (proc !== p) return;
    proc = null;
    if (watchdog) clearInterval(watchdog);
    watchdog = null;
    feeder?.stop();
    feeder = null;
    if (!running) return;
    const lines = stderr.lines();
    const spawnFailed = error !== null && p.child.pid === undefined;
    let reason = spawnFailed
      ? `cannot start ffmpeg: ${error.message}`
      : (killReason ?? classifyExit(lines, code, signal));
    // A server that accepts the connection and then says nothing: ffmpeg 5.1 gives up after its
    // -timeout with "Invalid data found", which would send a technician looking at codecs.
    const silentMs = Date.now() - spawnedAt;
    if (
      kind === 'rtsp' &&
      runFirstFrameAt === null &&
      reason.startsWith('invalid data') &&
      silentMs >= RTSP_TIMEOUT_US / 1000 - 500
    ) {
      reason = 'timed out (server did not answer)';
    }
    if (finalReason === null && kind === 'file' && !cam.loop && code === 0 && killReason === null) {
      finalReason = 'ended (end of file)';
    }
    if (finalReason !== null) reason = finalReason;
    const changed = reason !== status.snapshot().lastError;
    const fields = { code, signal, stderr: lines, framesThisRun: runFirstFrameAt !== null };
    if (changed) log.warn(fields, `ffmpeg stopped: ${reason}`);
    else log.debug(fields, `ffmpeg stopped: ${reason}`);
    status.set(killReason !== null && killReason.startsWith('stalled') ? 'stalled' : 'offline', reason);
    if (finalReason !== null) return;
    status.restarted();
    const delay = restartNow ? 0 : reconnects.nextDelayMs(Date.now(), lastFrameAt);
    restartNow = false;
    log.debug({ delayMs: delay, attempt: reconnects.attempt() }, 'reconnecting after backoff');
    restartTimer = setTimeout(launch, delay);
  }

  return {
    start() {
      if (running) return;
      running = true;
      reconnects.started(Date.now());
      status.set('connecting', null);
      heartbeat = setInterval(() => bus.emit('cameraStatus', status.snapshot()), STATUS_INTERVAL_MS);
      launch();
    },
    async stop() {
      if (!running) return;
      running = false;
      for (const t of [restartTimer, heartbeat]) if (t) clearTimeout(t);
      restartTimer = heartbeat = null;
      if (watchdog) clearInterval(watchdog);
      watchdog = null;
      feeder?.stop();
      feeder = null;
      const p = proc;
      proc = null;
      if (p) await endProcess(p);
      status.set('offline');
    },
    status: () => status.snapshot(),
    // A copy: callers encode it after awaits, when the pooled buffer may hold a newer frame.
    latestFrame: () => latest && { ...latest, data: Buffer.from(latest.data) },
    pid: () => proc?.child.pid ?? null,
    reconnect(reason) {
      if (!running) return false;
      log.info({ reason }, 'reconnecting the camera on request');
      if (proc) {
        restartNow = true;
        killReason = reason;
        proc.child.kill('SIGKILL');
        return true;
      }
      // Waiting out a backoff (or ended by a finished file): start the next attempt now.
      if (restartTimer) clearTimeout(restartTimer);
      status.set('connecting', null);
      launch();
      return true;
    },
  };
}
