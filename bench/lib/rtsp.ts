// A real RTSP source for the camera benches: the project's GStreamer test server
// (test/helpers/rtsp-server.py: videotestsrc → x264 → RTSP on 127.0.0.1). Its media is shared,
// so any number of cameras pulling the same URL cost one encoder, as if each were its own
// camera doing the encoding.
import { spawn } from 'node:child_process';
import { projectPath } from '../../src/paths.js';

export interface RtspSource {
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
  // The system python has the GStreamer bindings (python3-gi); a pyenv shim on PATH may not.
  const child = spawn('/usr/bin/python3', args, { stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  const exited = new Promise<void>((resolve) => child.on('close', () => resolve()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`rtsp server: no READY within 15 s: ${out}`));
    }, 15_000);
    const onData = (d: Buffer): void => {
      out += d.toString('utf8');
      const m = /READY (\d+)/.exec(out);
      if (!m) return;
      clearTimeout(timer);
      child.stdout.off('data', onData);
      child.stdout.resume();
      child.stderr.resume();
      resolve({
        url: `rtsp://127.0.0.1:${m[1]}/bench`,
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
