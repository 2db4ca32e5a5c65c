// The ffmpeg command line per source kind. Decode only what detection needs: no audio, frames
// scaled by ffmpeg to the configured size, at the detection rate, as raw rgb24 on stdout.
import type { CameraConfig } from '../config/schema.js';

export type SourceKind = 'rtsp' | 'url' | 'file' | 'sim';

/** Raw input format of a simulated camera (frames written to ffmpeg's stdin). */
export interface RawInput {
  width: number;
  height: number;
  fps: number;
}

/** RTSP socket I/O timeout (µs). ffmpeg 5.1 refuses -rw_timeout/-stimeout for RTSP. */
export const RTSP_TIMEOUT_US = 5_000_000;
/** Stream analysis before the first frame (µs); ffmpeg defaults to 5 s. */
export const RTSP_ANALYZE_US = 1_000_000;

export function sourceKind(source: string): SourceKind {
  if (/^rtsps?:\/\//i.test(source)) return 'rtsp';
  if (source.startsWith('sim:')) return 'sim';
  if (/^file:\/\//i.test(source)) return 'file';
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(source)) return 'url';
  return 'file';
}

function filePath(source: string): string {
  return /^file:\/\//i.test(source) ? decodeURIComponent(new URL(source).pathname) : source;
}

/**
 * Input flags that choose the decoder: `-c:v NAME` for a named one (hardware decoders of arm64
 * boxes), nothing for "auto". They go with the camera's own input flags, before `-i`.
 */
export function decoderArgs(cam: CameraConfig): string[] {
  const name = cam.decoder ?? 'auto';
  return [...(name === 'auto' ? [] : ['-c:v', name]), ...cam.hwaccel];
}

/** ffmpeg arguments (without the binary) for one camera; `raw` is required for sim sources. */
export function ffmpegArgs(cam: CameraConfig, raw?: RawInput): string[] {
  const kind = sourceKind(cam.source);
  const args = ['-hide_banner', '-nostdin', '-nostats', '-loglevel', 'warning'];
  let filters = `fps=${cam.fps},scale=${cam.width}:${cam.height}:flags=bilinear`;

  switch (kind) {
    case 'rtsp':
      // Without -timeout, ffmpeg 5.1 waits forever on a server that accepts and then says nothing.
      args.push(
        '-rtsp_transport',
        cam.transport,
        '-timeout',
        String(RTSP_TIMEOUT_US),
        // ffmpeg's default 5 s of stream analysis is 25 frames at 5 fps: the first frame came
        // ~6 s after connecting. One second is enough to find an H.264/H.265 stream's parameters.
        '-analyzeduration',
        String(RTSP_ANALYZE_US),
        ...decoderArgs(cam),
        '-i',
        cam.source,
      );
      break;
    case 'url':
      args.push(...decoderArgs(cam), '-i', cam.source);
      break;
    case 'file':
      if (cam.realtime) args.push('-re');
      if (cam.loop) args.push('-stream_loop', '-1');
      args.push(...decoderArgs(cam), '-i', filePath(cam.source));
      break;
    case 'sim': {
      if (!raw) throw new Error(`camera ${cam.id}: a sim source needs its raw input format`);
      // Tiny probe so ffmpeg emits a frame as soon as it has read one: the pull pacing keeps only
      // a few frames (PULL_WINDOW) in flight and would wait forever on a probe that wants more.
      // (-fflags nobuffer is left out on purpose: with it ffmpeg 5.1 holds two frames back and
      // loses the last one.)
      const size = `${raw.width}x${raw.height}`;
      args.push('-f', 'rawvideo', '-pix_fmt', 'rgb24', '-s', size, '-r', String(raw.fps));
      args.push('-probesize', '32', '-analyzeduration', '0', '-i', 'pipe:0');
      // One frame out per frame in: the sim source already runs at the detection rate.
      filters =
        raw.width === cam.width && raw.height === cam.height
          ? ''
          : `scale=${cam.width}:${cam.height}:flags=bilinear`;
      break;
    }
  }

  args.push('-an', '-sn', '-dn');
  if (filters !== '') args.push('-vf', filters);
  // passthrough: the fps filter already made the rate; no second resampling by the muxer.
  // -threads 1 (rawvideo encoder): a threaded encoder holds frames back, measured 1-2 frames of
  // latency, which a pull window of a few frames turns into a stall. flush_packets: no frame tail
  // waits in ffmpeg's output buffer for the next frame.
  args.push('-fps_mode', 'passthrough', '-threads', '1', '-pix_fmt', 'rgb24', '-f', 'rawvideo');
  args.push('-flush_packets', '1', 'pipe:1');
  return args;
}
