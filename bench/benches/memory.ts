// Memory over a soak at 5 fps with a steady order stream, sampled every 10 s after a warm-up
// from /proc/<pid>/status (VmRSS of the daemon process; ffmpeg apart). Two targets:
// - run (default): the production daemon, `traycheck run --config F`, one camera reading a
//   rendered clip of trays coming and going (H.264, looped at real time, 5 fps), orders from
//   `traycheck simulate-pos --flat` (ready and served bumps included) in another process;
// - demo: `traycheck demo` (config/demo.yaml): the same process also renders the camera frames
//   and runs the scenario POS, so its RSS includes the renderer (sharp/libvips).
// The daemon gets the environment of the systemd unit and the Docker image (glibc malloc
// settings, src/allocator.ts). Growth is the least-squares line over the soak (slope × duration), less sensitive to where
// a GC cycle falls than end − start (also reported).
import { createServer } from 'node:net';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { ALLOCATOR_ENV } from '../../src/allocator.js';
import { startChild, type Child } from '../lib/child.js';
import { encodeH264, renderClip } from '../lib/clip.js';
import {
  camera,
  CLI,
  daemonConfig,
  exampleConfig,
  progress,
  tempDir,
  writeConfigFile,
} from '../lib/config.js';
import type { BenchOptions } from '../lib/options.js';
import { descendants, rssMb } from '../lib/proc.js';
import { check, type Bench, type BenchResult, type CheckSpec } from '../lib/report.js';
import { leastSquares, round, sleep } from '../lib/stats.js';

const PEAK: CheckSpec = { name: 'memory: peak RSS', unit: 'MB', target: { op: '<=', value: 250 } };
const GROWTH: CheckSpec = { name: 'memory: RSS growth (fit)', unit: 'MB', target: { op: '<', value: 5 } };
const SAMPLE_MS = 10_000;
const ORDERS_PER_MINUTE = 6;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

/** Starts the soak target; returns the daemon process and helpers to stop. */
async function startTarget(
  o: BenchOptions,
  dir: string,
  port: number,
  mqttPort: number,
): Promise<{ daemon: Child; helpers: Child[]; description: string }> {
  if (o.soakTarget === 'demo') {
    const env = { ...ALLOCATOR_ENV, TRAYCHECK_STORAGE__DATA_DIR: dir, TRAYCHECK_LOGGING__LEVEL: 'warn' };
    const daemon = startChild(
      [CLI, 'demo', '--port', String(port), '--mqtt-port', String(mqttPort), '--seed', '42'],
      env,
    );
    await daemon.waitFor('dashboard:', 90_000);
    return {
      daemon,
      helpers: [],
      description:
        'traycheck demo (config/demo.yaml, --seed 42): sim camera rendered in-process, scenario POS',
    };
  }
  progress('memory', 'rendering and encoding a 30 s clip of trays');
  const clipFile = join(dir, 'trays.mp4');
  await encodeH264(await renderClip({ trays: 4, frames: 150, startS: 1, seed: 11 }), clipFile);
  const base = exampleConfig();
  const cam = camera(base.config, 'counter', clipFile, {
    fps: 5,
    width: 640,
    height: 360,
    realtime: true,
    loop: true,
  });
  const loaded = daemonConfig(base, { cameras: [cam], dataDir: dir });
  const c = loaded.config;
  const file = writeConfigFile(dir, {
    ...loaded,
    config: {
      ...c,
      dashboard: { ...c.dashboard, port },
      mqtt: { ...c.mqtt, embedded: { ...c.mqtt.embedded, port: mqttPort } },
    },
  });
  // With the environment of the systemd unit and the Docker image (src/allocator.ts).
  const daemon = startChild([CLI, 'run', '--config', file], { ...ALLOCATOR_ENV });
  await daemon.waitFor('"msg":"camera online"', 90_000).catch(async (err: unknown) => {
    await daemon.stop();
    throw err;
  });
  const pos = startChild([
    CLI,
    'simulate-pos',
    '--config',
    file,
    '--rate',
    String(ORDERS_PER_MINUTE),
    '--flat',
    '--seed',
    '1',
  ]);
  return {
    daemon,
    helpers: [pos],
    description: `traycheck run: one camera on a rendered clip of trays (H.264, looped at real time, 5 fps); traycheck simulate-pos --rate ${ORDERS_PER_MINUTE} --flat (all day) in another process`,
  };
}

async function run(o: BenchOptions): Promise<BenchResult> {
  const t0 = Date.now();
  const soakS = o.soakMinutes * 60;
  // Warm-up: model loaded, first trays verdicted, heap grown to its working size.
  const warmupS = Math.min(120, Math.max(30, soakS / 10));
  const dir = tempDir('memory');
  const [port, mqttPort] = [await freePort(), await freePort()];
  let target: Awaited<ReturnType<typeof startTarget>> | null = null;
  let client: mqtt.MqttClient | null = null;
  try {
    target = await startTarget(o, dir.path, port, mqttPort);
    const pid = target.daemon.pid;
    const counts = { orders: 0, verdicts: 0, alerts: 0 };
    client = await mqtt.connectAsync(`mqtt://127.0.0.1:${mqttPort}`, { protocolVersion: 4 });
    client.on('message', (topic, payload) => {
      if (topic.endsWith('/pos') && payload.toString().includes('"order.placed"')) counts.orders++;
      else if (topic.endsWith('/verdict')) counts.verdicts++;
      else if (topic.endsWith('/alert')) counts.alerts++;
    });
    await client.subscribeAsync('traycheck/#', { qos: 0 });
    progress(
      'memory',
      `${o.soakTarget} pid ${pid}: warm-up ${warmupS} s, then ${o.soakMinutes} min sampled every ${SAMPLE_MS / 1000} s`,
    );
    await sleep(warmupS * 1000);
    const start = { ...counts };
    const samples: Array<[number, number]> = [];
    const s0 = Date.now();
    for (;;) {
      const mb = rssMb(pid);
      if (mb === null || !target.helpers.every((h) => h.alive()))
        throw new Error(
          `a soak process exited: ${target.daemon.output()} ${target.helpers.map((h) => h.output()).join(' ')}`,
        );
      const tS = (Date.now() - s0) / 1000;
      samples.push([tS, mb]);
      if (samples.length % 6 === 0) progress('memory', `${Math.round(tS)} s: ${mb.toFixed(1)} MB`);
      if (tS >= soakS) break;
      await sleep(Math.min(SAMPLE_MS, Math.max(0, (soakS - tS) * 1000)));
    }
    const ffmpegRss = descendants(pid)
      .filter((d) => d.comm === 'ffmpeg')
      .map((d) => round(rssMb(d.pid) ?? NaN, 1));
    const mbs = samples.map((s) => s[1]);
    const { slope } = leastSquares(samples);
    const growth = slope * (samples.at(-1)?.[0] ?? 0);
    return {
      bench: 'memory',
      checks: [
        check(
          PEAK,
          round(Math.max(...mbs), 1),
          `start ${round(mbs[0] ?? NaN, 1)}, end ${round(mbs.at(-1) ?? NaN, 1)} MB`,
        ),
        check(
          GROWTH,
          round(growth, 2),
          `${round(slope * 3600, 1)} MB/h over ${o.soakMinutes} min (${o.soakTarget})`,
        ),
      ],
      details: {
        target: target.description,
        soakMinutes: o.soakMinutes,
        warmupS,
        samples: samples.length,
        startMb: round(mbs[0] ?? NaN, 1),
        peakMb: round(Math.max(...mbs), 1),
        endMb: round(mbs.at(-1) ?? NaN, 1),
        slopeMbPerHour: round(slope * 3600, 2),
        fitGrowthMb: round(growth, 2),
        endMinusStartMb: round((mbs.at(-1) ?? NaN) - (mbs[0] ?? NaN), 2),
        ffmpegRssMb: ffmpegRss,
        duringSoak: {
          ordersPlaced: counts.orders - start.orders,
          verdicts: counts.verdicts - start.verdicts,
          alertMessages: counts.alerts - start.alerts,
        },
        rssSeries: samples.map(([t, mb]) => [Math.round(t), round(mb, 1)]),
      },
      wallS: (Date.now() - t0) / 1000,
    };
  } finally {
    await client?.endAsync().catch(() => undefined);
    for (const h of target?.helpers ?? []) await h.stop();
    await target?.daemon.stop();
    dir.remove();
  }
}

export const memoryBench: Bench = { name: 'memory', checks: [PEAK, GROWTH], run };
