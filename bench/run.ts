// The benchmark suite (`npm run bench`): each bench runs in its own Node process so one cannot
// skew another (heap, onnxruntime thread pools, leftover children), one after the other.
//   node dist/bench/run.js [--only a,b] [--quick] [--soak-minutes N] [--soak-target run|demo] [--json] [--save]
//     [--seconds S] [--steps 1,2,4,6] [--profiles 360p15,720p25] [--gate on,off] [--max-cameras N]
//     [--clip-seconds S] [--camera-keys JSON] [--idle-cameras N] [--trays N] [--latency-realtime]
//     [--runs N] [--threads N]
// Benches: throughput, cameras, idle, latency, memory, startup. See bench/README.md.
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { projectPath } from '../src/paths.js';
import { camerasBench } from './benches/cameras.js';
import { idleBench } from './benches/idle.js';
import { latencyBench } from './benches/latency.js';
import { memoryBench } from './benches/memory.js';
import { startupBench } from './benches/startup.js';
import { throughputBench } from './benches/throughput.js';
import { parseCameraOptions } from './lib/camera-options.js';
import { BENCH_NAMES, defaultOptions, type BenchName, type BenchOptions } from './lib/options.js';
import { descendants } from './lib/proc.js';
import { failed, formatTable, machineFacts, type Bench, type BenchResult } from './lib/report.js';

const BENCHES: Record<BenchName, Bench> = {
  throughput: throughputBench,
  cameras: camerasBench,
  idle: idleBench,
  latency: latencyBench,
  memory: memoryBench,
  startup: startupBench,
};

const list = (s: string): number[] =>
  s
    .split(',')
    .map(Number)
    .filter((n) => Number.isInteger(n) && n > 0);

function parseOptions(argv: string[]): {
  options: BenchOptions;
  only: BenchName[];
  json: boolean;
  save: boolean;
  child: string | null;
  resultFile: string | null;
} {
  const { values } = parseArgs({
    args: argv,
    options: {
      only: { type: 'string' },
      quick: { type: 'boolean', default: false },
      'soak-minutes': { type: 'string' },
      'soak-target': { type: 'string' },
      json: { type: 'boolean', default: false },
      save: { type: 'boolean', default: false },
      seconds: { type: 'string' },
      steps: { type: 'string' },
      profiles: { type: 'string' },
      gate: { type: 'string' },
      'max-cameras': { type: 'string' },
      'clip-seconds': { type: 'string' },
      'camera-keys': { type: 'string' },
      'idle-cameras': { type: 'string' },
      trays: { type: 'string' },
      'latency-realtime': { type: 'boolean', default: false },
      runs: { type: 'string' },
      threads: { type: 'string' },
      child: { type: 'string' },
      'result-file': { type: 'string' },
    },
  });
  const o = defaultOptions(values.quick);
  const num = (v: string | undefined, name: string): number | null => {
    if (v === undefined) return null;
    const n = Number(v);
    if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} must be a positive number, got "${v}"`);
    return n;
  };
  o.seconds = num(values.seconds, 'seconds');
  o.soakMinutes = num(values['soak-minutes'], 'soak-minutes') ?? o.soakMinutes;
  const target = values['soak-target'] ?? o.soakTarget;
  if (target !== 'run' && target !== 'demo')
    throw new Error(`--soak-target must be run or demo, got "${target}"`);
  o.soakTarget = target;
  if (values.steps !== undefined) o.cameraSteps = list(values.steps);
  parseCameraOptions(o, values);
  o.idleCameras = num(values['idle-cameras'], 'idle-cameras') ?? o.idleCameras;
  o.latencyTrays = num(values.trays, 'trays') ?? o.latencyTrays;
  o.latencyRealtime = values['latency-realtime'];
  o.startupRuns = num(values.runs, 'runs') ?? o.startupRuns;
  o.threads = num(values.threads, 'threads');
  const only = values.only === undefined ? [...BENCH_NAMES] : values.only.split(',').map((s) => s.trim());
  const unknown = only.filter((n) => !(BENCH_NAMES as readonly string[]).includes(n));
  if (unknown.length)
    throw new Error(`unknown bench(es): ${unknown.join(', ')} (known: ${BENCH_NAMES.join(', ')})`);
  return {
    options: o,
    only: only as BenchName[],
    json: values.json,
    save: values.save,
    child: values.child ?? null,
    resultFile: values['result-file'] ?? null,
  };
}

let interrupted = false;

/** Runs one bench in a fresh Node process; its progress goes to our stderr. */
function runIsolated(name: BenchName, argv: string[]): Promise<BenchResult> {
  const dir = join(tmpdir(), `traycheck-bench-result-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${name}.json`);
  rmSync(file, { force: true });
  const t0 = Date.now();
  const child = spawn(
    process.execPath,
    [fileURLToPath(import.meta.url), ...argv, '--child', name, '--result-file', file],
    {
      stdio: ['ignore', 'inherit', 'inherit'],
    },
  );
  const stop = (): void => {
    interrupted = true;
    child.kill('SIGTERM');
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  return new Promise((resolve) => {
    child.on('close', (code, signal) => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      try {
        resolve(JSON.parse(readFileSync(file, 'utf8')) as BenchResult);
      } catch {
        resolve(
          failed(
            BENCHES[name],
            `bench process exited (${signal ?? `code ${code}`}) without a result`,
            (Date.now() - t0) / 1000,
          ),
        );
      } finally {
        rmSync(file, { force: true });
      }
    });
  });
}

/** Interrupted: stop what this bench started (servers, daemons, ffmpeg), then exit. */
function stopDescendantsAndExit(): void {
  const kill = (pid: number, signal: NodeJS.Signals): void => {
    try {
      process.kill(pid, signal);
    } catch {
      // already gone
    }
  };
  for (const k of descendants(process.pid)) if (k.ppid === process.pid) kill(k.pid, 'SIGTERM');
  setTimeout(() => {
    for (const k of descendants(process.pid)) kill(k.pid, 'SIGKILL');
    process.exit(130);
  }, 3000);
}

async function runChild(name: BenchName, o: BenchOptions, resultFile: string): Promise<void> {
  process.once('SIGINT', stopDescendantsAndExit);
  process.once('SIGTERM', stopDescendantsAndExit);
  const t0 = Date.now();
  let result: BenchResult;
  try {
    result = await BENCHES[name].run(o);
  } catch (err) {
    result = failed(BENCHES[name], err, (Date.now() - t0) / 1000);
  }
  writeFileSync(resultFile, JSON.stringify(result));
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const { options, only, json, save, child, resultFile } = parseOptions(argv);
  if (child !== null) {
    if (!resultFile) throw new Error('--child needs --result-file');
    await runChild(child as BenchName, options, resultFile);
    // Stray handles (sockets of a stopped broker, sharp's pool) must not keep the child alive.
    process.exit(0);
  }
  const passOn = argv.filter((a) => a !== '--json' && a !== '--save');
  const machine = machineFacts();
  const results: BenchResult[] = [];
  for (const name of only) {
    if (interrupted) break;
    process.stderr.write(`[bench] ${name}...\n`);
    results.push(await runIsolated(name, passOn));
  }
  const out = { machine, options, results };
  if (save) {
    const dir = projectPath('bench', 'results');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'latest.json'), JSON.stringify(out, null, 2) + '\n');
  }
  if (json) process.stdout.write(JSON.stringify(out) + '\n');
  else {
    const m = machine;
    process.stdout.write(
      `traycheck bench ${String(m.date)} — ${String(m.cpuModel)}, ${String(m.cores)} cores, node ${String(m.node)}, onnxruntime ${String(m.onnxruntime)}, load ${JSON.stringify(m.loadavgAtStart)}${options.quick ? ' (--quick)' : ''}\n\n`,
    );
    process.stdout.write(formatTable(results) + '\n');
  }
  if (results.some((r) => r.error)) process.exitCode = 1;
}

main().catch((err: unknown) => {
  process.stderr.write(`bench: ${(err as Error).message}\n`);
  process.exitCode = 2;
});
