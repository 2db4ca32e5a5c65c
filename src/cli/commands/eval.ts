import { loadConfig } from '../../config/load.js';
import { formatReport, summarise } from '../../eval/report.js';
import { runScenario, type EvalRun } from '../../eval/run.js';
import { parseTraceWindows, type TraceOptions } from '../../eval/trace.js';
import { createLogger } from '../../log.js';
import { projectPath } from '../../paths.js';
import { progressBar } from '../progress.js';
import { loadScenario } from '../../sim/scenario.js';
import { UsageError, type Command } from '../command.js';

export const evalCommand: Command = {
  name: 'eval',
  summary: 'run scenarios through the real pipeline and report wrong-tray recall, false alerts, latency',
  usage: 'eval SCENARIO.yaml... [--json] [--config FILE] [--realtime] [--trace FROM:TO[,FROM:TO...]]',
  positionals: true,
  options: {
    json: { type: 'boolean', description: 'Print one JSON object (fields in the README).' },
    config: {
      type: 'string',
      short: 'c',
      valueName: 'file',
      description: 'Daemon config for detector/tray/verify/menu (default: the example config).',
    },
    realtime: {
      type: 'boolean',
      description: 'Pace the simulated camera at real time (default: as fast as possible).',
    },
    trace: {
      type: 'string',
      valueName: 'from:to[,...]',
      description:
        'Write to stderr what the pipeline saw and decided between these scenario seconds (several windows: comma-separated): detections per frame (faint apart), tray observations, verdicts.',
    },
  },
  async run(args) {
    if (args.positionals.length === 0) throw new UsageError('give at least one scenario file');
    const base = loadConfig(
      (args.values.config as string | undefined) ?? projectPath('config', 'traycheck.example.yaml'),
    );
    const traceText = args.values.trace as string | undefined;
    let trace: TraceOptions | undefined;
    if (traceText !== undefined) {
      try {
        trace = { windows: parseTraceWindows(traceText), write: (line) => process.stderr.write(line + '\n') };
      } catch (err) {
        throw new UsageError((err as Error).message);
      }
    }
    const log = createLogger({ level: 'warn', pretty: false, destination: process.stderr });
    const runs: EvalRun[] = [];
    for (const file of args.positionals) {
      const sc = loadScenario(file);
      const bar = progressBar(sc.name);
      const run = await runScenario(sc, {
        base,
        log,
        realtime: Boolean(args.values.realtime),
        ...(trace ? { trace } : {}),
        onProgress: (f) => bar(Math.round(f * 1000), 1000),
      });
      bar(1000, 1000);
      runs.push(run);
    }
    const summary = summarise(runs);
    if (args.values.json) process.stdout.write(JSON.stringify(summary, null, 2) + '\n');
    else process.stdout.write(formatReport(summary));
    return 0;
  },
};
