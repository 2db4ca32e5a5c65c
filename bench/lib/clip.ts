// Rendered clips for the benches: consecutive frames of a generated shift from the project's
// tray renderer (with its sensor noise and JPEG artefacts), in memory or encoded to H.264.
import { spawn } from 'node:child_process';
import { createFrameRenderer } from '../../src/sim/render/index.js';
import { sceneAt } from '../../src/sim/scenario-camera.js';
import { generateScenario } from '../../src/sim/scenario-generate.js';
import { exampleConfig } from './config.js';

export interface Clip {
  width: number;
  height: number;
  fps: number;
  frames: Buffer[];
}

/** `frames` consecutive frames from `startS` of a generated shift with `trays` trays (0: an empty counter). */
export async function renderClip(o: {
  trays: number;
  frames: number;
  startS: number;
  seed: number;
}): Promise<Clip> {
  const sc = generateScenario({
    trays: o.trays,
    errorRate: 0.3,
    seed: o.seed,
    menu: exampleConfig().config.menu,
  });
  const frames: Buffer[] = [];
  const render = createFrameRenderer();
  for (let i = 0; i < o.frames; i++) frames.push(await render(sceneAt(sc, o.startS + i / sc.fps, i)));
  return { width: sc.width, height: sc.height, fps: sc.fps, frames };
}

/** Encodes the clip as an IP camera's substream would (H.264, key frame every 2 s). */
export function encodeH264(clip: Clip, file: string): Promise<void> {
  const args = ['-y', '-hide_banner', '-loglevel', 'error', '-f', 'rawvideo', '-pix_fmt', 'rgb24'];
  args.push('-s', `${clip.width}x${clip.height}`, '-r', String(clip.fps), '-i', 'pipe:0');
  args.push(
    '-c:v',
    'libx264',
    '-preset',
    'veryfast',
    '-g',
    String(clip.fps * 2),
    '-pix_fmt',
    'yuv420p',
    file,
  );
  const ff = spawn('ffmpeg', args, { stdio: ['pipe', 'ignore', 'pipe'] });
  let err = '';
  ff.stderr.on('data', (d: Buffer) => (err += d.toString('utf8')));
  for (const f of clip.frames) ff.stdin.write(f);
  ff.stdin.end();
  return new Promise((resolve, reject) =>
    ff.on('close', (code) =>
      code === 0 ? resolve() : reject(new Error(`ffmpeg could not encode the clip (${code}): ${err}`)),
    ),
  );
}
