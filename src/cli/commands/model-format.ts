import type { Comparison, ModelScore } from '../../teach/compare.js';
import type { FrameMetrics } from '../../teach/frame-metrics.js';

const n = (v: number | null | undefined): string => (v === null || v === undefined ? '—' : v.toFixed(3));

function table(title: string, a: FrameMetrics, b: FrameMetrics): string[] {
  const classes = [...new Set([...Object.keys(a.ap50), ...Object.keys(b.ap50)])];
  const lines = [
    `${title} (${a.frames} frames, ${a.trays} trays)`,
    `  ${'class'.padEnd(10)} ${'current'.padStart(8)} ${'candidate'.padStart(10)}`,
  ];
  for (const c of classes)
    lines.push(`  ${c.padEnd(10)} ${n(a.ap50[c]).padStart(8)} ${n(b.ap50[c]).padStart(10)}`);
  lines.push(`  ${'mAP@0.5'.padEnd(10)} ${n(a.map50).padStart(8)} ${n(b.map50).padStart(10)}`);
  lines.push(
    `  ${'tray count'.padEnd(10)} ${n(a.trayCountAccuracy).padStart(8)} ${n(b.trayCountAccuracy).padStart(10)}`,
  );
  return lines;
}

function scenarios(a: ModelScore, b: ModelScore): string[] {
  if (!a.scenarios || !b.scenarios) return [];
  return [
    `eval scenarios (${a.scenarios.trays} trays)`,
    `  ${'recall'.padEnd(10)} ${n(a.scenarios.wrongTrayRecall).padStart(8)} ${n(b.scenarios.wrongTrayRecall).padStart(10)}`,
    `  ${'false alr.'.padEnd(10)} ${n(a.scenarios.falseAlertRate).padStart(8)} ${n(b.scenarios.falseAlertRate).padStart(10)}`,
  ];
}

/** Side by side: current vs candidate, per class AP@0.5, tray counts, scenarios. */
export function formatComparison(c: Comparison): string {
  const lines = [
    `current   ${c.current.sha256.slice(0, 12)}  ${c.current.file}`,
    `candidate ${c.candidate.sha256.slice(0, 12)}  ${c.candidate.file}`,
    ...(c.current.store && c.candidate.store
      ? table("store's held-out frames", c.current.store, c.candidate.store)
      : ["store's held-out frames: none labelled yet"]),
    ...table('synthetic held-out frames', c.current.synthetic, c.candidate.synthetic),
    ...scenarios(c.current, c.candidate),
    c.worse
      ? `worse on ${c.decidedOn} frames: ${c.reasons.join('; ')}`
      : `not worse on ${c.decidedOn} frames`,
  ];
  return `${lines.join('\n')}\n`;
}
