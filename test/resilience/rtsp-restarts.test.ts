// Resilience: the RTSP server behind a camera is killed (SIGKILL, as with a power cut) and started
// again on the same port 20 times while the real compiled daemon runs (`traycheck run`). Watched
// from outside as an operator would: the retained camera status on MQTT (embedded broker) and
// /api/health on the dashboard. Issue: "the camera goes offline within the stall timeout and back
// online within 5 s of the server returning, each time; the daemon never exits."
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { afterAll, describe, expect, it } from 'vitest';
import type { CameraStatus } from '../../src/types.js';
import { ROOT, runCli, tempDir, writeConfig, type DaemonProc, type LogLine } from '../helpers/daemon.js';
import { freePort } from '../helpers/ports.js';
import { startRtspServer, stopAllRtspServers, type RtspServer } from '../helpers/rtsp.js';
import { waitFor } from '../helpers/wait.js';
import { mulberry32 } from '../../src/sim/rng.js';

const CYCLES = 20;
const CAMERA = 'expo';
const STORE = 'resil';
// The documented defaults (config/traycheck.example.yaml), spelled out so the assertions read
// against them: what an installer ships, no test-only tuning.
const camera = {
  fps: 5,
  width: 640,
  height: 360,
  stallTimeoutMs: 5000,
  backoffInitialMs: 1000,
  backoffMaxMs: 30_000,
};
/**
 * A killed server closes its sockets, so ffmpeg sees the end of the stream at once; a silent one
 * would be caught by the stall watchdog, which looks every 500 ms (supervisor.ts). The margin
 * covers that tick, ffmpeg exiting and the MQTT hop on a busy 2-core box.
 */
const OFFLINE_MARGIN_MS = 1000;
/** The promise: online within 5 s of the server accepting connections again. */
const ONLINE_WITHIN_MS = 5000;
/** Outage per cycle (kill → restart begins): seeded, so a failing cycle can be replayed. */
const OUTAGE_MIN_MS = 500;
const OUTAGE_MAX_MS = 3000;
const SEED = 0x7a3c;
/** Frames the camera must deliver after coming back before the next kill ("streaming again"). */
const FRAMES_AFTER_ONLINE = 5;

interface Seen {
  at: number;
  status: CameraStatus;
}

interface Cycle {
  outageMs: number;
  offlineMs: number;
  onlineMs: number;
}

const percentile = (xs: number[], p: number): number => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
};

/** pino's ISO time of a daemon log line, epoch ms (NaN without one). */
const logTime = (l: LogLine | undefined): number => Date.parse(String(l?.time));

const dir = tempDir('traycheck-resil-');
let daemon: DaemonProc | null = null;
let watcher: mqtt.MqttClient | null = null;

afterAll(async () => {
  await watcher?.endAsync(true);
  await daemon?.stop('SIGKILL');
  await stopAllRtspServers();
  rmSync(dir, { recursive: true, force: true });
});

describe('RTSP server restarts against the running daemon', () => {
  it(`killed and restarted ${CYCLES} times: offline within the stall timeout, online within 5 s, daemon never exits`, async () => {
    const t0 = Date.now();
    const random = mulberry32(SEED);
    // A static picture (an empty counter): the motion gate keeps detection at idleFps, so the
    // detector does not compete for the two cores with ffmpeg and the RTSP server.
    const serverOpts = { width: 320, height: 240, fps: 25, pattern: 'smpte' };
    let server: RtspServer = await startRtspServer(serverOpts);
    const rtspPort = server.port;
    const [httpPort, mqttPort] = [await freePort(), await freePort()];
    const cfg = writeConfig(dir, {
      store: { id: STORE, name: 'Resilience' },
      cameras: [{ id: CAMERA, source: server.url, ...camera }],
      detector: { model: join(ROOT, 'models', 'traycheck-det.onnx') },
      menu: { COMBO1: { name: 'Burger Meal', contains: { burger: 1, fries: 1, drink: 1 } } },
      mqtt: { embedded: { host: '127.0.0.1', port: mqttPort } },
      dashboard: { bind: '127.0.0.1', port: httpPort },
      storage: { dataDir: join(dir, 'data') },
      // debug: the supervisor logs every ffmpeg exit ("ffmpeg stopped"), so `restarts` can be
      // checked exactly, failed reconnect attempts included.
      logging: { level: 'debug', pretty: false },
    });
    daemon = runCli(['run', '--config', cfg]);
    const d = daemon;
    await d.waitForLog((l) => l.msg.includes('camera online'), 60_000, 'camera online at start');

    // The operator's view: every camera status the daemon publishes, with its arrival time.
    const seen: Seen[] = [];
    watcher = await mqtt.connectAsync(`mqtt://127.0.0.1:${mqttPort}`, {
      protocolVersion: 4,
      reconnectPeriod: 0,
    });
    watcher.on('message', (_topic, payload) => {
      seen.push({ at: Date.now(), status: JSON.parse(payload.toString('utf8')) as CameraStatus });
    });
    await watcher.subscribeAsync(`traycheck/${STORE}/camera/${CAMERA}/status`, { qos: 1 });
    await waitFor(() => seen.at(-1)?.status.state === 'online', {
      timeoutMs: 10_000,
      message: 'retained online',
    });

    const health = async (): Promise<CameraStatus> => {
      const res = await fetch(`http://127.0.0.1:${httpPort}/api/health`);
      const body = (await res.json()) as {
        components: { cameras?: { data?: { cameras?: CameraStatus[] } } };
      };
      const cam = body.components.cameras?.data?.cameras?.[0];
      if (!cam) throw new Error(`no camera in /api/health: ${JSON.stringify(body)}`);
      return cam;
    };
    const alive = (): boolean => d.child.exitCode === null && d.child.signalCode === null;

    const cycles: Cycle[] = [];
    for (let i = 0; i < CYCLES; i++) {
      const from = seen.length;
      server.kill();
      const killedAt = Date.now();
      await server.exited;
      const off = await waitFor(() => seen.slice(from).find((s) => s.status.state !== 'online'), {
        timeoutMs: camera.stallTimeoutMs + OFFLINE_MARGIN_MS + 2000,
        message: `cycle ${i + 1}: camera offline after the kill`,
      });
      const offlineMs = off.at - killedAt;
      expect
        .soft(offlineMs, `cycle ${i + 1}: offline latency`)
        .toBeLessThanOrEqual(camera.stallTimeoutMs + OFFLINE_MARGIN_MS);

      // The outage is the scenario, not a wait for a condition: hold the server down this long.
      const outageMs = Math.round(OUTAGE_MIN_MS + random() * (OUTAGE_MAX_MS - OUTAGE_MIN_MS));
      await new Promise((r) => setTimeout(r, Math.max(0, killedAt + outageMs - Date.now())));
      const offIdx = seen.indexOf(off);
      // The server prints READY right after it starts listening: from here it accepts connections.
      server = await startRtspServer({ ...serverOpts, port: rtspPort });
      const upAt = Date.now();
      const on = await waitFor(() => seen.slice(offIdx).find((s) => s.status.state === 'online'), {
        timeoutMs: ONLINE_WITHIN_MS + 10_000,
        message: `cycle ${i + 1}: camera online after the restart`,
      });
      const onlineMs = on.at - upAt;
      cycles.push({ outageMs, offlineMs, onlineMs });
      // Where the online latency went: waiting for the next attempt, then ffmpeg's first frame.
      const camLog = d.lines.filter((l) => l.camera === CAMERA);
      const onLogAt = logTime(camLog.findLast((l) => l.msg === 'camera online'));
      const startLogAt = logTime(
        camLog.findLast((l) => l.msg === 'starting ffmpeg' && logTime(l) <= onLogAt),
      );
      console.info(
        `cycle ${String(i + 1).padStart(2)}: outage ${outageMs} ms, offline after ${offlineMs} ms` +
          ` (${off.status.state}: ${off.status.lastError}), online ${onlineMs} ms after the server returned` +
          ` (attempt ${startLogAt - upAt} ms after it, first frame ${onLogAt - startLogAt} ms later)`,
      );
      expect.soft(onlineMs, `cycle ${i + 1}: online latency`).toBeLessThanOrEqual(ONLINE_WITHIN_MS);
      // Online means a frame arrived; streaming means they keep coming.
      await waitFor(async () => (await health()).framesTotal >= on.status.framesTotal + FRAMES_AFTER_ONLINE, {
        timeoutMs: 5000,
        message: `cycle ${i + 1}: frames after coming back`,
      });
      expect(alive(), `daemon alive after cycle ${i + 1}`).toBe(true);
    }

    const offline = cycles.map((c) => c.offlineMs);
    const online = cycles.map((c) => c.onlineMs);
    console.info(
      `${CYCLES} cycles in ${((Date.now() - t0) / 1000).toFixed(1)} s: offline latency max ${Math.max(...offline)} ms;` +
        ` online latency max ${Math.max(...online)} ms, p95 ${percentile(online, 95)} ms, median ${percentile(online, 50)} ms`,
    );

    // The daemon is still running and never logged an error, let alone a fatal or uncaught one.
    expect(alive()).toBe(true);
    expect(d.lines.filter((l) => l.level >= 50)).toEqual([]);
    expect(d.stderr.join('')).not.toMatch(/uncaught|unhandled|fatal|Error/i);

    // Counters: each kill is exactly one lost stream, seen on MQTT and in the supervisor's log;
    // `restarts` counts every ffmpeg exit (lost streams plus refused reconnect attempts).
    const states = seen.map((s) => s.status.state).filter((s, i, all) => i === 0 || s !== all[i - 1]);
    expect(states.filter((s, i) => s !== 'online' && states[i - 1] === 'online')).toHaveLength(CYCLES);
    const camLines = d.lines.filter((l) => l.camera === CAMERA);
    const exits = camLines.filter((l) => l.msg.startsWith('ffmpeg stopped'));
    expect(exits.filter((l) => l.framesThisRun === true)).toHaveLength(CYCLES);
    expect(camLines.filter((l) => l.msg === 'camera online')).toHaveLength(CYCLES + 1);
    const final = await health();
    expect(final.state).toBe('online');
    expect(final.restarts).toBe(exits.length);
    expect(final.restarts).toBeGreaterThanOrEqual(CYCLES);

    const { code } = await d.stop('SIGTERM');
    expect(code).toBe(0);
    expect(d.lines.some((l) => l.msg === 'stopped cleanly')).toBe(true);
  }, 200_000);
});
