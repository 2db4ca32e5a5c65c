import { describe, expect, it } from 'vitest';
import { createFrameReader } from '../../src/camera/frame-reader.js';

describe('frame reader', () => {
  const frameBytes = 12;
  const stream = Buffer.from(Array.from({ length: 12 * 4 + 5 }, (_, i) => i % 251));

  it.each([1, 5, 12, 13, 64, 53])('cuts a byte stream in %i-byte chunks into whole frames', (chunkSize) => {
    const frames: Buffer[] = [];
    const r = createFrameReader(frameBytes, (b) => frames.push(b));
    for (let i = 0; i < stream.length; i += chunkSize) r.push(stream.subarray(i, i + chunkSize));
    expect(frames).toHaveLength(4);
    frames.forEach((f, i) => expect(f.equals(stream.subarray(i * 12, i * 12 + 12))).toBe(true));
    expect(r.pendingBytes()).toBe(5);
  });

  it('gives each frame its own buffer (no reuse after emit)', () => {
    const frames: Buffer[] = [];
    const r = createFrameReader(frameBytes, (b) => frames.push(b));
    r.push(stream.subarray(0, 30));
    r.push(stream.subarray(30, 48));
    expect(frames[0]?.buffer === frames[1]?.buffer && frames[0]?.byteOffset === frames[1]?.byteOffset).toBe(
      false,
    );
    expect(frames[0]?.equals(stream.subarray(0, 12))).toBe(true);
  });

  it('uses a chunk that is exactly one frame without copying', () => {
    const frames: Buffer[] = [];
    const r = createFrameReader(frameBytes, (b) => frames.push(b));
    const chunk = Buffer.from(stream.subarray(0, 12));
    r.push(chunk);
    expect(frames[0]).toBe(chunk);
  });

  it('reset() drops a partial frame', () => {
    const frames: Buffer[] = [];
    const r = createFrameReader(frameBytes, (b) => frames.push(b));
    r.push(stream.subarray(0, 7));
    r.reset();
    r.push(stream.subarray(12, 24));
    expect(frames).toHaveLength(1);
    expect(frames[0]?.equals(stream.subarray(12, 24))).toBe(true);
  });
});
