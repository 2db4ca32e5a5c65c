// `traycheck model compare`: the running model against a candidate on frames training did not
// see — the store's own labelled held-out frames when there are any, a synthetic held-out set
// (test seeds, rendered once and kept) always — and optionally on eval scenarios. Both models
// run through the real detect stage (worker, letterbox, NMS) as the daemon runs them.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { basename, join } from 'node:path';
import sharp from 'sharp';
import type { LoadedConfig } from '../config/load.js';
import { createDetector } from '../detect/index.js';
import { runScenario } from '../eval/run.js';
import type { Logger } from '../log.js';
import { writeDataset } from '../sim/dataset.js';
import { loadScenario } from '../sim/scenario.js';
import type { Box } from '../types.js';
import { scoreFrames, type FrameMetrics, type FrameResult, type Labelled } from './frame-metrics.js';
import { labelledHeldOut } from './heldout-frames.js';
import { sha256File } from './registry.js';
import { newLabels } from './labels.js';
import { countSprites, spritesDir, teachDir } from './sprites.js';

export interface ModelScore {
  file: string;
  sha256: string;
  labels: string[];
  synthetic: FrameMetrics;
  store: FrameMetrics | null;
  scenarios: { trays: number; wrongTrayRecall: number | null; falseAlertRate: number | null } | null;
}

export interface Comparison {
  current: ModelScore;
  candidate: ModelScore;
  /** Which held-out set decides ('store' when the store has labelled held-out frames). */
  decidedOn: 'store' | 'synthetic';
  worse: boolean;
  reasons: string[];
}

export interface CompareOptions {
  loaded: LoadedConfig;
  current: string;
  candidate: string;
  log: Logger;
  syntheticFrames?: number;
  scenarios?: string[];
  onProgress?: (what: string) => void;
}

/** Allowed drop before a candidate counts as worse (noise of a 60-frame set). */
const MAP_TOLERANCE = 0.02;
const COUNT_TOLERANCE = 0.03;

/**
 * The synthetic held-out set: test-range seeds (never used for training), rendered once. With the
 * store's new labels it shows them too (from the store's sprites: new scenes, the same cut-outs),
 * so that compare sees the new item when the store has no labelled frames.
 */
export async function syntheticHeldOut(dataDir: string, count: number): Promise<string> {
  const counts = countSprites(dataDir);
  const added = newLabels(dataDir).filter((l) => counts[l]);
  const name = `synthetic-${count}${added.length ? `-${added.join('+')}` : ''}`;
  const dir = join(teachDir(dataDir), 'heldout', name);
  if (existsSync(join(dir, 'data-test.json'))) return dir;
  if (!added.length) {
    await writeDataset({ outDir: dir, count, seed: 7, split: 'test' });
    return dir;
  }
  const sprites = join(teachDir(dataDir), 'heldout', `${name}-sprites`);
  rmSync(sprites, { recursive: true, force: true });
  mkdirSync(sprites, { recursive: true });
  for (const l of added) symlinkSync(join(spritesDir(dataDir), l), join(sprites, l));
  await writeDataset({ outDir: dir, count, seed: 7, split: 'test', sprites, newLabels: added });
  return dir;
}

/** The store's labelled frames kept out of training (YOLO layout, split "heldout"; heldout-frames.ts). */
export function storeHeldOut(dataDir: string): string | null {
  return labelledHeldOut(dataDir);
}

function readTruth(file: string, classes: string[], w: number, h: number): Labelled[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => {
      const [c, cx, cy, bw, bh] = l.trim().split(/\s+/).map(Number) as [
        number,
        number,
        number,
        number,
        number,
      ];
      const box: Box = [(cx - bw / 2) * w, (cy - bh / 2) * h, (cx + bw / 2) * w, (cy + bh / 2) * h];
      return { label: classes[c] ?? `class${c}`, box };
    });
}

async function scoreOn(
  loaded: LoadedConfig,
  file: string,
  dir: string,
  split: string,
  log: Logger,
): Promise<{ metrics: FrameMetrics; labels: string[] }> {
  const { detector: cfg } = loaded.config;
  // A low threshold for AP; counts use the daemon's own thresholds below.
  const det = createDetector({
    config: { ...cfg, model: file, scoreThreshold: 0.05, classThresholds: {}, aliases: {}, threads: 1 },
    log,
  });
  await det.start();
  try {
    const classes = readFileSync(join(dir, 'classes.txt'), 'utf8').split('\n').filter(Boolean);
    const images = readdirSync(join(dir, 'images', split))
      .filter((f) => /\.(jpe?g|png)$/i.test(f))
      .sort();
    const frames: FrameResult[] = [];
    for (const [seq, name] of images.entries()) {
      const { data, info } = await sharp(join(dir, 'images', split, name))
        .removeAlpha()
        .raw()
        .toBuffer({ resolveWithObject: true });
      const out = await det.detect({
        cameraId: 'compare',
        seq,
        ts: seq,
        width: info.width,
        height: info.height,
        data,
      });
      const truth = readTruth(
        join(dir, 'labels', split, name.replace(/\.\w+$/, '.txt')),
        classes,
        info.width,
        info.height,
      );
      frames.push({ truth, detections: out.detections });
    }
    const labels = det.info().labels;
    const threshold = (l: string): number => cfg.classThresholds[l] ?? cfg.scoreThreshold;
    return { metrics: scoreFrames(frames, labels, threshold), labels };
  } finally {
    await det.stop();
  }
}

async function scoreModel(
  opts: CompareOptions,
  file: string,
  synthetic: string,
  store: string | null,
): Promise<ModelScore> {
  const name = basename(file);
  opts.onProgress?.(`${name}: synthetic held-out frames`);
  const syn = await scoreOn(opts.loaded, file, synthetic, 'test', opts.log);
  let storeMetrics: FrameMetrics | null = null;
  if (store) {
    opts.onProgress?.(`${name}: the store's held-out frames`);
    storeMetrics = (await scoreOn(opts.loaded, file, store, 'heldout', opts.log)).metrics;
  }
  let scenarios: ModelScore['scenarios'] = null;
  if (opts.scenarios?.length) {
    let trays = 0;
    let wrong = 0;
    let caught = 0;
    let correct = 0;
    let falseAlerts = 0;
    for (const f of opts.scenarios) {
      opts.onProgress?.(`${name}: scenario ${basename(f)}`);
      const base = {
        ...opts.loaded,
        config: { ...opts.loaded.config, detector: { ...opts.loaded.config.detector, model: file } },
      };
      const { report } = await runScenario(loadScenario(f), { base, log: opts.log });
      trays += report.trays;
      wrong += report.wrongTrays;
      correct += report.correctTrays;
      caught += Math.round((report.wrongTrayRecall ?? 0) * report.wrongTrays);
      falseAlerts += Math.round((report.falseAlertRate ?? 0) * report.correctTrays);
    }
    scenarios = {
      trays,
      wrongTrayRecall: wrong ? caught / wrong : null,
      falseAlertRate: correct ? falseAlerts / correct : null,
    };
  }
  return {
    file,
    sha256: sha256File(file),
    labels: syn.labels,
    synthetic: syn.metrics,
    store: storeMetrics,
    scenarios,
  };
}

/** mAP over the classes both models know and the set has objects of. */
function sharedMap(a: FrameMetrics, b: FrameMetrics): [number, number] | null {
  const shared = Object.keys(a.ap50).filter((c) => c in b.ap50);
  if (!shared.length) return null;
  const mean = (m: FrameMetrics): number =>
    shared.reduce((s, c) => s + (m.ap50[c] as number), 0) / shared.length;
  return [mean(a), mean(b)];
}

export async function compareModels(opts: CompareOptions): Promise<Comparison> {
  const { dataDir } = opts.loaded.config.storage;
  opts.onProgress?.('rendering the synthetic held-out set');
  const synthetic = await syntheticHeldOut(dataDir, opts.syntheticFrames ?? 60);
  const store = storeHeldOut(dataDir);
  const current = await scoreModel(opts, opts.current, synthetic, store);
  const candidate = await scoreModel(opts, opts.candidate, synthetic, store);
  const decidedOn = store && current.store && candidate.store ? 'store' : 'synthetic';
  const [cur, cand] =
    decidedOn === 'store'
      ? [current.store as FrameMetrics, candidate.store as FrameMetrics]
      : [current.synthetic, candidate.synthetic];
  const reasons: string[] = [];
  const maps = sharedMap(cur, cand);
  if (maps && maps[1] < maps[0] - MAP_TOLERANCE)
    reasons.push(
      `mAP@0.5 on ${decidedOn} held-out frames ${maps[1].toFixed(3)} < ${maps[0].toFixed(3)} (current)`,
    );
  if (
    cur.trayCountAccuracy !== null &&
    cand.trayCountAccuracy !== null &&
    cand.trayCountAccuracy < cur.trayCountAccuracy - COUNT_TOLERANCE
  )
    reasons.push(
      `tray count accuracy on ${decidedOn} held-out frames ${cand.trayCountAccuracy.toFixed(3)} < ${cur.trayCountAccuracy.toFixed(3)} (current)`,
    );
  return { current, candidate, decidedOn, worse: reasons.length > 0, reasons };
}
