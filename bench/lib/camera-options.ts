// Command-line options of the camera sweep (bench/run.ts hands them over).
import { CAMERA_PROFILES } from './camera-clip.js';
import type { BenchOptions } from './options.js';

export function parseCameraOptions(
  o: BenchOptions,
  v: {
    profiles?: string;
    gate?: string;
    'max-cameras'?: string;
    'clip-seconds'?: string;
    'camera-keys'?: string;
  },
): void {
  if (v.profiles !== undefined) {
    o.cameraProfiles = v.profiles.split(',').map((s) => s.trim());
    const unknown = o.cameraProfiles.filter((p) => !(p in CAMERA_PROFILES));
    if (unknown.length)
      throw new Error(
        `--profiles: unknown ${unknown.join(', ')} (known: ${Object.keys(CAMERA_PROFILES).join(', ')})`,
      );
  }
  if (v.gate !== undefined) {
    const gates = v.gate.split(',').map((s) => s.trim());
    if (!gates.every((g) => g === 'on' || g === 'off')) throw new Error(`--gate takes on, off or on,off`);
    o.cameraGates = gates;
  }
  const int = (s: string | undefined, name: string): number | null => {
    if (s === undefined) return null;
    const n = Number(s);
    if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer, got "${s}"`);
    return n;
  };
  o.maxCameras = int(v['max-cameras'], 'max-cameras') ?? o.maxCameras;
  o.clipSeconds = int(v['clip-seconds'], 'clip-seconds') ?? o.clipSeconds;
  if (v['camera-keys'] !== undefined) {
    const keys: unknown = JSON.parse(v['camera-keys']);
    if (typeof keys !== 'object' || keys === null || Array.isArray(keys))
      throw new Error('--camera-keys must be a JSON object of camera keys');
    // Merged as given into every camera of the sweep: a bench knob, not validated like a config file.
    o.cameraKeys = keys;
  }
}
