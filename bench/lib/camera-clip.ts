// Camera-like H.264 clips for the camera sweep: a generated shift (trays coming and going) drawn
// by the project's renderer at the camera's size and rate, encoded with libx264 as an IP camera
// encodes its stream (constant bitrate, fixed GOP, no B-frames, SPS/PPS before every key frame).
// Clips are cached under bench/.cache/ by their parameters: a rerun does not render again.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { projectPath } from '../../src/paths.js';
import { createFrameRenderer } from '../../src/sim/render/index.js';
import { sceneAt } from '../../src/sim/scenario-camera.js';
import { generateScenario } from '../../src/sim/scenario-generate.js';
import { exampleConfig, progress } from './config.js';

export interface CameraProfile {
  name: string;
  width: number;
  height: number;
  fps: number;
  bitrateKbps: number;
  /** Key frame interval in frames (IP cameras: usually 2 s). */
  gop: number;
}

export const CAMERA_PROFILES: Record<string, CameraProfile> = {
  // The same content at the detection rate: what the stream's own rate costs (5 vs 15 fps).
  '360p5': { name: '360p5', width: 640, height: 360, fps: 5, bitrateKbps: 300, gop: 10 },
  '360p15': { name: '360p15', width: 640, height: 360, fps: 15, bitrateKbps: 600, gop: 30 },
  '720p25': { name: '720p25', width: 1280, height: 720, fps: 25, bitrateKbps: 2000, gop: 50 },
};

const CACHE_DIR = projectPath('bench', '.cache', 'clips');
const SEED = 23;

/** The cached clip for this profile and length (rendered and encoded when missing). */
export async function cameraClip(p: CameraProfile, seconds: number): Promise<string> {
  const key = createHash('sha256')
    .update(JSON.stringify({ v: 1, p, seconds, seed: SEED }))
    .digest('hex')
    .slice(0, 12);
  const file = join(CACHE_DIR, `${p.name}-${seconds}s-${key}.h264`);
  if (existsSync(file)) return file;
  mkdirSync(CACHE_DIR, { recursive: true });
  const t0 = Date.now();
  const frames = Math.round(seconds * p.fps);
  progress('cameras', `rendering ${frames} frames of ${p.width}x${p.height} for ${file} (cached for reruns)`);
  // About one tray every 10 s, with empty counter between them (what the motion gate sees idle).
  const sc = {
    ...generateScenario({
      trays: Math.max(1, Math.ceil(seconds / 10)),
      errorRate: 0.3,
      seed: SEED,
      menu: exampleConfig().config.menu,
    }),
    width: p.width,
    height: p.height,
  };
  const tmp = `${file}.part`;
  const enc = startEncoder(p, tmp);
  try {
    // Same bytes as renderScene, about half the time (the counter's raster is reused between trays).
    const render = createFrameRenderer();
    for (let i = 0; i < frames; i++) await enc.write(await render(sceneAt(sc, i / p.fps, i)));
    await enc.end();
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
  renameSync(tmp, file);
  progress('cameras', `clip ready in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  return file;
}

function startEncoder(
  p: CameraProfile,
  file: string,
): { write(rgb: Buffer): Promise<void>; end(): Promise<void> } {
  const kbps = `${p.bitrateKbps}k`;
  const args = ['-y', '-hide_banner', '-loglevel', 'error', '-f', 'rawvideo', '-pix_fmt', 'rgb24'];
  args.push('-s', `${p.width}x${p.height}`, '-r', String(p.fps), '-i', 'pipe:0');
  args.push('-c:v', 'libx264', '-preset', 'veryfast', '-profile:v', 'main', '-bf', '0');
  args.push('-b:v', kbps, '-maxrate', kbps, '-bufsize', `${p.bitrateKbps * 2}k`);
  args.push('-g', String(p.gop), '-keyint_min', String(p.gop), '-sc_threshold', '0');
  args.push('-x264-params', 'repeat-headers=1', '-pix_fmt', 'yuv420p', '-f', 'h264', file);
  const ff = spawn('nice', ['-n', '10', 'ffmpeg', ...args], { stdio: ['pipe', 'ignore', 'pipe'] });
  let err = '';
  ff.stdin.on('error', () => undefined); // the write callback reports it
  ff.stderr.on('data', (d: Buffer) => (err += d.toString('utf8')));
  const closed = new Promise<void>((resolve, reject) =>
    ff.on('close', (code) =>
      code === 0 ? resolve() : reject(new Error(`ffmpeg could not encode the clip (${code}): ${err}`)),
    ),
  );
  return {
    write: (rgb) =>
      new Promise((resolve, reject) => {
        ff.stdin.write(rgb, (e) => (e ? reject(e) : resolve()));
      }),
    async end() {
      ff.stdin.end();
      await closed;
    },
  };
}
