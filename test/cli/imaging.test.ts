// The daemon's sharp settings (src/imaging.ts): one libvips thread per image, no operation cache.
import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import { configureDaemonImaging, DAEMON_IMAGING } from '../../src/imaging.js';

describe('daemon imaging settings', () => {
  afterEach(() => {
    sharp.concurrency(0);
    sharp.cache(true);
  });

  it('set sharp to one thread and no operation cache, and sharp still encodes', async () => {
    sharp.concurrency(2);
    sharp.cache(true);
    configureDaemonImaging();
    expect(DAEMON_IMAGING).toEqual({ concurrency: 1, cache: false });
    expect(sharp.concurrency()).toBe(1);
    const cache = sharp.cache();
    expect([cache.memory.max, cache.files.max, cache.items.max]).toEqual([0, 0, 0]);
    const raw = Buffer.alloc(64 * 32 * 3, 200);
    const jpeg = await sharp(raw, { raw: { width: 64, height: 32, channels: 3 } })
      .jpeg()
      .toBuffer();
    expect(jpeg.subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));
    expect(sharp.cache().items.current).toBe(0);
  });
});
