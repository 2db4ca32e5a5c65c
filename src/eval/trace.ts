// `traycheck eval --trace FROM:TO[,FROM:TO...]`: what the pipeline saw and decided in windows of
// scenario time, one line per frame, tray observation and verdict. A failing tray is explained by reading
// its frames: which detections it got (faint ones apart), when it settled, what the verdict said.
import type { Daemon } from '../daemon.js';
import type { ScenarioSource } from '../sim/scenario-camera.js';
import type { Detection, Verdict } from '../types.js';

export interface TraceWindow {
  fromS: number;
  toS: number;
}

export interface TraceOptions {
  windows: TraceWindow[];
  write: (line: string) => void;
}

/** Parses "FROM:TO" (scenario seconds, FROM < TO). */
export function parseTraceWindow(text: string): TraceWindow {
  const m = /^\s*(\d+(?:\.\d+)?)\s*:\s*(\d+(?:\.\d+)?)\s*$/.exec(text);
  const fromS = m ? Number(m[1]) : NaN;
  const toS = m ? Number(m[2]) : NaN;
  if (!(fromS < toS))
    throw new Error(`--trace expects FROM:TO in scenario seconds with FROM < TO, got "${text}"`);
  return { fromS, toS };
}

/** Parses "FROM:TO,FROM:TO,..." (one window or several). */
export function parseTraceWindows(text: string): TraceWindow[] {
  return text.split(',').map(parseTraceWindow);
}

const inAny = (windows: readonly TraceWindow[], tS: number): boolean =>
  windows.some((w) => tS >= w.fromS && tS <= w.toS);

const boxText = (b: readonly number[]): string => `[${b.map((v) => Math.round(v)).join(',')}]`;

const fmt = (d: Detection): string =>
  `${d.label}${d.uncertain ? `?${d.rival ? `(${d.rival})` : ''}` : ''} ${d.score.toFixed(2)} ${boxText(d.box)}`;

const counts = (c: Record<string, number>): string =>
  Object.entries(c)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}:${v}`)
    .join(' ');

const at = (tS: number): string => `t=${tS.toFixed(2)}`;

/** Writes every frame's detections and every tray observation made in the window. */
export function traceRun(daemon: Daemon, source: ScenarioSource, o: TraceOptions): void {
  const inWindow = (tS: number): boolean => inAny(o.windows, tS);
  const toS = (ts: number): number => (ts - (source.originMs() ?? 0)) / 1000;
  daemon.bus.on('detections', 'eval-trace', (fd) => {
    const tS = source.timeS(fd.seq);
    if (!inWindow(tS)) return;
    o.write(`${at(tS)} frame ${fd.seq}: ${fd.detections.map(fmt).join('; ')}`);
    if (fd.faint?.length) o.write(`${at(tS)}   faint: ${fd.faint.map(fmt).join('; ')}`);
  });
  daemon.bus.on('tray', 'eval-trace', (obs) => {
    const tS = toS(obs.ts);
    if (!inWindow(tS)) return;
    const doubt =
      (obs.countDoubt ? ` doubt ${JSON.stringify(obs.countDoubt)}` : '') +
      (obs.relabel ? ` relabel ${JSON.stringify(obs.relabel)}` : '');
    const box = obs.box ? ` box ${boxText(obs.box)}` : '';
    o.write(
      `${at(tS)} tray ${obs.trayId} ${obs.phase}: ${counts(obs.items)}` +
        (obs.uncertain.length ? ` uncertain ${obs.uncertain.join(',')}` : '') +
        doubt +
        (obs.inferred ? ' inferred' : '') +
        (obs.unidentified ? ` unidentified ${obs.unidentified}` : '') +
        box,
    );
  });
}

/** Writes the verdicts made in the window (after the run: the store has them all). */
export function traceVerdicts(
  verdicts: readonly Verdict[],
  toS: (ts: number) => number,
  o: TraceOptions,
): void {
  for (const v of verdicts) {
    const tS = toS(v.ts);
    if (!inAny(o.windows, tS)) continue;
    o.write(
      `${at(tS)} verdict ${v.trayId} → order ${v.orderId ?? '-'} (${v.link}): ${v.result}` +
        (Object.keys(v.missing).length ? ` missing ${counts(v.missing)}` : '') +
        (Object.keys(v.extra).length ? ` extra ${counts(v.extra)}` : '') +
        (v.uncertain.length ? ` uncertain ${v.uncertain.join(',')}` : '') +
        ` | observed ${counts(v.observed)}`,
    );
  }
}
