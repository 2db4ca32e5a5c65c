// Class names: from ONNX metadata (`names`), a sidecar JSON file, aliases to menu labels,
// and the start-up check that every menu label can be detected.
import { readFile } from 'node:fs/promises';
import type { Menu } from '../config/schema.js';

function fromIndexedObject(obj: Record<string, unknown>): string[] | null {
  const entries = Object.entries(obj);
  const names: string[] = [];
  for (const [k, v] of entries) {
    const i = Number(k);
    if (!Number.isInteger(i) || i < 0 || i >= entries.length || typeof v !== 'string') return null;
    names[i] = v;
  }
  return names.length === entries.length && names.every((n) => typeof n === 'string') ? names : null;
}

function fromJson(value: unknown): string[] | null {
  if (Array.isArray(value)) {
    const names = value.filter((v): v is string => typeof v === 'string');
    return names.length === value.length ? names : null;
  }
  if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    if ('names' in o) return fromJson(o.names);
    return fromIndexedObject(o);
  }
  return null;
}

/** Python dict literal as Ultralytics writes it: {0: 'person', 1: "men's shirt"}. */
function fromPythonDict(text: string): string[] | null {
  const body = text.trim();
  if (!body.startsWith('{') || !body.endsWith('}')) return null;
  const entry = /\s*(\d+)\s*:\s*(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)")\s*(,|$)/y;
  const inner = body.slice(1, -1);
  const obj: Record<string, string> = {};
  entry.lastIndex = 0;
  while (entry.lastIndex < inner.length) {
    const m = entry.exec(inner);
    if (!m) return null;
    obj[m[1] as string] = (m[2] ?? m[3] ?? '').replace(/\\(.)/g, '$1');
    if (m[4] === '') break;
  }
  return fromIndexedObject(obj);
}

/** Class names from a metadata value: JSON array, JSON {"0": ...} object, or a Python dict literal. */
export function parseNames(text: string): string[] | null {
  try {
    return fromJson(JSON.parse(text));
  } catch {
    return fromPythonDict(text);
  }
}

/** Reads a sidecar labels file: a JSON array of names (or {"names": [...]}, or {"0": name}). */
export async function readLabelsFile(file: string): Promise<string[]> {
  const text = await readFile(file, 'utf8');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new Error(`labels file ${file} is not JSON: ${(err as Error).message}`);
  }
  const names = fromJson(parsed);
  if (!names || names.length === 0)
    throw new Error(`labels file ${file} must hold a non-empty JSON array of class names`);
  return names;
}

/** Model labels → menu labels. Labels without an alias stay as they are. */
export function applyAliases(labels: readonly string[], aliases: Record<string, string>): string[] {
  return labels.map((l) => aliases[l] ?? l);
}

/**
 * Labels the menu needs that the detector cannot produce (sorted); empty when all are covered.
 * `waiting`: the store's new labels, which a model may not know yet (src/menu/new-labels.ts).
 */
export function checkMenuLabels(
  menu: Menu,
  labels: readonly string[],
  waiting: readonly string[] = [],
): string[] {
  const have = new Set([...labels, ...waiting]);
  const missing = new Set<string>();
  for (const item of Object.values(menu)) {
    if (item.verify === false) continue;
    for (const [label, count] of Object.entries(item.contains))
      if (count > 0 && !have.has(label)) missing.add(label);
  }
  return [...missing].sort();
}

/** `imgsz` metadata: JSON [H, W] or a single size. */
export function parseImgsz(text: string | undefined): [number, number] | null {
  if (text === undefined) return null;
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return null;
  }
  const ok = (n: unknown): n is number => typeof n === 'number' && Number.isInteger(n) && n > 0;
  if (ok(v)) return [v, v];
  if (Array.isArray(v) && v.length === 2 && ok(v[0]) && ok(v[1])) return [v[0], v[1]];
  return null;
}
