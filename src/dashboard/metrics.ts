// A tiny hand-written Prometheus registry fed from bus events (text exposition format 0.0.4).
// Counters and the histogram are updated as events pass; gauges are read at scrape time.
import type { EventBus } from '../events.js';

type Labels = Record<string, string>;
const esc = (v: string): string => v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
const fmtLabels = (l: Labels): string => {
  const parts = Object.entries(l).map(([k, v]) => `${k}="${esc(v)}"`);
  return parts.length ? `{${parts.join(',')}}` : '';
};
const fmtNum = (n: number): string =>
  Number.isFinite(n) ? String(n) : n > 0 ? '+Inf' : n < 0 ? '-Inf' : 'NaN';

class Family {
  readonly values = new Map<string, { labels: Labels; value: number }>();
  constructor(
    readonly name: string,
    readonly type: 'counter' | 'gauge',
    readonly help: string,
  ) {}
  inc(labels: Labels = {}, by = 1): void {
    const key = fmtLabels(labels);
    const cur = this.values.get(key);
    if (cur) cur.value += by;
    else this.values.set(key, { labels, value: by });
  }
  set(labels: Labels, value: number): void {
    this.values.set(fmtLabels(labels), { labels, value });
  }
  render(): string {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} ${this.type}`];
    for (const { labels, value } of this.values.values())
      lines.push(`${this.name}${fmtLabels(labels)} ${fmtNum(value)}`);
    return lines.join('\n');
  }
}

class Histogram {
  private readonly counts: number[];
  private sum = 0;
  private count = 0;
  constructor(
    readonly name: string,
    readonly help: string,
    readonly buckets: number[],
  ) {
    this.counts = buckets.map(() => 0);
  }
  observe(v: number): void {
    this.sum += v;
    this.count++;
    this.buckets.forEach((b, i) => {
      if (v <= b) this.counts[i] = (this.counts[i] ?? 0) + 1;
    });
  }
  render(): string {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} histogram`];
    this.buckets.forEach((b, i) => lines.push(`${this.name}_bucket{le="${b}"} ${this.counts[i] ?? 0}`));
    lines.push(
      `${this.name}_bucket{le="+Inf"} ${this.count}`,
      `${this.name}_sum ${fmtNum(this.sum)}`,
      `${this.name}_count ${this.count}`,
    );
    return lines.join('\n');
  }
}

/** Rejection reasons are free text; the class is its first words (before ":"), capped in number. */
export function reasonClass(reason: string, known: Set<string>, maxClasses = 20): string {
  const head = (reason.split(':')[0] ?? '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_|_$/g, '')
    .slice(0, 40);
  const cls = head || 'other';
  if (known.has(cls)) return cls;
  if (known.size >= maxClasses) return 'other';
  known.add(cls);
  return cls;
}

export interface MetricsSources {
  bus: EventBus;
  cameras: () => Array<{ cameraId: string; state: string; fps: number; framesDropped: number }>;
  alertsOpen: () => number;
  sseClients: () => number;
  liveViewers: () => number;
  liveEncodes: () => number;
  /** Who is reporting: a chain's Prometheus tells stores and their models apart by it. */
  info: () => {
    store: string;
    storeName: string;
    version: string;
    model: string;
    modelVersion: string;
    modelSha256: string;
  };
}

export interface Metrics {
  start(): void;
  stop(): void;
  render(): string;
}

export const METRICS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

export function createMetrics(src: MetricsSources): Metrics {
  const p = 'traycheck_';
  const frames = new Family(`${p}frames_total`, 'counter', 'Frames decoded per camera.');
  const fps = new Family(`${p}camera_fps`, 'gauge', 'Frames per second delivered to detection.');
  const up = new Family(`${p}camera_up`, 'gauge', '1 when the camera is online.');
  const dropped = new Family(
    `${p}frames_dropped_total`,
    'counter',
    'Frames dropped because detection was busy (newest wins).',
  );
  const verdicts = new Family(`${p}verdicts_total`, 'counter', 'Verdicts by result.');
  const rejected = new Family(
    `${p}rejected_messages_total`,
    'counter',
    'Rejected POS/KDS messages by reason class.',
  );
  const alertsOpen = new Family(`${p}alerts_open`, 'gauge', 'Alerts waiting for staff.');
  const info = new Family(
    `${p}info`,
    'gauge',
    'Always 1: the store, its traycheck version and the model it runs (model_hash: first 12 hex of its sha256), as labels.',
  );
  // corrected = an error caught before the tray left; served-with-error = one that got out.
  const resolved = new Family(`${p}alerts_resolved_total`, 'counter', 'Resolved alerts by resolution.');
  const sse = new Family(`${p}dashboard_event_clients`, 'gauge', 'Open live-event (SSE) connections.');
  const viewers = new Family(`${p}live_viewers`, 'gauge', 'Open live-view streams.');
  const encodes = new Family(
    `${p}live_encodes_total`,
    'counter',
    'JPEG encodes for the live view (one per frame, shared by all viewers).',
  );
  const inference = new Histogram(
    `${p}inference_ms`,
    'Detector inference time per frame (ms).',
    [5, 10, 20, 35, 50, 75, 100, 150, 250, 500, 1000],
  );
  const reasonClasses = new Set<string>();
  for (const r of ['ok', 'mismatch', 'uncertain', 'unlinked']) verdicts.set({ result: r }, 0);
  for (const r of ['corrected', 'served-with-error', 'acknowledged', 'relinked'])
    resolved.set({ resolution: r }, 0);
  const off: Array<() => void> = [];

  return {
    start() {
      off.push(
        src.bus.on('frame', 'metrics', (f) => frames.inc({ camera: f.cameraId })),
        src.bus.on('detections', 'metrics', (d) => inference.observe(d.inferenceMs)),
        src.bus.on('verdict', 'metrics', (v) => verdicts.inc({ result: v.result })),
        // Resolution is final: each alert is announced resolved once.
        src.bus.on('alert', 'metrics', (a) => {
          if (a.status === 'resolved' && a.resolution) resolved.inc({ resolution: a.resolution });
        }),
        src.bus.on('rejected', 'metrics', (r) =>
          rejected.inc({ reason_class: reasonClass(r.reason, reasonClasses) }),
        ),
      );
    },
    stop() {
      for (const u of off.splice(0)) u();
    },
    render() {
      for (const c of src.cameras()) {
        fps.set({ camera: c.cameraId }, c.fps);
        up.set({ camera: c.cameraId }, c.state === 'online' ? 1 : 0);
        dropped.set({ camera: c.cameraId }, c.framesDropped);
      }
      alertsOpen.set({}, src.alertsOpen());
      const who = src.info();
      info.values.clear(); // a promoted model replaces the old series
      info.set(
        {
          store: who.store,
          store_name: who.storeName,
          version: who.version,
          model: who.model,
          model_version: who.modelVersion,
          model_hash: who.modelSha256.slice(0, 12),
        },
        1,
      );
      sse.set({}, src.sseClients());
      viewers.set({}, src.liveViewers());
      encodes.set({}, src.liveEncodes());
      const all = [
        info,
        frames,
        fps,
        up,
        dropped,
        inference,
        verdicts,
        rejected,
        alertsOpen,
        resolved,
        sse,
        viewers,
        encodes,
      ];
      return all.map((m) => m.render()).join('\n') + '\n';
    },
  };
}
