import { describe, expect, it } from 'vitest';
import { createFrameReader } from '../src/camera/frame-reader.js';
import { createFramePool, dropFrame, holdFrame } from '../src/frame-pool.js';

describe('frame buffer pool', () => {
  it('reuses a buffer only after its last hold is dropped', () => {
    const pool = createFramePool(12);
    const a = pool.take();
    holdFrame(a); // e.g. the detect loop, besides the camera's own hold
    dropFrame(a);
    expect(pool.freeCount()).toBe(0);
    expect(pool.take()).not.toBe(a);
    dropFrame(a);
    expect(pool.freeCount()).toBe(1);
    expect(pool.take()).toBe(a);
  });

  it('ignores a second drop of a freed buffer and buffers from elsewhere', () => {
    const pool = createFramePool(12);
    const a = pool.take();
    dropFrame(a);
    dropFrame(a);
    expect(pool.freeCount()).toBe(1);
    const plain = Buffer.alloc(12);
    holdFrame(plain);
    dropFrame(plain);
    expect(pool.freeCount()).toBe(1);
  });

  it('keeps at most keepFree spare buffers', () => {
    const pool = createFramePool(12, 2);
    const taken = [pool.take(), pool.take(), pool.take()];
    for (const b of taken) dropFrame(b);
    expect(pool.freeCount()).toBe(2);
  });

  it('lets the frame reader fill pooled buffers: a held frame keeps its pixels', () => {
    const pool = createFramePool(6);
    const frames: Buffer[] = [];
    let previous: Buffer | null = null;
    // As the camera does: its hold on the latest frame ends when the next one arrives.
    const reader = createFrameReader(
      6,
      (data) => {
        if (previous) dropFrame(previous);
        previous = data;
        frames.push(data);
      },
      () => pool.take(),
    );
    reader.push(Buffer.from([1, 1, 1, 1, 1, 1, 2, 2, 2]));
    holdFrame(frames[0] as Buffer); // a stage keeps frame 1
    reader.push(Buffer.from([2, 2, 2, 3, 3, 3, 3, 3, 3]));
    reader.push(Buffer.from([4, 4, 4, 4, 4, 4, 5]));
    expect([...(frames[0] as Buffer)]).toEqual([1, 1, 1, 1, 1, 1]);
    // Frame 2 was dropped when frame 3 came, so frame 4 was read into its buffer.
    expect(frames[3]).toBe(frames[1]);
    expect([...(frames[3] as Buffer)]).toEqual([4, 4, 4, 4, 4, 4]);
  });
});
