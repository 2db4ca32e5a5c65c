// Cuts ffmpeg's rawvideo stdout into frames. Chunks arrive in pipe-sized pieces (64 KiB); each
// frame gets one buffer (from the camera's frame pool, frame-pool.ts) that the chunks are copied
// into, and that buffer becomes `Frame.data` as is: no further copies downstream.

export interface FrameReader {
  /** Feed one stdout chunk; calls `onFrame` for every frame completed by it. */
  push(chunk: Buffer): void;
  /** Drop a partial frame (new ffmpeg process). */
  reset(): void;
  /** Bytes of the frame being filled. */
  pendingBytes(): number;
}

export function createFrameReader(
  frameBytes: number,
  onFrame: (data: Buffer) => void,
  newBuffer: () => Buffer = () => Buffer.allocUnsafe(frameBytes),
): FrameReader {
  if (!Number.isInteger(frameBytes) || frameBytes <= 0) throw new Error(`bad frame size ${frameBytes}`);
  let buf: Buffer | null = null;
  let filled = 0;

  return {
    push(chunk) {
      let offset = 0;
      while (offset < chunk.length) {
        const left = chunk.length - offset;
        if (filled === 0 && offset === 0 && left === frameBytes) {
          // A chunk that is exactly one frame is used as is.
          onFrame(chunk);
          return;
        }
        buf ??= newBuffer();
        const n = Math.min(left, frameBytes - filled);
        chunk.copy(buf, filled, offset, offset + n);
        filled += n;
        offset += n;
        if (filled === frameBytes) {
          const done = buf;
          buf = null;
          filled = 0;
          onFrame(done);
        }
      }
    },
    reset() {
      filled = 0;
    },
    pendingBytes() {
      return filled;
    },
  };
}
