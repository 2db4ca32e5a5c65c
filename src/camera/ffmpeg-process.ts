// Spawning and ending one ffmpeg process (child_process.spawn, no wrapper library).
import { spawn, type ChildProcess } from 'node:child_process';
import { envWithoutAllocator } from '../allocator.js';
import { openFramePipe } from './frame-pipe.js';
import type { FrameReader } from './frame-reader.js';

export const KILL_GRACE_MS = 2000;

export interface FfmpegExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Why the process did not start, or why reading its frames failed. */
  error: Error | null;
}

export interface FfmpegProcess {
  child: ChildProcess;
  /** Resolves once the process has exited and its pipes are closed (also after a spawn error),
   * so every frame it wrote has reached the reader. */
  closed: Promise<FfmpegExit>;
}

export interface SpawnOptions {
  /** A pipe for the child's stdin (simulated sources write frames to it). */
  stdin: boolean;
  /** Takes the child's stdout. */
  frames: FrameReader;
}

export function spawnFfmpeg(binary: string, args: string[], opts: SpawnOptions): FfmpegProcess {
  const pipe = openFramePipe(opts.frames);
  let child: ChildProcess;
  try {
    child = spawn(binary, args, {
      stdio: [opts.stdin ? 'pipe' : 'ignore', pipe.writeFd, 'pipe'],
      env: envWithoutAllocator(),
    });
  } catch (err) {
    pipe.destroy();
    throw err;
  } finally {
    pipe.releaseWriteEnd();
  }
  const exited = new Promise<FfmpegExit>((resolve) => {
    let error: Error | null = null;
    child.on('error', (err) => {
      error = err;
      // A process that never started emits no 'close' on some Node versions.
      if (child.pid === undefined) resolve({ code: null, signal: null, error });
    });
    child.on('close', (code, signal) => resolve({ code, signal, error }));
  });
  const closed = Promise.all([exited, pipe.closed]).then(([exit, readError]) => ({
    ...exit,
    error: exit.error ?? readError,
  }));
  return { child, closed };
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves when the process is gone. */
export async function endProcess(proc: FfmpegProcess, graceMs = KILL_GRACE_MS): Promise<void> {
  const { child } = proc;
  if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
    // ffmpeg blocked reading a pipe only sees SIGTERM after the read returns: close its stdin.
    child.stdin?.destroy();
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await proc.closed;
    clearTimeout(timer);
    return;
  }
  await proc.closed;
}
