// Daemon configs for the benches: the example config (menu, detector, tray, verify) with the
// cameras under test, an embedded broker and dashboard on free ports and a temporary data dir.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { loadConfig, type LoadedConfig } from '../../src/config/load.js';
import type { CameraConfig, Config } from '../../src/config/schema.js';
import { createLogger, type Logger } from '../../src/log.js';
import { projectPath } from '../../src/paths.js';

export const EXAMPLE_CONFIG = projectPath('config', 'traycheck.example.yaml');
export const CLI = projectPath('dist', 'src', 'cli', 'main.js');
export const MODEL = projectPath('models', 'traycheck-det.onnx');

/** The example config, without TRAYCHECK_* overrides from the caller's environment. */
export function exampleConfig(): LoadedConfig {
  return loadConfig(EXAMPLE_CONFIG, {});
}

/** A camera as the example config sets it up, with this id and source. */
export function camera(
  base: Config,
  id: string,
  source: string,
  keys: Partial<CameraConfig> = {},
): CameraConfig {
  const template = base.cameras[0];
  if (!template) throw new Error(`${EXAMPLE_CONFIG} has no camera to copy defaults from`);
  return { ...template, id, source, ...keys };
}

export interface DaemonConfigOptions {
  cameras: CameraConfig[];
  dataDir: string;
  threads?: number | null;
  dashboard?: boolean;
  storeId?: string;
}

export function daemonConfig(base: LoadedConfig, o: DaemonConfigOptions): LoadedConfig {
  const c = base.config;
  const config: Config = {
    ...c,
    store: { ...c.store, id: o.storeId ?? 'bench', name: 'bench' },
    cameras: o.cameras,
    detector: { ...c.detector, model: MODEL, threads: o.threads ?? c.detector.threads },
    mqtt: {
      ...c.mqtt,
      url: undefined,
      username: undefined,
      password: undefined,
      embedded: { ...c.mqtt.embedded, host: '127.0.0.1', port: 0 },
    },
    dashboard: { ...c.dashboard, enabled: o.dashboard ?? true, bind: '127.0.0.1', port: 0 },
    storage: { ...c.storage, dataDir: o.dataDir },
    logging: { ...c.logging, level: 'warn', pretty: false },
  };
  return { ...base, config };
}

/** The same config as a YAML file in `dir`, for `traycheck run --config`. */
export function writeConfigFile(dir: string, loaded: LoadedConfig, level = 'info'): string {
  const file = join(dir, 'traycheck.yaml');
  const { config } = loaded;
  writeFileSync(file, stringify({ ...config, logging: { level, pretty: false } }));
  return file;
}

export function tempDir(prefix: string): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), `traycheck-bench-${prefix}-`));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** The daemon's log for in-process benches: errors on stderr (BENCH_LOG_LEVEL=warn for more). */
export function benchLogger(): Logger {
  return createLogger({
    level: process.env.BENCH_LOG_LEVEL ?? 'error',
    pretty: false,
    destination: process.stderr,
  });
}

/** Progress lines on stderr (stdout carries the table or the JSON). */
export function progress(bench: string, text: string): void {
  process.stderr.write(`[bench ${bench}] ${text}\n`);
}
