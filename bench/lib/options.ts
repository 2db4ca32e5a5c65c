// What the suite measures and for how long: full figures by default, --quick for a short
// check that every bench works, and a few knobs per bench.
import type { CameraConfig } from '../../src/config/schema.js';

export const BENCH_NAMES = ['throughput', 'cameras', 'idle', 'latency', 'memory', 'startup'] as const;
export type BenchName = (typeof BENCH_NAMES)[number];

export interface BenchOptions {
  quick: boolean;
  /** Measurement window (s) of throughput, of each camera step and of idle; overrides the defaults. */
  seconds: number | null;
  /** Camera counts of the sweep (--steps); null: search by doubling then bisecting. */
  cameraSteps: number[] | null;
  /** Stream profiles of the camera sweep (bench/lib/camera-clip.ts): 360p15, 720p25, 360p5. */
  cameraProfiles: string[];
  /** Motion gate settings swept: off (every frame detected) and on (example config). */
  cameraGates: ('on' | 'off')[];
  /** Largest camera count the search tries. */
  maxCameras: number;
  /** Length of the rendered clip the RTSP server loops (s). */
  clipSeconds: number;
  /** Extra keys for every camera of the sweep (--camera-keys JSON), e.g. decoder options. */
  cameraKeys: Partial<CameraConfig>;
  /** Cameras watching an empty counter in the idle bench. */
  idleCameras: number;
  /** Trays of the generated scenario of the latency bench. */
  latencyTrays: number;
  /** Latency bench: sim camera at real time instead of as fast as the pipeline goes. */
  latencyRealtime: boolean;
  soakMinutes: number;
  /** Memory soak: the production daemon with a POS simulator (run) or `traycheck demo`. */
  soakTarget: 'run' | 'demo';
  startupRuns: number;
  /** onnxruntime intra-op threads (default: detector.threads of the example config). */
  threads: number | null;
}

export function defaultOptions(quick: boolean): BenchOptions {
  return {
    quick,
    seconds: null,
    cameraSteps: null,
    cameraProfiles: ['360p15'],
    cameraGates: ['off', 'on'],
    maxCameras: quick ? 4 : 64,
    clipSeconds: quick ? 20 : 60,
    cameraKeys: {},
    idleCameras: quick ? 2 : 4,
    latencyTrays: quick ? 30 : 200,
    latencyRealtime: false,
    soakMinutes: quick ? 2 : 30,
    soakTarget: 'run',
    startupRuns: quick ? 3 : 5,
    threads: null,
  };
}

/** Measurement window: --seconds, else the full or quick default. */
export const windowS = (o: BenchOptions, full: number, quick: number): number =>
  o.seconds ?? (o.quick ? quick : full);
