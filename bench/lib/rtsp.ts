// Real RTSP sources for the camera benches. Every mount is a shared media, so any number of
// cameras pulling the same URL cost one pipeline on the server, as if each were its own camera
// doing the encoding.
//  - startRtspSource: the project's GStreamer test server (test/helpers/rtsp-server.py:
//    videotestsrc → x264 → RTSP on 127.0.0.1), one URL.
//  - startRtspClipSource: bench/rtsp-clip-server.py looping an encoded clip (no re-encoding),
//    one URL per phase (the clip from a different key frame).
import { spawn } from 'node:child_process';
import { projectPath } from '../../src/paths.js';

export interface RtspSource {
  /** One URL per mount (one for the test pattern server). */
  urls: string[];
  url: string;
  pid: number;
  stop(): Promise<void>;
}

export interface RtspSourceOptions {
  width: number;
  height: number;
  fps: number;
  /** videotestsrc pattern: ball (moving), smpte (still chart)... */
  pattern: string;
}

export function startRtspSource(o: RtspSourceOptions): Promise<RtspSource> {
  const script = projectPath('test', 'helpers', 'rtsp-server.py');
  const args = [script, '--port', '0', '--width', String(o.width), '--height', String(o.height)];
  args.push('--fps', String(o.fps), '--path', '/bench', '--pattern', o.pattern);
  return startServer(args, ['/bench']);
}

/** Loops `file` (H.264 Annex B, first frame a key frame) at `fps` on `phases` mounts. */
export function startRtspClipSource(o: { file: string; fps: number; phases: number }): Promise<RtspSource> {
  const script = projectPath('bench', 'rtsp-clip-server.py');
  const args = [script, '--port', '0', '--file', o.file, '--fps', String(o.fps)];
  args.push('--phases', String(o.phases));
  return startServer(
    args,
    Array.from({ length: o.phases }, (_, k) => `/cam${k}`),
  );
}

function startServer(args: string[], paths: string[]): Promise<RtspSource> {
  // The system python has the GStreamer bindings (python3-gi); a pyenv shim on PATH may not.
  const child = spawn('/usr/bin/python3', args, { stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  const exited = new Promise<void>((resolve) => child.on('close', () => resolve()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`rtsp server: no READY within 30 s: ${out}`));
    }, 30_000);
    const onData = (d: Buffer): void => {
      out += d.toString('utf8');
      const m = /READY (\d+)/.exec(out);
      if (!m) return;
      clearTimeout(timer);
      child.stdout.off('data', onData);
      child.stdout.resume();
      child.stderr.resume();
      const urls = paths.map((p) => `rtsp://127.0.0.1:${m[1]}${p}`);
      resolve({
        urls,
        url: urls[0] as string,
        pid: child.pid as number,
        async stop() {
          if (child.exitCode === null && child.signalCode === null) {
            child.kill('SIGTERM');
            const kill = setTimeout(() => child.kill('SIGKILL'), 2000);
            await exited;
            clearTimeout(kill);
          }
        },
      });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (d: Buffer) => (out += d.toString('utf8')));
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`rtsp server exited before READY: ${out}`));
    });
  });
}
