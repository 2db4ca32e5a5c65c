// The frame pipe with real processes: a child writes to the write end as ffmpeg does.
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { spawnFfmpeg } from '../../src/camera/ffmpeg-process.js';
import { openFramePipe } from '../../src/camera/frame-pipe.js';
import { createFrameReader } from '../../src/camera/frame-reader.js';

const FRAME_BYTES = 640 * 360 * 3;
const leftovers = (): string[] => readdirSync(tmpdir()).filter((n) => n.startsWith('traycheck-frames-'));

describe('frame pipe', () => {
  const savedTmp = process.env.TMPDIR;
  afterEach(() => {
    if (savedTmp === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = savedTmp;
  });

  it('delivers every byte a child writes, in frames read straight into their own buffers', async () => {
    const before = leftovers();
    const frames: Buffer[] = [];
    const spaces = new Set<ArrayBufferLike>();
    const reader = createFrameReader(FRAME_BYTES, (f) => frames.push(f));
    const tracked = {
      ...reader,
      space: () => {
        const s = reader.space();
        spaces.add(s.buffer);
        return s;
      },
    };
    const pipe = openFramePipe(tracked);
    // ffmpeg's test pattern, byte-compared with the same frames through an ordinary pipe.
    const args = ['-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', 'testsrc2=size=640x360:rate=5'];
    const out = ['-frames:v', '11', '-f', 'rawvideo', '-pix_fmt', 'rgb24'];
    const child = spawn('ffmpeg', [...args, ...out, 'pipe:1'], {
      stdio: ['ignore', pipe.writeFd, 'inherit'],
    });
    pipe.releaseWriteEnd();
    const expected = await new Promise<Buffer>((resolve, reject) => {
      const ref = spawn('ffmpeg', [...args, ...out, 'pipe:1'], { stdio: ['ignore', 'pipe', 'inherit'] });
      const parts: Buffer[] = [];
      ref.stdout.on('data', (d: Buffer) => parts.push(d));
      ref.on('error', reject);
      ref.on('close', () => resolve(Buffer.concat(parts)));
    });
    expect(await pipe.closed).toBeNull();
    expect(child.exitCode ?? (await new Promise((r) => child.once('exit', r)))).toBe(0);
    expect(expected.length).toBe(11 * FRAME_BYTES);
    expect(frames).toHaveLength(11);
    frames.forEach((f, i) =>
      expect(f.equals(expected.subarray(i * FRAME_BYTES, (i + 1) * FRAME_BYTES)), `frame ${i}`).toBe(true),
    );
    // Every read went into a frame's buffer: one buffer a frame, and the 12th (never completed)
    // is the one waiting for more.
    expect(spaces.size).toBe(12);
    for (const f of frames) expect(spaces.has(f.buffer)).toBe(true);
    expect(leftovers()).toEqual(before);
  });

  it('ends when the child exits, even one that never wrote', async () => {
    const reader = createFrameReader(FRAME_BYTES, () => undefined);
    const proc = spawnFfmpeg('/bin/true', [], { stdin: false, frames: reader });
    const exit = await proc.closed;
    expect(exit.code).toBe(0);
    expect(exit.error).toBeNull();
    expect(reader.pendingBytes()).toBe(0);
  });

  it('ends at once for a binary that cannot start, with the reason', async () => {
    const reader = createFrameReader(FRAME_BYTES, () => undefined);
    const proc = spawnFfmpeg('/nonexistent/ffmpeg', [], { stdin: false, frames: reader });
    const exit = await proc.closed;
    expect(proc.child.pid).toBeUndefined();
    expect(exit.error?.message).toMatch(/ENOENT/);
  });

  it('says where it could not make the pipe', () => {
    process.env.TMPDIR = '/nonexistent-traycheck-tmp';
    const reader = createFrameReader(FRAME_BYTES, () => undefined);
    expect(() => openFramePipe(reader)).toThrow(
      /cannot make a pipe for frames in \/nonexistent-traycheck-tmp\/traycheck-frames-: ENOENT/,
    );
  });
});
