// Reused camera frame buffers, shared by the camera, detect, pipeline and live-view stages. A
// 640×360 frame is 0.7 MB (1280×720: 2.8 MB) and each camera delivers several a second; one new
// buffer per frame kept V8 running a full mark-compact every 0.35 s at 8 cameras (external memory
// pressure: 1.5 s of the main thread's 11 s, more than the letterbox and everything else after
// decode together). So the frame reader takes its buffers from a pool per camera and the stages
// that keep a frame past its 'frame' event hold it:
// - the camera holds its latest frame until the next one replaces it;
// - the detect loop holds the frame waiting for (and in) detection;
// - the pipeline holds the few recent frames it picks verdict snapshots from;
// - the live view holds the frame it encodes or will encode next.
// A buffer goes back to its pool when the last hold is dropped. Anything else that keeps a frame,
// or reads its pixels after an await, copies `data` first (the snapshot store, `latestFrame()`).
// Buffers not from a pool (tests, a pipe chunk that was exactly one frame) ignore holds.

interface Pooled {
  holds: number;
  free: Buffer[];
  keepFree: number;
}

const pooled = new WeakMap<Buffer, Pooled>();

export interface FramePool {
  /** A buffer of the pool's size, held once (by the taker). */
  take(): Buffer;
  /** Buffers waiting to be reused (for tests). */
  freeCount(): number;
}

/**
 * `keepFree`: spare buffers kept at most (more are left to the garbage collector). Frames are
 * freed about as fast as they are taken, so one or two spares cover it; more would only be memory.
 */
export function createFramePool(frameBytes: number, keepFree = 2): FramePool {
  const free: Buffer[] = [];
  return {
    take() {
      const buf = free.pop() ?? Buffer.allocUnsafe(frameBytes);
      pooled.set(buf, { holds: 1, free, keepFree });
      return buf;
    },
    freeCount: () => free.length,
  };
}

/** One more stage keeps this frame's pixels; drop the hold with `dropFrame` when done. */
export function holdFrame(data: Buffer): void {
  const p = pooled.get(data);
  if (p) p.holds++;
}

/** Ends one hold; the last one gives the buffer back to its pool. */
export function dropFrame(data: Buffer): void {
  const p = pooled.get(data);
  if (!p || p.holds <= 0) return;
  p.holds--;
  if (p.holds > 0) return;
  pooled.delete(data);
  if (p.free.length < p.keepFree) p.free.push(data);
}
