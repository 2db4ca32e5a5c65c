// Assembles ffmpeg's rawvideo output into frames. The pipe reads straight into the frame being
// filled (frame-pipe.ts): each frame is one buffer, read into in pipe-sized pieces, and becomes
// `Frame.data` as is, with no chunk buffers and no copies on the way. Its own ArrayBuffer (never a
// slice of Node's shared pool), since frames are held for seconds.

export interface FrameReader {
  /** Where the next read goes: the unfilled rest of the frame being assembled. */
  space(): Buffer;
  /** `bytes` were read into the start of the last `space()`; emits the frame once it is full. */
  filled(bytes: number): void;
  /** Drop a partial frame (new ffmpeg process). */
  reset(): void;
  /** Bytes of the frame being filled. */
  pendingBytes(): number;
}

export function createFrameReader(frameBytes: number, onFrame: (data: Buffer) => void): FrameReader {
  if (!Number.isInteger(frameBytes) || frameBytes <= 0) throw new Error(`bad frame size ${frameBytes}`);
  let buf: Buffer | null = null;
  let fill = 0;

  return {
    space() {
      buf ??= Buffer.allocUnsafeSlow(frameBytes);
      return buf.subarray(fill);
    },
    filled(bytes) {
      if (buf === null || bytes < 0 || fill + bytes > frameBytes)
        throw new Error(
          `frame reader: ${bytes} bytes read into ${buf ? frameBytes - fill : 0} bytes of space`,
        );
      fill += bytes;
      if (fill < frameBytes) return;
      const done = buf;
      buf = null;
      fill = 0;
      onFrame(done);
    },
    reset() {
      fill = 0;
    },
    pendingBytes() {
      return fill;
    },
  };
}
