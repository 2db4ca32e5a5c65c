// Training started from /teach: the daemon runs `traycheck train --json` as a child process (at
// nice 10; it takes one thread because the daemon runs) and keeps its latest progress for the
// page. One run at a time; the daemon exiting stops it, and starting it again resumes it.
import { spawn, type ChildProcess } from 'node:child_process';
import { setPriority } from 'node:os';
import type { Logger } from '../log.js';
import type { TrainEvent } from './train.js';
import { cliFile } from './train-steps.js';

export interface TrainingStatus {
  running: boolean;
  /** The last phase/progress/epoch event, and how the run ended. */
  last: TrainEvent | null;
  candidate: string | null;
  error: string | null;
}

export interface TrainRunner {
  start(opts: { minutes: number; frames?: number }): { ok: boolean; message: string };
  status(): TrainingStatus;
  stop(): Promise<void>;
}

export function createTrainRunner(deps: { configFile: string; log: Logger }): TrainRunner {
  let child: ChildProcess | null = null;
  let status: TrainingStatus = { running: false, last: null, candidate: null, error: null };

  return {
    start({ minutes, frames }) {
      if (child) return { ok: false, message: 'a training run is already going' };
      const args = [cliFile(), 'train', '--config', deps.configFile, '--minutes', String(minutes), '--json'];
      if (frames) args.push('--frames', String(frames));
      const c = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
      child = c;
      // The daemon going away stops the run (train saves its state; the next start resumes it).
      const onExit = (): void => void c.kill('SIGTERM');
      process.once('exit', onExit);
      c.on('close', () => process.off('exit', onExit));
      try {
        if (c.pid) setPriority(c.pid, 10);
      } catch {
        // Priority unchanged: the run still goes.
      }
      status = { running: true, last: null, candidate: null, error: null };
      let buf = '';
      let stderr = '';
      c.stdout?.setEncoding('utf8').on('data', (d: string) => {
        buf += d;
        const lines = buf.split('\n');
        buf = lines.pop() ?? '';
        for (const l of lines) {
          try {
            const e = JSON.parse(l) as TrainEvent;
            if (e.type === 'done') status.candidate = e.candidate;
            if (e.type !== 'warning') status.last = e;
          } catch {
            // Not a JSON line.
          }
        }
      });
      c.stderr?.setEncoding('utf8').on('data', (d: string) => (stderr = (stderr + d).slice(-2000)));
      c.on('close', (code) => {
        child = null;
        status.running = false;
        if (code !== 0) status.error = stderr.trim().split('\n').slice(-3).join(' ') || `exit ${code}`;
        deps.log.info({ code, candidate: status.candidate }, 'training run ended');
      });
      deps.log.info({ minutes }, 'training run started from the dashboard');
      return { ok: true, message: `training for at most ${minutes} min` };
    },
    status: () => status,
    async stop() {
      const c = child;
      if (!c) return;
      const closed = new Promise<void>((r) => c.once('close', () => r()));
      c.kill('SIGTERM');
      await closed;
    },
  };
}
