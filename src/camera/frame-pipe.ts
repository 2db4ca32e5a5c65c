// The pipe ffmpeg writes its frames to. Node's pipe streams read into a fresh 64 KiB buffer per
// read: at 5 fps a 640x360 camera is ~50 of them a second, freed only when V8 next collects, and
// glibc's main arena, where they land between long-lived allocations, stayed fragmented and
// crept upward over a soak (16 of 38 MB free, RSS back within 20 s of a malloc_trim). Reading
// through `onread` puts every read straight into the frame being filled instead.
// Node cannot make an anonymous pipe, so this is a FIFO, unlinked as soon as both ends are open.
import { execFileSync } from 'node:child_process';
import { closeSync, constants, mkdtempSync, openSync, rmSync } from 'node:fs';
import { Socket, type OnReadOpts, type SocketConstructorOpts } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FrameReader } from './frame-reader.js';

export interface FramePipe {
  /** The write end, for the child's stdout; `releaseWriteEnd()` once the child has its copy. */
  writeFd: number;
  /** Closes this process's copy of the write end: end of file comes when the child's goes too. */
  releaseWriteEnd(): void;
  /** Resolves once the read end has seen end of file (or was destroyed) and is closed; with the
   * read error, if one ended it. */
  closed: Promise<Error | null>;
  destroy(): void;
}

export function openFramePipe(reader: FrameReader): FramePipe {
  const base = join(tmpdir(), 'traycheck-frames-');
  let dir: string | null = null;
  let readFd = -1;
  let writeFd = -1;
  try {
    dir = mkdtempSync(base);
    const fifo = join(dir, 'frames');
    execFileSync('mkfifo', ['-m', '600', fifo], { stdio: 'ignore' });
    // Non-blocking: opening the read end of a FIFO otherwise waits for a writer. The write end
    // then opens at once (a reader exists) and stays blocking for ffmpeg.
    readFd = openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK);
    writeFd = openSync(fifo, constants.O_WRONLY);
  } catch (err) {
    for (const fd of [readFd, writeFd]) if (fd >= 0) closeSync(fd);
    throw new Error(`cannot make a pipe for frames in ${dir ?? base}: ${(err as Error).message}`, {
      cause: err,
    });
  } finally {
    if (dir !== null) rmSync(dir, { recursive: true, force: true });
  }
  const onread: OnReadOpts = {
    buffer: () => reader.space(),
    callback: (bytes) => {
      reader.filled(bytes);
      return true;
    },
  };
  // `onread` is a constructor option since Node 12.x (nodejs/node#54194 moved its docs there);
  // @types/node 20 still lists it under connect() only.
  const opts: SocketConstructorOpts & { onread: OnReadOpts } = {
    fd: readFd,
    readable: true,
    writable: false,
    onread,
  };
  const socket = new Socket(opts);
  let readError: Error | null = null;
  // A read error ends the stream like end of file does; the supervisor reports it with the exit.
  socket.on('error', (err) => (readError = err));
  const closed = new Promise<Error | null>((resolve) => socket.once('close', () => resolve(readError)));
  let writeOpen = true;
  const releaseWriteEnd = (): void => {
    if (!writeOpen) return;
    writeOpen = false;
    closeSync(writeFd);
  };
  return {
    writeFd,
    releaseWriteEnd,
    closed,
    destroy() {
      releaseWriteEnd();
      socket.destroy();
    },
  };
}
