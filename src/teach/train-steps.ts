// The processes `traycheck train` runs, each at low priority: the dataset renderer (our own
// CLI), tools/train/pack.mjs, tools/train/train.py and export.py. Nothing is downloaded.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { setPriority } from 'node:os';
import { fileURLToPath } from 'node:url';
import { projectPath } from '../paths.js';

export const APT_INSTALL = 'sudo apt-get install -y python3-torch python3-onnx python3-numpy';

/** Null when python can import what training needs, else what to do about it. */
export function pythonProblem(python: string): string | null {
  const r = spawnSync(python, ['-c', 'import torch, onnx, numpy'], { encoding: 'utf8', timeout: 60_000 });
  if (r.status === 0) return null;
  const why = r.error ? r.error.message : (r.stderr.trim().split('\n').at(-1) ?? `exit ${r.status}`);
  return `training needs PyTorch, ONNX and NumPy for ${python} (${why}); install them with:\n  ${APT_INSTALL}`;
}

/** The compiled CLI (dist/src/cli/main.js), also when this module runs from the sources. */
export function cliFile(): string {
  const here = fileURLToPath(new URL('../cli/main.js', import.meta.url));
  return existsSync(here) ? here : projectPath('dist', 'src', 'cli', 'main.js');
}

export interface Step {
  child: ChildProcess;
  done: Promise<void>;
}

/**
 * Starts a step at nice 10 and resolves when it exits 0; `onLine` gets each stdout/stderr line.
 * A step that fails rejects with its last lines.
 */
export function runStep(
  what: string,
  cmd: string,
  args: string[],
  onLine: (line: string) => void,
  env: NodeJS.ProcessEnv = {},
): Step {
  const child = spawn(cmd, args, {
    cwd: projectPath(),
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  try {
    if (child.pid) setPriority(child.pid, 10);
  } catch {
    // Not allowed to lower priority here: it still runs.
  }
  const tail: string[] = [];
  const read = (stream: NodeJS.ReadableStream): void => {
    let buf = '';
    stream.setEncoding('utf8');
    stream.on('data', (d: string) => {
      buf += d;
      const parts = buf.split(/\r?\n|\r/);
      buf = parts.pop() ?? '';
      for (const l of parts) {
        if (!l.trim()) continue;
        tail.push(l);
        if (tail.length > 15) tail.shift();
        onLine(l);
      }
    });
  };
  read(child.stdout as NodeJS.ReadableStream);
  read(child.stderr as NodeJS.ReadableStream);
  const done = new Promise<void>((resolve, reject) => {
    child.on('error', (err) => reject(new Error(`${what}: ${err.message}`)));
    child.on('close', (code, signal) => {
      if (code === 0) resolve();
      else
        reject(
          new Error(`${what} ${signal ? `stopped by ${signal}` : `exited ${code}`}:\n${tail.join('\n')}`),
        );
    });
  });
  return { child, done };
}
