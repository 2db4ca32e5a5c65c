// `traycheck eval --trace FROM:TO`: the window parser, and a traced run of the basic scenario
// through the real daemon, whose lines all lie in the window and explain tray B's alert.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { runScenario } from '../../src/eval/run.js';
import { parseTraceWindow, parseTraceWindows } from '../../src/eval/trace.js';
import { silentLogger } from '../../src/log.js';
import { loadScenario } from '../../src/sim/scenario.js';
import { ROOT } from '../helpers/daemon.js';

describe('eval trace window', () => {
  it('parses FROM:TO in scenario seconds', () => {
    expect(parseTraceWindow('11:18.5')).toEqual({ fromS: 11, toS: 18.5 });
    expect(parseTraceWindow(' 0 : 4 ')).toEqual({ fromS: 0, toS: 4 });
    expect(parseTraceWindows('1:2,30:40.5')).toEqual([
      { fromS: 1, toS: 2 },
      { fromS: 30, toS: 40.5 },
    ]);
    expect(() => parseTraceWindows('1:2,,3:4')).toThrow(/FROM:TO/);
  });

  it.each(['18:11', '5:5', '5', 'a:b', '-1:3', ''])('refuses %j', (text) => {
    expect(() => parseTraceWindow(text)).toThrow(/FROM:TO/);
  });
});

describe('eval --trace through the real daemon', () => {
  it('writes only the window, with tray B settled and its mismatch verdict', async () => {
    const base = loadConfig(join(ROOT, 'config', 'traycheck.example.yaml'), {});
    const lines: string[] = [];
    const run = await runScenario(loadScenario(join(ROOT, 'test', 'scenarios', 'basic.yaml')), {
      base,
      log: silentLogger(),
      trace: { windows: [{ fromS: 11, toS: 18 }], write: (l) => lines.push(l) },
    });
    expect(run.report.trays).toBe(4);
    const times = lines.map((l) => Number(/^t=(\d+\.\d+) /.exec(l)?.[1]));
    expect(times.every((t) => t >= 11 && t <= 18)).toBe(true);
    const frames = lines.filter((l) => / frame \d+: /.test(l));
    // 5 fps while B arrives and settles; the motion gate (idleFps 1) thins the still frames.
    expect(frames.length).toBeGreaterThanOrEqual(10);
    expect(frames.some((l) => /burger \d\.\d\d \[/.test(l))).toBe(true);
    expect(lines.some((l) => / tray \S+ settled: burger:1 drink:1/.test(l))).toBe(true);
    expect(lines.some((l) => / verdict \S+ → order 1002 \(\w+\): mismatch missing fries:1/.test(l))).toBe(
      true,
    );
    expect(lines.some((l) => /order 100[134]/.test(l))).toBe(false);
  });
});
