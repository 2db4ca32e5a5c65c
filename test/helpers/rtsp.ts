// A real RTSP server for tests: GStreamer's gst-rtsp-server (test/helpers/rtsp-server.py) on
// 127.0.0.1, serving an H.264 videotestsrc stream. Every server started here is tracked so
// `stopAllRtspServers()` in afterEach/afterAll leaves no python process behind.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

const SCRIPT = join(import.meta.dirname, 'rtsp-server.py');
const PYTHON = '/usr/bin/python3';

export interface RtspServerOptions {
  /** 0 or absent: any free port. A given port is retried for a few seconds (restart tests). */
  port?: number;
  width?: number;
  height?: number;
  fps?: number;
  /** With a user, the server requires basic auth and `url` carries user:password. */
  user?: string;
  password?: string;
  path?: string;
  /** videotestsrc pattern: ball (moving), smpte / solid-color (static)... */
  pattern?: string;
  /** Seconds to wait for "READY" (default 15). */
  readyTimeoutS?: number;
}

export interface RtspServer {
  /** rtsp://[user:password@]127.0.0.1:port/path */
  url: string;
  port: number;
  pid: number;
  /** SIGTERM (SIGKILL after 2 s); resolves when the process has exited. */
  stop(): Promise<void>;
  /** SIGKILL: the server dies at once, as with a power cut. */
  kill(): void;
  /** SIGSTOP: the server freezes with its connections open. */
  pause(): void;
  resume(): void;
  /** Switch the videotestsrc pattern of the running stream (a client must be connected). */
  setPattern(pattern: string): Promise<void>;
  exited: Promise<void>;
  /** Everything the server printed (stdout and stderr). */
  output(): string;
  /** null while running; else how it ended ("exit code 2", "signal SIGSEGV"). */
  exitReason(): string | null;
}

const live = new Set<RtspServer>();

function launch(opts: RtspServerOptions, port: number): Promise<RtspServer> {
  const args = [SCRIPT, '--port', String(port)];
  args.push(
    '--width',
    String(opts.width ?? 640),
    '--height',
    String(opts.height ?? 480),
    '--fps',
    String(opts.fps ?? 25),
  );
  args.push('--path', opts.path ?? '/test', '--pattern', opts.pattern ?? 'ball');
  if (opts.user !== undefined) args.push('--user', opts.user, '--password', opts.password ?? '');
  const child: ChildProcess = spawn(PYTHON, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  const waiters: { re: RegExp; resolve: () => void }[] = [];
  const onData = (d: Buffer): void => {
    out += d.toString('utf8');
    for (const w of [...waiters]) if (w.re.test(out)) w.resolve();
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  child.stdin?.on('error', () => undefined);
  let ended: string | null = null;
  const exited = new Promise<void>((resolve) =>
    child.on('close', (code, signal) => {
      ended = signal !== null ? `signal ${signal}` : `exit code ${String(code)}`;
      resolve();
    }),
  );
  const waitOutput = (re: RegExp, ms: number): Promise<void> =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`rtsp server: no ${re.source} after ${ms} ms; output: ${out}`)),
        ms,
      );
      const entry = {
        re,
        resolve: () => {
          clearTimeout(timer);
          waiters.splice(waiters.indexOf(entry), 1);
          resolve();
        },
      };
      waiters.push(entry);
      if (re.test(out)) entry.resolve();
    });

  return new Promise((resolve, reject) => {
    void exited.then(() => reject(new Error(`rtsp server exited before READY: ${out}`)));
    waitOutput(/READY (\d+)/, (opts.readyTimeoutS ?? 15) * 1000).then(
      () => {
        const bound = Number(/READY (\d+)/.exec(out)?.[1]);
        const auth = opts.user !== undefined ? `${opts.user}:${opts.password ?? ''}@` : '';
        const alive = (): boolean => child.exitCode === null && child.signalCode === null;
        const server: RtspServer = {
          url: `rtsp://${auth}127.0.0.1:${bound}${opts.path ?? '/test'}`,
          port: bound,
          pid: child.pid as number,
          exited,
          output: () => out,
          exitReason: () => ended,
          async stop() {
            if (alive()) {
              child.kill('SIGTERM');
              child.kill('SIGCONT');
              const timer = setTimeout(() => child.kill('SIGKILL'), 2000);
              await exited;
              clearTimeout(timer);
            }
            live.delete(server);
          },
          kill() {
            if (alive()) child.kill('SIGKILL');
            void exited.then(() => live.delete(server));
          },
          pause() {
            if (alive()) child.kill('SIGSTOP');
          },
          resume() {
            if (alive()) child.kill('SIGCONT');
          },
          async setPattern(pattern) {
            const n = (out.match(new RegExp(`OK pattern ${pattern}\\b`, 'g')) ?? []).length;
            child.stdin?.write(`pattern ${pattern}\n`);
            await waitOutput(new RegExp(`(?:OK pattern ${pattern}\\b[\\s\\S]*){${n + 1}}`), 5000);
          },
        };
        live.add(server);
        resolve(server);
      },
      (err: unknown) => {
        child.kill('SIGKILL');
        reject(err instanceof Error ? err : new Error(String(err)));
      },
    );
  });
}

export async function startRtspServer(opts: RtspServerOptions = {}): Promise<RtspServer> {
  const port = opts.port ?? 0;
  // A port just freed by a killed server can be refused for a moment: retry a fixed port briefly.
  const deadline = Date.now() + (port === 0 ? 0 : 5000);
  for (;;) {
    try {
      return await launch(opts, port);
    } catch (err) {
      if (Date.now() >= deadline || !/cannot listen/.test(String(err))) throw err;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

export async function stopAllRtspServers(): Promise<void> {
  await Promise.all([...live].map((s) => s.stop()));
}
