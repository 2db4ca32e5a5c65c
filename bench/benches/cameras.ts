// How many cameras fit: each profile's clip (rendered counter, trays coming and going, H.264 as
// a camera encodes it) looped by the RTSP clip server, N cameras in the real daemon, each its
// own ffmpeg, 5 fps to detection; N found by doubling then bisecting, for the motion gate off
// (every frame detected: worst case) and on (the example config's gate). Per step: CPU of
// decode (ffmpeg), detection (worker threads) and the rest of the daemon, frames dropped, and
// frame read → detections delay. See bench/README.md for the pass rule.
import { CAMERA_PROFILES, cameraClip } from '../lib/camera-clip.js';
import {
  DETECT_FPS,
  largestPassing,
  MAX_DROP_PCT,
  measureStep,
  MIN_FPS_SHARE,
  sweepCounts,
  type CameraStep,
} from '../lib/camera-step.js';
import { progress } from '../lib/config.js';
import { windowS, type BenchOptions } from '../lib/options.js';
import { check, type Bench, type BenchResult, type Check, type CheckSpec } from '../lib/report.js';
import { startRtspClipSource } from '../lib/rtsp.js';

/** Mounts of the clip server: cameras are spread over 4 start points of the clip. */
const PHASES = 4;

const spec = (profile: string, gate: string): CheckSpec => ({
  name: `cameras ${profile} gate ${gate}: 5 fps, < 5 % dropped`,
  unit: 'cameras',
  target: { op: '>=', value: 32 },
});

const fmtStep = (s: CameraStep): string =>
  `${s.cameras} cam: fps ≥${s.minDetectFps} (ingest ≥${s.minIngestFps}), drop ≤${s.maxDropPct} %, ` +
  `cpu decode ${s.decodeCpuPct} + detect ${s.detectCpuPct} + rest ${s.restCpuPct} = ${s.totalCpuPct} % ` +
  `(server ${s.serverCpuPct} %), per detected frame detect ${s.detectMsPerFrame ?? '-'} + rest ${s.restMsPerFrame ?? '-'} ms, delay p50/p95 ${s.detectDelayP50Ms ?? '-'}/${s.detectDelayP95Ms ?? '-'} ms` +
  `${s.pass ? '' : ' MISS'}${s.error ? ` (${s.error})` : ''}`;

/** The per-step figures as a table, printed under the suite's table. */
function stepTable(rows: { profile: string; gate: string; step: CameraStep }[]): string {
  const head = ['profile', 'gate', 'cams', 'min fps', 'max drop %', 'decode %', 'detect %', 'rest %'];
  head.push('total %', 'p95 ms', 'result');
  const body = rows.map(({ profile, gate, step: s }) => [
    profile,
    gate,
    String(s.cameras),
    String(gate === 'off' ? s.minDetectFps : s.minIngestFps),
    String(s.maxDropPct),
    String(s.decodeCpuPct),
    String(s.detectCpuPct),
    String(s.restCpuPct),
    String(s.totalCpuPct),
    String(s.detectDelayP95Ms ?? '-'),
    s.pass ? 'pass' : 'MISS',
  ]);
  const w = head.map((h, i) => Math.max(h.length, ...body.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string => cells.map((c, i) => c.padStart(w[i] ?? 0)).join('  ');
  return [line(head), ...body.map(line)].join('\n');
}

async function run(o: BenchOptions): Promise<BenchResult> {
  const t0 = Date.now();
  const seconds = windowS(o, 30, 10);
  const warmupS = o.quick ? 3 : 5;
  const checks: Check[] = [];
  const rows: { profile: string; gate: string; step: CameraStep }[] = [];
  const sweeps: Record<string, unknown>[] = [];
  for (const name of o.cameraProfiles) {
    const profile = CAMERA_PROFILES[name];
    if (!profile) throw new Error(`unknown camera profile ${name}`);
    const clip = await cameraClip(profile, o.clipSeconds);
    const server = await startRtspClipSource({ file: clip, fps: profile.fps, phases: PHASES });
    try {
      for (const gate of o.cameraGates) {
        const measure = async (n: number): Promise<CameraStep> => {
          progress('cameras', `${name} gate ${gate}: ${n} camera(s), ${seconds} s`);
          const s = await measureStep(n, {
            urls: server.urls,
            serverPid: server.pid,
            gate,
            seconds,
            warmupS,
            threads: o.threads,
            keys: o.cameraKeys,
          });
          progress('cameras', `${name} gate ${gate}: ${fmtStep(s)}`);
          rows.push({ profile: name, gate, step: s });
          return s;
        };
        const steps = await sweepCounts(measure, o.maxCameras, o.cameraSteps);
        const best = largestPassing(steps);
        const at = steps.find((s) => s.cameras === best);
        const capped = best === o.maxCameras ? ` (the search stopped at --max-cameras ${o.maxCameras})` : '';
        checks.push(check(spec(name, gate), best, at ? fmtStep(at) + capped : `no count passed${capped}`));
        sweeps.push({ profile, gate, largestPassing: best, steps });
      }
    } finally {
      await server.stop();
    }
  }
  return {
    bench: 'cameras',
    checks,
    details: {
      windowS: seconds,
      warmupS,
      clipSeconds: o.clipSeconds,
      stream: `rendered counter clip, libx264 CBR, no B-frames, looped by bench/rtsp-clip-server.py on ${PHASES} mounts (start points)`,
      detectFps: DETECT_FPS,
      cameraKeys: o.cameraKeys,
      passRule: `gate off: every camera ≥ ${MIN_FPS_SHARE * DETECT_FPS} detected fps; gate on: every camera ≥ ${MIN_FPS_SHARE * DETECT_FPS} fps out of ffmpeg; both: < ${MAX_DROP_PCT} % of forwarded frames dropped`,
      sweeps,
    },
    text: stepTable(rows),
    wallS: (Date.now() - t0) / 1000,
  };
}

export const camerasBench: Bench = {
  name: 'cameras',
  checks: [spec('360p15', 'off'), spec('360p15', 'on')],
  run,
};
