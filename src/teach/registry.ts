// The model registry: every model the store has run or may run, under <dataDir>/models/, each
// as <sha16>.onnx with its card <sha16>.card.json, plus registry.json (which one is current and
// the ones before it, for rollback) and audit.jsonl (every promotion, rollback and refusal).
// The daemon watches registry.json and swaps its model between frames (model-watch.ts); the
// CLI writes it whether the daemon runs or not.
import { createHash, randomUUID } from 'node:crypto';
import {
  appendFileSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  writeFileSync,
} from 'node:fs';
import { basename, join } from 'node:path';
import { parseImgsz, parseNames } from '../detect/labels.js';
import { readOnnxMeta } from '../detect/onnx-meta.js';

export interface ModelCard {
  sha256: string;
  /** Where the model came from (the candidate's path, or the configured model). */
  source: string;
  version: string | null;
  labels: string[];
  /** The model it was fine-tuned from. */
  base: { sha256: string; version: string | null } | null;
  /** What it was trained on (frames, sprites per label, minutes), when known. */
  data: Record<string, unknown> | null;
  createdAt: string;
  /** Compare results against the model that was current when it was promoted. */
  compare?: Record<string, unknown>;
}

export interface Registry {
  current: string | null;
  /** Earlier current models, most recent last: rollback pops from here. */
  previous: string[];
  /** Changes on every write, so the daemon can say which request it has handled. */
  requestId: string;
  updatedAt: string;
}

export interface AuditEntry {
  at: string;
  action: 'promote' | 'rollback' | 'refused' | 'loaded' | 'load-failed';
  sha256: string | null;
  from?: string | null;
  forced?: boolean;
  detail?: string;
  by?: string;
}

export const modelsDir = (dataDir: string): string => join(dataDir, 'models');
const registryFile = (dataDir: string): string => join(modelsDir(dataDir), 'registry.json');
export const modelFile = (dataDir: string, sha: string): string =>
  join(modelsDir(dataDir), `${sha.slice(0, 16)}.onnx`);
const cardFile = (dataDir: string, sha: string): string =>
  join(modelsDir(dataDir), `${sha.slice(0, 16)}.card.json`);
const auditFile = (dataDir: string): string => join(modelsDir(dataDir), 'audit.jsonl');

export function writeJsonAtomic(file: string, value: unknown): void {
  writeFileSync(`${file}.tmp`, `${JSON.stringify(value, null, 2)}\n`);
  renameSync(`${file}.tmp`, file);
}

export function sha256File(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

export function readRegistry(dataDir: string): Registry {
  const file = registryFile(dataDir);
  if (!existsSync(file)) return { current: null, previous: [], requestId: '', updatedAt: '' };
  const r = JSON.parse(readFileSync(file, 'utf8')) as Partial<Registry>;
  return {
    current: typeof r.current === 'string' ? r.current : null,
    previous: Array.isArray(r.previous) ? r.previous.filter((s): s is string => typeof s === 'string') : [],
    requestId: typeof r.requestId === 'string' ? r.requestId : '',
    updatedAt: typeof r.updatedAt === 'string' ? r.updatedAt : '',
  };
}

export function writeRegistry(dataDir: string, r: Omit<Registry, 'requestId' | 'updatedAt'>): Registry {
  mkdirSync(modelsDir(dataDir), { recursive: true });
  const full: Registry = { ...r, requestId: randomUUID(), updatedAt: new Date().toISOString() };
  writeJsonAtomic(registryFile(dataDir), full);
  return full;
}

export function audit(dataDir: string, entry: Omit<AuditEntry, 'at'>): AuditEntry {
  mkdirSync(modelsDir(dataDir), { recursive: true });
  const full = { at: new Date().toISOString(), ...entry };
  appendFileSync(auditFile(dataDir), `${JSON.stringify(full)}\n`);
  return full;
}

export function readAudit(dataDir: string, limit = 50): AuditEntry[] {
  const file = auditFile(dataDir);
  if (!existsSync(file)) return [];
  const lines = readFileSync(file, 'utf8').split('\n').filter(Boolean);
  const out: AuditEntry[] = [];
  for (const l of lines.slice(-limit)) {
    try {
      out.push(JSON.parse(l) as AuditEntry);
    } catch {
      // A line cut by a crash is skipped, not fatal.
    }
  }
  return out;
}

/** The latest promotions, rollbacks and refusals, newest first (what /tech shows). */
export function modelChanges(
  dataDir: string,
  limit = 10,
): Array<{ at: string; action: string; sha256: string | null; detail?: string }> {
  return readAudit(dataDir, limit)
    .filter((a) => a.action !== 'loaded')
    .reverse()
    .map((a) => ({
      at: a.at,
      action: a.action,
      sha256: a.sha256,
      ...(a.detail ? { detail: a.detail } : {}),
    }));
}

/** Labels and version from a model's metadata, without loading it into onnxruntime. */
export function modelMeta(file: string): {
  labels: string[];
  version: string | null;
  /** The input [height, width] the model was exported at, when its metadata says. */
  imgsz: [number, number] | null;
  sha256: string;
} {
  const bytes = readFileSync(file);
  const md = readOnnxMeta(bytes).metadata;
  return {
    labels: (md.names !== undefined ? parseNames(md.names) : null) ?? [],
    version: md.version ?? null,
    imgsz: parseImgsz(md.imgsz),
    sha256: createHash('sha256').update(bytes).digest('hex'),
  };
}

export function readCard(dataDir: string, sha: string): ModelCard | null {
  const file = cardFile(dataDir, sha);
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as ModelCard) : null;
}

/** Every model kept in the registry, oldest first. */
export function listCards(dataDir: string): ModelCard[] {
  const dir = modelsDir(dataDir);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.card.json'))
    .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as ModelCard)
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
}

export function writeCard(dataDir: string, card: ModelCard): void {
  writeJsonAtomic(cardFile(dataDir, card.sha256), card);
}

/** Copies a model into the registry (once per sha256) with its card; returns the card. */
export function importModel(dataDir: string, file: string, card?: Partial<ModelCard>): ModelCard {
  const meta = modelMeta(file);
  mkdirSync(modelsDir(dataDir), { recursive: true });
  const dest = modelFile(dataDir, meta.sha256);
  if (!existsSync(dest)) {
    copyFileSync(file, `${dest}.tmp`);
    renameSync(`${dest}.tmp`, dest);
  }
  const old = readCard(dataDir, meta.sha256);
  const full: ModelCard = {
    source: basename(file),
    base: null,
    data: null,
    createdAt: new Date().toISOString(),
    ...old,
    ...card,
    sha256: meta.sha256,
    version: meta.version,
    labels: meta.labels,
  };
  writeCard(dataDir, full);
  return full;
}

/**
 * The model the daemon runs: the registry's current one when there is one (a promotion outlives
 * a restart), else the configured `detector.model`.
 */
export function currentModelFile(dataDir: string, configured: string): string {
  const { current } = readRegistry(dataDir);
  if (current) {
    const f = modelFile(dataDir, current);
    if (existsSync(f)) return f;
  }
  return configured;
}
