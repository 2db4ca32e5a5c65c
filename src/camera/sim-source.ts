// Simulated camera input: an in-process frame producer whose rgb24 frames are written into an
// ffmpeg process's stdin and read back from its stdout through the same frame reader and stall
// watchdog as a real RTSP camera, so the demo and eval exercise the real ingest.
//
// Pacing:
// - realtime: one frame every 1000/fps ms of wall clock; `tsMs` is the scheduled time. When
//   ffmpeg's stdin pushes back (or `next` is slow) ticks are skipped and counted as dropped.
// - not realtime ("pull"): frame n+3 is produced only after frame n was read back from ffmpeg
//   (and, if the daemon passes `waitForConsumer`, after the consumer finished with it), so eval
//   runs as fast as the pipeline takes frames and no frame is lost: PULL_WINDOW is the detect
//   loop's frames in flight plus its one-frame slot, so no frame ever waits in a full slot.
//   `tsMs` is virtual time: start + seq · 1000/fps, so downstream windows (settle, motion hold)
//   see scenario time.
// `seq` keeps counting across ffmpeg restarts; frames in flight in a killed process are lost.
import type { Writable } from 'node:stream';

export interface SimFrameSource {
  width: number;
  height: number;
  fps: number;
  /** rgb24 frame `seq` (width · height · 3 bytes) at time `tsMs`; null when the source has ended. */
  next(seq: number, tsMs: number): Promise<Buffer | null>;
  realtime: boolean;
  /**
   * A simulated camera stall: the seq of the next frame the camera delivers when `seq` falls in a
   * stall (frames in between are never produced: in pull mode frame time jumps over the gap, in
   * real time nothing is written for that long). Absent or `seq`: no stall.
   */
  resumeAt?(seq: number): number;
}

/** Frames written to ffmpeg but not yet read back (and consumed) before the next is produced. */
export const PULL_WINDOW = 3;

/** Producer position, owned by the camera so it survives ffmpeg restarts. */
export interface SimClock {
  seq: number;
  /** Virtual time of seq 0 (pull mode). */
  startMs: number;
}

export interface SimFeederDeps {
  source: SimFrameSource;
  stdin: Writable;
  clock: SimClock;
  onDropped(n: number): void;
  onEnd(): void;
  onError(err: Error): void;
}

export interface SimFeeder {
  /** Seq and time of the oldest frame in flight: call once per frame read back from ffmpeg. */
  shift(): { seq: number; ts: number } | undefined;
  /** Wall-clock time the oldest frame still inside ffmpeg was written (null: none in flight). */
  oldestWrittenAt(): number | null;
  /** Real time: wall-clock time the source stopped delivering (a simulated stall), else null. */
  silentSince(): number | null;
  /** The consumer is done with one frame read back: frees a pull-window slot. */
  release(): void;
  stop(): void;
}

export function startSimFeeder(deps: SimFeederDeps): SimFeeder {
  const { source, stdin, clock } = deps;
  const intervalMs = 1000 / source.fps;
  const frameBytes = source.width * source.height * 3;
  const inFlight: { seq: number; ts: number; writtenAt: number }[] = [];
  let unreleased = 0;
  let stopped = false;
  let silentSince: number | null = null;
  let wake: (() => void) | null = null;
  const abort = new AbortController();

  const wakeUp = (): void => {
    const w = wake;
    wake = null;
    w?.();
  };
  const waitFor = (ms: number | null, emitter?: Writable, event?: string): Promise<void> =>
    new Promise((resolve) => {
      const done = (): void => {
        if (timer) clearTimeout(timer);
        if (emitter && event) emitter.off(event, done);
        abort.signal.removeEventListener('abort', done);
        if (wake === done) wake = null;
        resolve();
      };
      const timer = ms === null ? null : setTimeout(done, Math.max(0, ms));
      if (emitter && event) emitter.once(event, done);
      abort.signal.addEventListener('abort', done);
      if (ms === null && !emitter) wake = done;
    });

  // EPIPE when ffmpeg dies: the camera's exit handler deals with it. The listener stays so a late
  // error (after stop) is never an unhandled 'error' event.
  stdin.on('error', () => stop());
  stdin.on('close', () => stop());

  function stop(): void {
    if (stopped) return;
    stopped = true;
    abort.abort();
  }

  async function run(): Promise<void> {
    let due = Date.now();
    while (!stopped) {
      let ts: number;
      const resume = source.resumeAt?.(clock.seq) ?? clock.seq;
      if (resume > clock.seq) {
        due += (resume - clock.seq) * intervalMs;
        clock.seq = resume;
        // Real time: nothing reaches ffmpeg until the stall ends, so the camera's watchdog sees
        // what it would see of a real camera. Pull mode: frame time jumps over the gap.
        if (source.realtime) silentSince = Date.now();
      }
      if (source.realtime) {
        await waitFor(due - Date.now());
        if (stopped) return;
        const late = Math.floor((Date.now() - due) / intervalMs);
        if (late > 0) {
          deps.onDropped(late);
          clock.seq += late;
          due += late * intervalMs;
        }
        ts = Math.round(due);
        due += intervalMs;
      } else {
        while (!stopped && unreleased >= PULL_WINDOW) await waitFor(null);
        if (stopped) return;
        ts = Math.round(clock.startMs + clock.seq * intervalMs);
      }
      const seq = clock.seq;
      const frame = await source.next(seq, ts);
      if (stopped) return;
      if (frame === null) {
        stop();
        stdin.end();
        deps.onEnd();
        return;
      }
      if (frame.length !== frameBytes)
        throw new Error(`sim frame ${seq} has ${frame.length} bytes, expected ${frameBytes}`);
      clock.seq = seq + 1;
      silentSince = null;
      inFlight.push({ seq, ts, writtenAt: Date.now() });
      unreleased++;
      if (!stdin.write(frame)) await waitFor(null, stdin, 'drain');
    }
  }

  run().catch((err: unknown) => {
    if (stopped) return;
    stop();
    deps.onError(err instanceof Error ? err : new Error(String(err)));
  });

  return {
    shift() {
      const f = inFlight.shift();
      return f && { seq: f.seq, ts: f.ts };
    },
    oldestWrittenAt: () => inFlight[0]?.writtenAt ?? null,
    silentSince: () => silentSince,
    release() {
      if (unreleased > 0) unreleased--;
      wakeUp();
    },
    stop,
  };
}
