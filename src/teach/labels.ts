// The store's label registry: labels created for menu items no model knows yet (a hot dog),
// in <dataDir>/teach/labels.json in the order they were created. Training gives them class
// indices after the base model's classes in that order (src/sim/new-labels.ts), and the daemon
// lets the menu use them before a model knows them (src/menu/pending.ts).
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** A label is a class name in the model and a key in the menu: short, lowercase, no spaces. */
export const NEW_LABEL_PATTERN = /^[a-z][a-z0-9_]{0,31}$/;
/** Each label adds a class to every frame's output; a store adds a few items, not a new menu. */
export const MAX_NEW_LABELS = 16;

export class LabelError extends Error {}

const labelsFile = (dataDir: string): string => join(dataDir, 'teach', 'labels.json');

/** Labels created for menu items no model knows yet, in the order they were created. */
export function newLabels(dataDir: string): string[] {
  const file = labelsFile(dataDir);
  if (!existsSync(file)) return [];
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as { labels?: unknown };
  return Array.isArray(parsed.labels) ? parsed.labels.filter((l): l is string => typeof l === 'string') : [];
}

/**
 * Why `label` cannot be created next to the model's labels and the store's, or null. A label
 * the store already created is fine (adding photos to it again).
 */
export function newLabelProblem(
  dataDir: string,
  label: string,
  modelLabels: readonly string[],
): string | null {
  if (!NEW_LABEL_PATTERN.test(label))
    return `label "${label}" must start with a letter and hold only lowercase letters, digits and _ (at most 32)`;
  const store = newLabels(dataDir);
  if (store.includes(label)) return null;
  if (modelLabels.includes(label))
    return `label "${label}" is already a model label: use it without --new-label`;
  const near = [...modelLabels, ...store].find((l) => l.replace(/[-_]/g, '') === label.replace(/_/g, ''));
  if (near) return `label "${label}" is too close to the existing label "${near}"`;
  if (store.length >= MAX_NEW_LABELS)
    return `the store already has ${store.length} new labels (${store.join(', ')}), the most allowed`;
  return null;
}

/** Records a new label (checked with newLabelProblem first; throws a LabelError with the reason). */
export function addNewLabel(dataDir: string, label: string, modelLabels: readonly string[]): boolean {
  const problem = newLabelProblem(dataDir, label, modelLabels);
  if (problem) throw new LabelError(problem);
  const labels = newLabels(dataDir);
  if (labels.includes(label)) return false;
  const file = labelsFile(dataDir);
  mkdirSync(join(dataDir, 'teach'), { recursive: true });
  writeFileSync(`${file}.tmp`, `${JSON.stringify({ labels: [...labels, label] }, null, 2)}\n`);
  renameSync(`${file}.tmp`, file);
  return true;
}
