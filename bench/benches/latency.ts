// Settle → alert latency as staff see it: a generated shift (like `traycheck scenario generate
// --trays 200 --error-rate 0.2 --seed 42`) runs through the real daemon (sim camera through
// ffmpeg, detector, tray, verify, alerts; orders over the embedded MQTT broker) with the
// dashboard on, and a logged-in client in another process reads /api/events over HTTP.
// Settle time is the wall-clock arrival of the frame that completed the settle window
// (verdict.settledTs, = alert.openedAt − alert.latencyMs); latency = receipt of the alert's
// first SSE event − settle. By default the camera runs as fast as the pipeline takes frames
// (eval pacing), which keeps the box busy: figures are pessimistic against real-time pacing
// (--latency-realtime, which takes the shift's full length: 27 min for 200 trays).
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { createScenarioDaemon, EVAL_CAMERA } from '../../src/eval/run.js';
import { projectPath } from '../../src/paths.js';
import { generateScenario } from '../../src/sim/scenario-generate.js';
import { scenarioDurationS } from '../../src/sim/scenario.js';
import { benchLogger, exampleConfig, MODEL, progress, tempDir } from '../lib/config.js';
import type { BenchOptions } from '../lib/options.js';
import { check, type Bench, type BenchResult, type CheckSpec } from '../lib/report.js';
import { quantile, round, sleep } from '../lib/stats.js';

const P95: CheckSpec = {
  name: 'latency: settle → alert on SSE, p95',
  unit: 'ms',
  target: { op: '<=', value: 500 },
};

interface AlertSeen {
  id: number;
  at: number;
  openedAt: number;
  latencyMs: number | null;
}

/** Completes first-start setup and returns the session cookie header. */
async function adminCookie(url: string, token: string): Promise<string> {
  const res = await fetch(`${url}/api/setup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ token, username: 'admin', password: 'bench-password-1' }),
  });
  if (res.status !== 200) throw new Error(`dashboard setup failed: HTTP ${res.status} ${await res.text()}`);
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .find((c) => c?.startsWith('traycheck_session='));
  if (!cookie) throw new Error('dashboard setup set no session cookie');
  return cookie;
}

function sseClient(
  url: string,
  cookie: string,
): { alerts: Map<number, AlertSeen>; connected: Promise<void>; stop(): void } {
  const child = spawn(
    process.execPath,
    [projectPath('dist', 'bench', 'lib', 'sse-client.js'), `${url}/api/events`, cookie],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const alerts = new Map<number, AlertSeen>();
  let onConnected: () => void = () => undefined;
  const connected = new Promise<void>((resolve, reject) => {
    onConnected = resolve;
    child.on('exit', (code) => reject(new Error(`SSE client exited (${code})`)));
  });
  createInterface({ input: child.stdout }).on('line', (line) => {
    const m = JSON.parse(line) as {
      type: string;
      at: number;
      data?: { id: number; openedAt: number; latencyMs: number | null };
    };
    if (m.type === 'connected') onConnected();
    else if (m.type === 'alert' && m.data && !alerts.has(m.data.id))
      alerts.set(m.data.id, {
        id: m.data.id,
        at: m.at,
        openedAt: m.data.openedAt,
        latencyMs: m.data.latencyMs,
      });
  });
  return { alerts, connected, stop: () => child.kill('SIGTERM') };
}

async function run(o: BenchOptions): Promise<BenchResult> {
  const t0 = Date.now();
  const base = exampleConfig();
  const realtime = o.latencyRealtime;
  const sc = generateScenario({
    trays: o.latencyTrays,
    errorRate: 0.2,
    seed: 42,
    menu: base.config.menu,
    twoTrayRate: 0.2,
    brightness: 1,
  });
  const dir = tempDir('latency');
  let go: () => void = () => undefined;
  const started = new Promise<void>((resolve) => (go = resolve));
  const threads = o.threads ?? base.config.detector.threads;
  // Exactly eval's daemon (src/eval/run.ts), with the dashboard on.
  const { daemon, pos } = createScenarioDaemon(sc, {
    base: {
      ...base,
      config: { ...base.config, detector: { ...base.config.detector, model: MODEL, threads } },
    },
    log: benchLogger(),
    dataDir: dir.path,
    realtime,
    dashboard: true,
    beforeFrame: () => started,
  });
  let client: ReturnType<typeof sseClient> | null = null;
  try {
    await daemon.start();
    const url = daemon.dashboardUrl();
    const token = daemon.setupToken();
    if (!token) throw new Error('a fresh data dir should have a setup token');
    client = sseClient(url, await adminCookie(url, token));
    await client.connected;
    await pos.start(daemon.brokerUrl());
    progress(
      'latency',
      `${sc.trays.length} trays, ${Math.round(scenarioDurationS(sc))} s of shift, ${realtime ? 'real time' : 'as fast as the pipeline goes'}`,
    );
    const wall0 = Date.now();
    go();
    await daemon.evalProbe.sourceEnded(EVAL_CAMERA);
    await daemon.evalProbe.drain();
    const stored = daemon.evalProbe.alerts();
    // The last alerts may still be on their way to the client.
    const deadline = Date.now() + 5000;
    while (client.alerts.size < stored.length && Date.now() < deadline) await sleep(50);
    const seen = [...client.alerts.values()];
    const sse = seen.filter((a) => a.latencyMs !== null).map((a) => a.at - (a.openedAt - (a.latencyMs ?? 0)));
    const internal = stored.map((a) => a.latencyMs).filter((x): x is number => typeof x === 'number');
    const pct = (xs: number[]): Record<string, number | null> => ({
      p50: round(quantile(xs, 0.5), 1),
      p95: round(quantile(xs, 0.95), 1),
      max: xs.length ? round(Math.max(...xs), 1) : null,
      n: xs.length,
    });
    const wallS = (Date.now() - wall0) / 1000;
    return {
      bench: 'latency',
      checks: [
        check(
          P95,
          sse.length ? round(quantile(sse, 0.95), 1) : null,
          `p50 ${round(quantile(sse, 0.5), 0)} ms, max ${round(Math.max(...sse), 0)} ms, n ${sse.length}, ${sc.trays.length} trays`,
        ),
      ],
      details: {
        trays: sc.trays.length,
        pacing: realtime ? 'real time' : 'as fast as the pipeline takes frames (eval pacing)',
        shiftS: round(scenarioDurationS(sc), 0),
        wallS: round(wallS, 1),
        speedup: round(scenarioDurationS(sc) / wallS, 2),
        sseMs: pct(sse),
        alertsStored: stored.length,
        alertsOnSse: seen.length,
        storedAlertLatencyMs: pct(internal),
        measured:
          'settle (arrival of the frame completing the settle window) → first SSE event of the alert read by a logged-in HTTP client in another process',
      },
      wallS: (Date.now() - t0) / 1000,
    };
  } finally {
    go();
    client?.stop();
    await pos.stop();
    await daemon.stop();
    dir.remove();
  }
}

export const latencyBench: Bench = { name: 'latency', checks: [P95], run };
