// The daemon's side of promotion: it watches <dataDir>/models/registry.json (the CLI and the
// dashboard write it) and, when the current model changes, swaps the detector's model between
// two frames. Cameras and MQTT are untouched. A model that cannot run (broken file, another
// input size, menu labels it lacks) is refused: the running model stays, the registry is put
// back to it, and the refusal is in the audit log. What the daemon runs is in active.json,
// which the CLI reads to report the outcome.
import { existsSync, unwatchFile, watchFile } from 'node:fs';
import { join } from 'node:path';
import type { Menu } from '../config/schema.js';
import { checkMenuLabels, type Detector, type ModelInfo } from '../detect/index.js';
import type { Logger } from '../log.js';
import {
  audit,
  importModel,
  readCard,
  modelFile,
  modelsDir,
  readRegistry,
  writeJsonAtomic,
  writeRegistry,
} from './registry.js';

export interface ActiveModel {
  pid: number;
  sha256: string;
  path: string;
  /** The registry write this state answers. */
  requestId: string;
  at: string;
  /** Why the last requested model was refused (null when it runs). */
  refused: { sha256: string | null; reason: string } | null;
}

export interface ModelWatchDeps {
  dataDir: string;
  detector: Detector;
  menu: Menu;
  /** The store's new labels (labels.ts): menu items may wait for a model that knows them. */
  newLabels: readonly string[];
  /** The configured model: what the registry's "no current model" means. */
  configuredModel: string;
  log: Logger;
  intervalMs?: number;
}

export interface ModelWatch {
  start(): void;
  stop(): void;
  /** Applies the registry now (the file watch calls this; tests and the dashboard may too). */
  check(): Promise<void>;
}

export const activeFile = (dataDir: string): string => join(modelsDir(dataDir), 'active.json');

/** Why this model cannot serve this menu, or null. */
export function menuProblem(menu: Menu, info: ModelInfo, newLabels: readonly string[]): string | null {
  const missing = checkMenuLabels(menu, info.labels, newLabels);
  return missing.length
    ? `the menu uses label(s) the model does not know: ${missing.join(', ')} (model labels: ${info.labels.join(', ')})`
    : null;
}

export function createModelWatch(deps: ModelWatchDeps): ModelWatch {
  const { dataDir, detector, log } = deps;
  const registry = join(modelsDir(dataDir), 'registry.json');
  let handled = '';
  let running: Promise<void> = Promise.resolve();
  let watching = false;

  const writeActive = (requestId: string, refused: ActiveModel['refused']): void => {
    const info = detector.info();
    const active: ActiveModel = {
      pid: process.pid,
      sha256: info.sha256,
      path: info.path,
      requestId,
      at: new Date().toISOString(),
      refused,
    };
    writeJsonAtomic(activeFile(dataDir), active);
  };

  async function apply(): Promise<void> {
    const r = readRegistry(dataDir);
    if (r.requestId === handled) return;
    handled = r.requestId;
    const runningSha = detector.info().sha256;
    const wanted = r.current ?? null;
    if (wanted === runningSha || (wanted === null && detector.info().path === deps.configuredModel)) {
      writeActive(r.requestId, null);
      return;
    }
    const file = wanted ? modelFile(dataDir, wanted) : deps.configuredModel;
    try {
      const info = await detector.reload(file, (i) => menuProblem(deps.menu, i, deps.newLabels));
      audit(dataDir, { action: 'loaded', sha256: info.sha256, from: runningSha, by: 'daemon' });
      log.info({ sha256: info.sha256, from: runningSha }, 'promoted model is running');
      writeActive(r.requestId, null);
    } catch (err) {
      const reason = (err as Error).message;
      log.error({ sha256: wanted, reason }, 'promoted model refused; the running model stays');
      audit(dataDir, {
        action: 'load-failed',
        sha256: wanted,
        from: runningSha,
        detail: reason,
        by: 'daemon',
      });
      // Put the registry back to what runs, so it never names a model that is not running.
      const back = writeRegistry(dataDir, {
        current: runningSha,
        previous: r.previous.at(-1) === runningSha ? r.previous.slice(0, -1) : r.previous,
      });
      handled = back.requestId;
      writeActive(r.requestId, { sha256: wanted, reason });
    }
  }

  const check = (): Promise<void> => {
    running = running.then(apply).catch((err: unknown) => log.error({ err }, 'model registry check failed'));
    return running;
  };

  return {
    start() {
      // The running model is in the registry too, so a rollback can always come back to it.
      try {
        const info = detector.info();
        if (!readCard(dataDir, info.sha256)) importModel(dataDir, info.path, { source: info.path });
        handled = readRegistry(dataDir).requestId;
        writeActive(handled, null);
      } catch (err) {
        log.warn({ err }, 'could not record the running model in the registry');
      }
      watchFile(registry, { interval: deps.intervalMs ?? 500 }, () => void check());
      watching = true;
      if (existsSync(registry)) void check();
    },
    stop() {
      if (watching) unwatchFile(registry);
      watching = false;
    },
    check,
  };
}
