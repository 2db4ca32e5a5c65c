// What the dashboard's /teach page reads and does, inside the daemon: an overview of sprites,
// candidates, models and changes, and promotion/rollback through the same registry as the CLI
// (the daemon's own registry watch then swaps the model between frames).
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { LoadedConfig } from '../config/load.js';
import type { ModelInfo } from '../detect/index.js';
import type { Logger } from '../log.js';
import { capturedDir } from './capture.js';
import { compareModels, type Comparison } from './compare.js';
import {
  checkCandidate,
  daemonOutcome,
  promoteInRegistry,
  PromoteError,
  rollbackInRegistry,
} from './promote.js';
import { listCards, modelChanges, modelMeta, type ModelCard } from './registry.js';
import { addNewLabel, LabelError, newLabels } from './labels.js';
import { addSprite, SpriteError, spritesDir, teachDir, type SpriteCard } from './sprites.js';
import { readTrainState } from './train.js';
import { createTrainRunner, type TrainingStatus, type TrainRunner } from './train-runner.js';

export interface TeachOverview {
  runningSha256: string;
  models: Array<{
    sha256: string;
    current: boolean;
    version: string | null;
    createdAt: string;
    source: string;
  }>;
  candidates: Array<{
    run: string;
    sha256: string;
    version: string | null;
    createdAt: string;
    data: Record<string, unknown> | null;
  }>;
  sprites: Record<string, Array<{ file: string; source: string; method: string }>>;
  changes: ReturnType<typeof modelChanges>;
  capturedFrames: number;
  /** Labels a sprite may have: the running model's items and the store's new labels. */
  labels: string[];
  training: { run: string; phase: string; trainedS: number } | null;
  /** A run started from the page: its latest progress. */
  live: TrainingStatus;
}

export interface TeachApi {
  overview(): TeachOverview;
  /** Path of a stored sprite, or null (names are checked: no path escapes). */
  spriteFile(label: string, file: string): string | null;
  promote(run: string, force: boolean, by: string): Promise<{ ok: boolean; message: string }>;
  /** The running model against a candidate (compare.ts), for the side-by-side table. */
  compare(run: string): Promise<Comparison | null>;
  /**
   * Cuts an uploaded photo out and stores it (the page then shows it to keep or remove);
   * `newLabel` first creates the label when no model knows it (a new menu item).
   */
  addSprite(
    label: string,
    bytes: Buffer,
    source: string,
    newLabel?: boolean,
  ): Promise<{ ok: boolean; message: string; file?: string }>;
  removeSprite(label: string, file: string): boolean;
  training: TrainRunner;
  rollback(by: string): Promise<{ ok: boolean; message: string }>;
}

const SAFE = /^[a-z0-9][a-z0-9_-]*$/i;

export function createTeachApi(deps: {
  loaded: LoadedConfig;
  /** The running model (its file, and its labels: what a sprite may be, with the store's new ones). */
  model: () => ModelInfo;
  log: Logger;
}): TeachApi {
  const { dataDir } = deps.loaded.config.storage;
  const candidatesDir = join(teachDir(dataDir), 'candidates');
  const readJson = <T>(f: string): T | null =>
    existsSync(f) ? (JSON.parse(readFileSync(f, 'utf8')) as T) : null;
  const outcome = async (registry: Parameters<typeof daemonOutcome>[1], what: string) => {
    const o = await daemonOutcome(dataDir, registry);
    if (o.daemon === 'refused') return { ok: false, message: `refused by the detector: ${o.reason}` };
    if (o.daemon === 'no-answer')
      return { ok: false, message: `${what}, but the detector did not switch within 30 s` };
    return { ok: true, message: what };
  };

  const spriteLabels = (): string[] => [
    ...deps.model().labels.filter((l) => l !== 'tray' && l !== 'hand'),
    ...newLabels(dataDir),
  ];

  const training = createTrainRunner({ configFile: deps.loaded.file, log: deps.log });

  return {
    training,
    overview() {
      const running = modelMeta(deps.model().path).sha256;
      const sprites: TeachOverview['sprites'] = {};
      const root = spritesDir(dataDir);
      for (const label of existsSync(root) ? readdirSync(root).sort() : []) {
        const dir = join(root, label);
        const list = readdirSync(dir)
          .filter((f) => f.endsWith('.json'))
          .map((f) => ({ f, card: readJson<SpriteCard>(join(dir, f)) }))
          .filter(({ f, card }) => card && existsSync(join(dir, f.replace('.json', '.png'))))
          .map(({ f, card }) => ({
            file: f.replace('.json', '.png'),
            source: card?.source ?? '',
            method: card?.method ?? '',
          }));
        if (list.length) sprites[label] = list;
      }
      const runs = existsSync(candidatesDir) ? readdirSync(candidatesDir).sort().reverse() : [];
      const state = readTrainState(dataDir);
      const captured = capturedDir(dataDir);
      return {
        runningSha256: running,
        models: listCards(dataDir).map((c) => ({
          sha256: c.sha256,
          current: c.sha256 === running,
          version: c.version,
          createdAt: c.createdAt,
          source: c.source,
        })),
        candidates: runs.flatMap((run) => {
          const card = readJson<ModelCard>(join(candidatesDir, run, 'card.json'));
          return card
            ? [
                {
                  run,
                  sha256: card.sha256,
                  version: card.version,
                  createdAt: card.createdAt,
                  data: card.data,
                },
              ]
            : [];
        }),
        sprites,
        changes: modelChanges(dataDir, 20),
        labels: spriteLabels(),
        capturedFrames: existsSync(captured)
          ? readdirSync(captured).filter((f) => f.endsWith('.jpg')).length
          : 0,
        live: training.status(),
        training: state ? { run: state.run, phase: state.phase, trainedS: Math.round(state.trainedS) } : null,
      };
    },
    spriteFile(label, file) {
      if (!SAFE.test(label) || !/^[0-9a-f]{16}\.png$/.test(file)) return null;
      const f = join(spritesDir(dataDir), label, file);
      return existsSync(f) ? f : null;
    },
    async promote(run, force, by) {
      if (!SAFE.test(run)) return { ok: false, message: 'no such candidate' };
      const candidate = join(candidatesDir, run, 'model.onnx');
      if (!existsSync(candidate)) return { ok: false, message: 'no such candidate' };
      const running = deps.model().path;
      try {
        await checkCandidate(deps.loaded.config, running, candidate);
        if (!force) {
          const c = await compareModels({ loaded: deps.loaded, current: running, candidate, log: deps.log });
          if (c.worse) return { ok: false, message: `worse than the running model: ${c.reasons.join('; ')}` };
        }
        const card = readJson<Partial<ModelCard>>(join(candidatesDir, run, 'card.json')) ?? undefined;
        const { registry } = promoteInRegistry({ dataDir, running, candidate, card, forced: force, by });
        return await outcome(registry, `promoted ${run}`);
      } catch (err) {
        if (err instanceof PromoteError) return { ok: false, message: err.message };
        throw err;
      }
    },
    async addSprite(label, bytes, source, newLabel = false) {
      const known = spriteLabels();
      try {
        if (newLabel && !known.includes(label)) {
          addNewLabel(dataDir, label, deps.model().labels);
          known.push(label);
          deps.log.info({ label }, 'new label created for a menu item no model knows');
        }
        const r = await addSprite({ dataDir, label, knownLabels: known, bytes, source });
        const name = r.file.split('/').pop() as string;
        return {
          ok: true,
          message: r.status === 'stored' ? `cut out ${source}` : `${source} was already stored`,
          file: name,
        };
      } catch (err) {
        if (err instanceof SpriteError) return { ok: false, message: `${source}: ${err.message}` };
        if (err instanceof LabelError) return { ok: false, message: err.message };
        throw err;
      }
    },
    removeSprite(label, file) {
      const f = this.spriteFile(label, file);
      if (!f) return false;
      rmSync(f, { force: true });
      rmSync(f.replace(/\.png$/, '.json'), { force: true });
      return true;
    },
    async compare(run) {
      const candidate = SAFE.test(run) ? join(candidatesDir, run, 'model.onnx') : '';
      if (!candidate || !existsSync(candidate)) return null;
      return compareModels({ loaded: deps.loaded, current: deps.model().path, candidate, log: deps.log });
    },
    async rollback(by) {
      try {
        const { registry, to } = rollbackInRegistry(dataDir, by);
        return await outcome(registry, `rolled back to ${to.slice(0, 12)}`);
      } catch (err) {
        if (err instanceof PromoteError) return { ok: false, message: err.message };
        throw err;
      }
    },
  };
}
