import { describe, expect, it } from 'vitest';
import { ffmpegArgs, sourceKind } from '../../src/camera/ffmpeg-args.js';
import { cameraConfig } from './fixtures.js';

/** The value following `flag` in `args`. */
const after = (args: string[], flag: string): string | undefined => args[args.indexOf(flag) + 1];

describe('source kind', () => {
  it.each([
    ['rtsp://cam/x', 'rtsp'],
    ['RTSPS://u:p@cam/x', 'rtsp'],
    ['sim:/x/basic.yaml', 'sim'],
    ['sim:builtin', 'sim'],
    ['/videos/a.mp4', 'file'],
    ['file:///videos/a.mp4', 'file'],
    ['http://cam/mjpeg', 'url'],
  ])('%s → %s', (src, kind) => expect(sourceKind(src)).toBe(kind));
});

describe('ffmpeg arguments', () => {
  it('RTSP: tcp, socket timeout, hwaccel before -i, rgb24 rawvideo at size and fps, no audio', () => {
    const args = ffmpegArgs(
      cameraConfig({
        id: 'expo',
        source: 'rtsp://u:p@cam/s',
        fps: 5,
        width: 320,
        height: 180,
        hwaccel: ['-hwaccel', 'vaapi'],
      }),
    );
    expect(after(args, '-rtsp_transport')).toBe('tcp');
    expect(after(args, '-timeout')).toBe('5000000');
    expect(args).not.toContain('-rw_timeout');
    expect(args).not.toContain('-stimeout');
    expect(args.indexOf('-hwaccel')).toBeLessThan(args.indexOf('-i'));
    expect(after(args, '-i')).toBe('rtsp://u:p@cam/s');
    expect(args).toContain('-an');
    expect(args).toContain('-nostats');
    expect(after(args, '-loglevel')).toBe('warning');
    expect(after(args, '-vf')).toBe('fps=5,scale=320:180:flags=bilinear');
    expect(after(args, '-pix_fmt')).toBe('rgb24');
    expect(after(args, '-f')).toBe('rawvideo');
    expect(args.at(-1)).toBe('pipe:1');
    expect(args.indexOf('-vf')).toBeGreaterThan(args.indexOf('-i'));
  });

  it.each([
    ['rtsp://cam/s', 'rtsp'],
    ['/videos/a.mp4', 'file'],
    ['http://cam/stream', 'url'],
  ])('a named decoder (%s, %s) is -c:v NAME before the camera input flags and -i', (source) => {
    const args = ffmpegArgs(
      cameraConfig({ id: 'expo', source, decoder: 'h264_v4l2m2m', hwaccel: ['-skip_loop_filter', 'all'] }),
    );
    const i = args.indexOf('-i');
    expect(args.slice(i - 4, i)).toEqual(['-c:v', 'h264_v4l2m2m', '-skip_loop_filter', 'all']);
    expect(args.filter((a) => a === '-c:v')).toHaveLength(1);
  });

  it('decoder auto (the default) adds no -c:v: ffmpeg picks its software decoder', () => {
    expect(ffmpegArgs(cameraConfig({ id: 'expo', source: 'rtsp://cam/s' }))).not.toContain('-c:v');
    expect(ffmpegArgs(cameraConfig({ id: 'expo', source: 'rtsp://cam/s', decoder: 'auto' }))).not.toContain(
      '-c:v',
    );
  });

  it('RTSP over UDP when configured', () => {
    expect(
      after(
        ffmpegArgs(cameraConfig({ id: 'a', source: 'rtsp://cam/s', transport: 'udp' })),
        '-rtsp_transport',
      ),
    ).toBe('udp');
  });

  it('files: -re only when realtime, -stream_loop -1 only when loop', () => {
    const rt = ffmpegArgs(cameraConfig({ id: 'a', source: '/v.mp4', realtime: true, loop: true }));
    expect(rt.slice(0, rt.indexOf('-i'))).toEqual(expect.arrayContaining(['-re', '-stream_loop', '-1']));
    const fast = ffmpegArgs(cameraConfig({ id: 'a', source: '/v.mp4', realtime: false, loop: false }));
    expect(fast).not.toContain('-re');
    expect(fast).not.toContain('-stream_loop');
    expect(fast).not.toContain('-rtsp_transport');
    expect(after(fast, '-i')).toBe('/v.mp4');
  });

  it('sim: rawvideo from stdin, scaled only when sizes differ, no fps filter', () => {
    const cam = cameraConfig({ id: 'a', source: 'sim:x', width: 320, height: 180 });
    const same = ffmpegArgs(cam, { width: 320, height: 180, fps: 5 });
    expect(after(same, '-i')).toBe('pipe:0');
    expect(after(same, '-s')).toBe('320x180');
    expect(after(same, '-r')).toBe('5');
    expect(same).not.toContain('-vf');
    const scaled = ffmpegArgs(cam, { width: 640, height: 360, fps: 5 });
    expect(after(scaled, '-vf')).toBe('scale=320:180:flags=bilinear');
    expect(() => ffmpegArgs(cam)).toThrow(/raw input/);
  });
});
