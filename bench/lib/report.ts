// Bench results: one or more checks per bench (figure against target), the table and the
// machine facts recorded with every run.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { arch, cpus, loadavg, release, totalmem } from 'node:os';
import { projectPath } from '../../src/paths.js';
import type { BenchOptions } from './options.js';

export interface Target {
  op: '>=' | '<=' | '<';
  value: number;
}

/** One row of the table: what is measured, in which unit, against which target. */
export interface CheckSpec {
  /** Row name in the table, e.g. "throughput: pipeline / raw session.run". */
  name: string;
  unit: string;
  target: Target;
}

export interface Check extends CheckSpec {
  figure: number | null;
  /** A few supporting figures for the table, e.g. "p50 38 ms, max 88 ms, n 7". */
  note?: string;
  /** null when the figure could not be measured. */
  pass: boolean | null;
}

export interface BenchResult {
  bench: string;
  checks: Check[];
  /** Everything measured, for the JSON output. */
  details: Record<string, unknown>;
  wallS: number;
  error?: string;
  /** A bench's own table (e.g. every step of the camera sweep), printed under the suite's. */
  text?: string;
}

export interface Bench {
  name: string;
  checks: CheckSpec[];
  run(o: BenchOptions): Promise<BenchResult>;
}

export function check(spec: CheckSpec, figure: number | null, note?: string): Check {
  const { target } = spec;
  let pass: boolean | null = null;
  if (figure !== null && Number.isFinite(figure)) {
    pass =
      target.op === '>='
        ? figure >= target.value
        : target.op === '<='
          ? figure <= target.value
          : figure < target.value;
  }
  return { ...spec, figure, pass, ...(note ? { note } : {}) };
}

export function failed(bench: Bench, err: unknown, wallS: number): BenchResult {
  return {
    bench: bench.name,
    checks: bench.checks.map((spec) => check(spec, null)),
    details: {},
    wallS,
    error: err instanceof Error ? (err.stack ?? err.message) : String(err),
  };
}

const fmtFigure = (c: Check): string => {
  if (c.figure === null) return 'n/a';
  if (Number.isInteger(c.figure)) return `${c.figure} ${c.unit}`;
  const digits = Math.abs(c.figure) >= 100 ? 0 : Math.abs(c.figure) >= 10 ? 1 : 2;
  return `${c.figure.toFixed(digits)} ${c.unit}`;
};

export function formatTable(results: BenchResult[]): string {
  const head = ['bench', 'figure', 'target', 'result', 'notes'];
  const rows = results.flatMap((r) =>
    r.checks.map((c) => [
      c.name,
      fmtFigure(c),
      `${c.target.op} ${c.target.value} ${c.unit}`,
      c.pass === null ? 'n/a' : c.pass ? 'pass' : 'MISS',
      c.note ?? '',
    ]),
  );
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)));
  const fmt = (cells: string[]): string =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  const errors = results
    .filter((r) => r.error)
    .map((r) => `${r.bench} failed: ${r.error?.split('\n')[0] ?? ''}`);
  const texts = results.filter((r) => r.text).map((r) => `\n${r.bench}:\n${r.text ?? ''}`);
  return [fmt(head), fmt(widths.map((w) => '-'.repeat(w))), ...rows.map(fmt), ...errors, ...texts].join('\n');
}

function tryRun(cmd: string, args: string[]): string | null {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return null;
  }
}

function packageVersion(name: string): string | null {
  try {
    return (
      JSON.parse(readFileSync(projectPath('node_modules', name, 'package.json'), 'utf8')) as {
        version: string;
      }
    ).version;
  } catch {
    return null;
  }
}

export function machineFacts(): Record<string, unknown> {
  const model = projectPath('models', 'traycheck-det.onnx');
  let modelSha256: string | null = null;
  try {
    modelSha256 = createHash('sha256').update(readFileSync(model)).digest('hex');
  } catch {
    modelSha256 = null;
  }
  const osRelease = (() => {
    try {
      return /^PRETTY_NAME="?([^"\n]*)/m.exec(readFileSync('/etc/os-release', 'utf8'))?.[1] ?? null;
    } catch {
      return null;
    }
  })();
  return {
    date: new Date().toISOString(),
    cpuModel: cpus()[0]?.model ?? null,
    cores: cpus().length,
    arch: arch(),
    memoryGb: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    os: osRelease,
    kernel: release(),
    node: process.version,
    onnxruntime: packageVersion('onnxruntime-node'),
    ffmpeg: tryRun('ffmpeg', ['-version'])?.split('\n')[0] ?? null,
    // The box may be shared: the load when the run started says how noisy the figures are.
    loadavgAtStart: loadavg().map((v) => Math.round(v * 100) / 100),
    gitCommit: tryRun('git', ['-C', projectPath(), 'rev-parse', '--short', 'HEAD']),
    modelSha256,
  };
}
