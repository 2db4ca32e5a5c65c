// Aggregates scenario runs into the eval summary (`traycheck eval`, README figures).
import {
  addStalls,
  ratio,
  totalsOf,
  type EvalReport,
  type EvalTotals,
  type LabelConfusion,
  type StallScore,
} from './metrics.js';
import type { EvalRun } from './run.js';

export interface EvalSummary {
  scenarios: Array<
    Omit<EvalReport, 'outcomes' | 'labels'> & { wallS: number; scenarioS: number; framesProcessed: number }
  >;
  total: EvalTotals & { speedup: number };
  labels: Record<string, LabelConfusion & { precision: number | null; recall: number | null }>;
  missedTrays: Array<{ scenario: string; trayId: string; finalVerdict: string | null }>;
  falseAlertTrays: Array<{ scenario: string; trayId: string }>;
  /** Trays with no verdict while they were on the counter. */
  unverdictedTrays: Array<{ scenario: string; trayId: string; verdicts: number }>;
  /** Trays whose final verdict was linked to another order than theirs (or to none). */
  wrongOrderTrays: Array<{ scenario: string; trayId: string; finalVerdict: string | null }>;
}

export function summarise(runs: EvalRun[]): EvalSummary {
  const reports = runs.map((r) => r.report);
  const outcomes = reports.flatMap((r) => r.outcomes.map((o) => ({ ...o, scenario: r.scenario })));
  const wrong = outcomes.filter((o) => o.wrong);
  const correct = outcomes.filter((o) => !o.wrong);
  const alertsRaised = reports.reduce((a, r) => a + r.alertsRaised, 0);
  const labels: EvalSummary['labels'] = {};
  for (const r of reports) {
    for (const [label, c] of Object.entries(r.labels)) {
      const t = (labels[label] ??= {
        truePositive: 0,
        falsePositive: 0,
        falseNegative: 0,
        precision: null,
        recall: null,
      });
      t.truePositive += c.truePositive;
      t.falsePositive += c.falsePositive;
      t.falseNegative += c.falseNegative;
    }
  }
  for (const c of Object.values(labels)) {
    c.precision = ratio(c.truePositive, c.truePositive + c.falsePositive);
    c.recall = ratio(c.truePositive, c.truePositive + c.falseNegative);
  }
  // Latency over all alerts: recombine from per-scenario percentiles is wrong, so keep raw values.
  const latencies = runs.flatMap((r) => r.latencies);
  const wallS = runs.reduce((a, r) => a + r.wallS, 0);
  const scenarioS = runs.reduce((a, r) => a + r.scenarioS, 0);
  return {
    scenarios: runs.map((r) => {
      const { outcomes: _o, labels: _l, ...rest } = r.report;
      return {
        ...rest,
        wallS: round(r.wallS),
        scenarioS: round(r.scenarioS),
        framesProcessed: r.framesProcessed,
      };
    }),
    total: {
      ...totalsOf(
        outcomes,
        alertsRaised,
        latencies,
        reports.reduce<StallScore>((a, r) => addStalls(a, r.cameraStalls), {
          stalls: 0,
          reportable: 0,
          reported: 0,
          staleVerdicts: 0,
        }),
      ),
      speedup: wallS > 0 ? round(scenarioS / wallS) : 0,
    },
    labels,
    missedTrays: wrong
      .filter((o) => !o.alerted)
      .map((o) => ({ scenario: o.scenario, trayId: o.trayId, finalVerdict: o.finalVerdict })),
    falseAlertTrays: correct
      .filter((o) => o.alerted)
      .map((o) => ({ scenario: o.scenario, trayId: o.trayId })),
    unverdictedTrays: outcomes
      .filter((o) => !o.verdictedBeforeLeave)
      .map((o) => ({ scenario: o.scenario, trayId: o.trayId, verdicts: o.verdicts })),
    wrongOrderTrays: outcomes
      .filter((o) => !o.linkedRight)
      .map((o) => ({ scenario: o.scenario, trayId: o.trayId, finalVerdict: o.finalVerdict })),
  };
}

const round = (x: number): number => Math.round(x * 100) / 100;
const pct = (x: number | null): string => (x === null ? 'n/a' : `${(x * 100).toFixed(1)} %`);
const ms = (x: number | null): string => (x === null ? 'n/a' : `${Math.round(x)} ms`);

export function formatReport(s: EvalSummary): string {
  const lines: string[] = [];
  lines.push(
    'scenario                 trays wrong alerts recall   false-alert verdict-acc unlinked p95-latency  speed',
  );
  for (const r of s.scenarios) {
    lines.push(
      `${r.scenario.padEnd(24)} ${String(r.trays).padStart(5)} ${String(r.wrongTrays).padStart(5)} ${String(r.alertsRaised).padStart(6)} ${pct(r.wrongTrayRecall).padStart(8)} ${pct(r.falseAlertRate).padStart(11)} ${pct(r.verdictAccuracy).padStart(11)} ${String(r.unlinkedTrays).padStart(8)} ${ms(r.latencyMs.p95).padStart(11)} ${(r.scenarioS / Math.max(0.01, r.wallS)).toFixed(1).padStart(5)}x`,
    );
  }
  const t = s.total;
  lines.push('');
  lines.push(`trays ${t.trays}, wrong ${t.wrongTrays}, alerts ${t.alertsRaised}`);
  lines.push(`wrong-tray recall       ${pct(t.wrongTrayRecall)}   (target ≥ 99 %)`);
  lines.push(`false alerts            ${pct(t.falseAlertRate)} of correct trays   (target ≤ 1 %)`);
  lines.push(
    `verdict accuracy        ${pct(t.verdictAccuracy)} per tray; right order linked ${pct(t.correctLinkRate)}`,
  );
  lines.push(`unlinked trays          ${t.unlinkedTrays}`);
  lines.push(`errors caught           ${t.correctedCaught} corrected after an alert`);
  lines.push(`verdict before depart   ${t.verdictedBeforeDeparture}/${t.trays} (unlinked by design counts)`);
  lines.push(`uncertain (no alert)    ${t.uncertainTrays} trays`);
  lines.push(
    `unverifiable lines      listed on ${t.unverifiable.listed}/${t.unverifiable.trays} trays whose order has them`,
  );
  lines.push(
    `served with error       ${t.servedWithError.resolved} resolved so, ${t.servedWithError.leftWrong} trays left wrong, ${t.servedWithError.right} both`,
  );
  lines.push(
    `settle→alert latency    p50 ${ms(t.latencyMs.p50)}, p95 ${ms(t.latencyMs.p95)}, max ${ms(t.latencyMs.max)} (n=${t.latencyMs.n}; target p95 ≤ 500 ms)`,
  );
  const st = t.cameraStalls;
  lines.push(
    `camera stalls           ${st.stalls}; reported stalled ${st.reported}/${st.reportable} of those longer than stallTimeoutMs; ${st.staleVerdicts} verdicts on counts from before a stall`,
  );
  lines.push(`speed                   ${t.speedup}x real time`);
  lines.push('');
  lines.push('label      detected  missed  extra  precision  recall');
  for (const [label, c] of Object.entries(s.labels).sort()) {
    lines.push(
      `${label.padEnd(10)} ${String(c.truePositive).padStart(8)} ${String(c.falseNegative).padStart(7)} ${String(c.falsePositive).padStart(6)} ${pct(c.precision).padStart(10)} ${pct(c.recall).padStart(7)}`,
    );
  }
  if (s.missedTrays.length)
    lines.push(
      '',
      `missed wrong trays: ${s.missedTrays.map((m) => `${m.scenario}/${m.trayId} (${m.finalVerdict ?? 'no verdict'})`).join(', ')}`,
    );
  if (s.falseAlertTrays.length)
    lines.push(`false alerts on: ${s.falseAlertTrays.map((m) => `${m.scenario}/${m.trayId}`).join(', ')}`);
  if (s.unverdictedTrays.length)
    lines.push(
      `no verdict before leaving: ${s.unverdictedTrays.map((m) => `${m.scenario}/${m.trayId}`).join(', ')}`,
    );
  if (s.wrongOrderTrays.length)
    lines.push(
      `linked to another order: ${s.wrongOrderTrays.map((m) => `${m.scenario}/${m.trayId} (${m.finalVerdict ?? 'no verdict'})`).join(', ')}`,
    );
  return lines.join('\n') + '\n';
}
