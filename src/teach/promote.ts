// Promotion and rollback on the registry (registry.ts). A candidate is checked here first, in
// the CLI's own process, exactly as the daemon will load it (onnxruntime session, output decoder,
// input size against the running model, menu labels): a broken candidate never reaches the
// registry. The daemon then swaps it in (model-watch.ts) and reports in active.json.
import { existsSync, readFileSync } from 'node:fs';
import type { Config } from '../config/schema.js';
import { loadModel, type ModelInfo } from '../detect/model.js';
import { newLabels } from './labels.js';
import { activeFile, menuProblem, type ActiveModel } from './model-watch.js';
import {
  audit,
  importModel,
  readRegistry,
  sha256File,
  writeRegistry,
  type ModelCard,
  type Registry,
} from './registry.js';

export class PromoteError extends Error {}

const quiet = { warn: () => undefined };

async function inspectModel(config: Config, file: string): Promise<ModelInfo> {
  const m = await loadModel({ ...config.detector, threads: 1 }, file, quiet);
  await m.session.release();
  return m.info;
}

/** Loads the candidate as the daemon would and checks it against the running model and the menu. */
export async function checkCandidate(config: Config, running: string, candidate: string): Promise<ModelInfo> {
  let info: ModelInfo;
  try {
    info = await inspectModel(config, candidate);
  } catch (err) {
    throw new PromoteError(`the candidate cannot run: ${(err as Error).message}`);
  }
  const now = await inspectModel(config, running);
  if (now.imgsz.join('x') !== info.imgsz.join('x'))
    throw new PromoteError(
      `the candidate's input ${info.imgsz.join('x')} differs from the running model's ${now.imgsz.join('x')}`,
    );
  const menu = menuProblem(config.menu, info, newLabels(config.storage.dataDir));
  if (menu) throw new PromoteError(`the candidate cannot serve this store: ${menu}`);
  return info;
}

/** The daemon's state when it runs (its pid is alive), else null. */
export function readActive(dataDir: string): ActiveModel | null {
  const file = activeFile(dataDir);
  if (!existsSync(file)) return null;
  try {
    const a = JSON.parse(readFileSync(file, 'utf8')) as ActiveModel;
    process.kill(a.pid, 0);
    return a;
  } catch {
    return null;
  }
}

export type Outcome =
  | { daemon: 'not-running' }
  | { daemon: 'running'; sha256: string }
  | { daemon: 'refused'; reason: string; sha256: string }
  | { daemon: 'no-answer' };

/** Waits until the running daemon has handled this registry write (or says it is not running). */
export async function daemonOutcome(
  dataDir: string,
  registry: Registry,
  timeoutMs = 30_000,
): Promise<Outcome> {
  if (!readActive(dataDir)) return { daemon: 'not-running' };
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const a = readActive(dataDir);
    if (!a) return { daemon: 'not-running' };
    if (a.requestId === registry.requestId)
      return a.refused
        ? { daemon: 'refused', reason: a.refused.reason, sha256: a.sha256 }
        : { daemon: 'running', sha256: a.sha256 };
    await new Promise((r) => setTimeout(r, 100));
  }
  return { daemon: 'no-answer' };
}

export interface PromoteRequest {
  dataDir: string;
  /** The model running now (registry's current or the configured one). */
  running: string;
  candidate: string;
  card?: Partial<ModelCard>;
  forced: boolean;
  by: string;
}

export function promoteInRegistry(req: PromoteRequest): { registry: Registry; card: ModelCard } {
  const runningSha = sha256File(req.running);
  const runningCard = importModel(req.dataDir, req.running);
  const card = importModel(req.dataDir, req.candidate, req.card);
  if (card.sha256 === runningSha) throw new PromoteError('the candidate is the model running now');
  const r = readRegistry(req.dataDir);
  const registry = writeRegistry(req.dataDir, {
    current: card.sha256,
    previous: [...r.previous, runningCard.sha256],
  });
  audit(req.dataDir, {
    action: 'promote',
    sha256: card.sha256,
    from: runningSha,
    forced: req.forced,
    by: req.by,
  });
  return { registry, card };
}

export function rollbackInRegistry(
  dataDir: string,
  by: string,
): { registry: Registry; to: string; from: string | null } {
  const r = readRegistry(dataDir);
  const to = r.previous.at(-1);
  if (!to) throw new PromoteError('nothing to roll back to: no model was promoted before the current one');
  const registry = writeRegistry(dataDir, { current: to, previous: r.previous.slice(0, -1) });
  audit(dataDir, { action: 'rollback', sha256: to, from: r.current, by });
  return { registry, to, from: r.current };
}
