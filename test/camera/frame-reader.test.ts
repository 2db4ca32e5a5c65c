import { describe, expect, it } from 'vitest';
import { createFrameReader, type FrameReader } from '../../src/camera/frame-reader.js';

/** Reads `bytes` the way the pipe does: at most `chunkSize` at a time into `space()`. */
function feed(r: FrameReader, bytes: Buffer, chunkSize: number): void {
  for (let i = 0; i < bytes.length;) {
    const space = r.space();
    const n = Math.min(chunkSize, space.length, bytes.length - i);
    bytes.copy(space, 0, i, i + n);
    i += n;
    r.filled(n);
  }
}

describe('frame reader', () => {
  const frameBytes = 12;
  const stream = Buffer.from(Array.from({ length: 12 * 4 + 5 }, (_, i) => i % 251));

  it.each([1, 5, 12, 13, 64, 53])(
    'cuts a byte stream read %i bytes at a time into whole frames',
    (chunkSize) => {
      const frames: Buffer[] = [];
      const r = createFrameReader(frameBytes, (b) => frames.push(b));
      feed(r, stream, chunkSize);
      expect(frames).toHaveLength(4);
      frames.forEach((f, i) => expect(f.equals(stream.subarray(i * 12, i * 12 + 12))).toBe(true));
      expect(r.pendingBytes()).toBe(5);
    },
  );

  it('offers only the rest of the frame being filled, in the buffer that becomes the frame', () => {
    const frames: Buffer[] = [];
    const r = createFrameReader(frameBytes, (b) => frames.push(b));
    const first = r.space();
    expect(first).toHaveLength(12);
    stream.copy(first, 0, 0, 5);
    r.filled(5);
    const rest = r.space();
    expect(rest).toHaveLength(7);
    expect(rest.buffer).toBe(first.buffer);
    stream.copy(rest, 0, 5, 12);
    r.filled(7);
    expect(frames[0]?.buffer).toBe(first.buffer);
    expect(frames[0]?.equals(stream.subarray(0, 12))).toBe(true);
  });

  it('gives each frame its own buffer (no reuse after emit)', () => {
    const frames: Buffer[] = [];
    const r = createFrameReader(frameBytes, (b) => frames.push(b));
    feed(r, stream.subarray(0, 24), 30);
    expect(frames).toHaveLength(2);
    expect(frames[0]?.buffer).not.toBe(frames[1]?.buffer);
    expect(frames[0]?.equals(stream.subarray(0, 12))).toBe(true);
  });

  it('refuses a read larger than the space it was offered', () => {
    const r = createFrameReader(frameBytes, () => undefined);
    expect(() => r.filled(1)).toThrow(/1 bytes read into 0 bytes of space/);
    r.space();
    r.filled(10);
    expect(() => r.filled(3)).toThrow(/3 bytes read into 2 bytes of space/);
  });

  it('reset() drops a partial frame', () => {
    const frames: Buffer[] = [];
    const r = createFrameReader(frameBytes, (b) => frames.push(b));
    feed(r, stream.subarray(0, 7), 64);
    r.reset();
    feed(r, stream.subarray(12, 24), 64);
    expect(frames).toHaveLength(1);
    expect(frames[0]?.equals(stream.subarray(12, 24))).toBe(true);
  });
});
