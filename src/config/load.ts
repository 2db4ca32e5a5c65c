// Load traycheck.yaml: parse, apply TRAYCHECK_* environment overrides, fill defaults,
// validate against the one schema and report EVERY problem at once with key path,
// line number and what was expected.
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import type { TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { LineCounter, parseDocument, isNode, type Document } from 'yaml';
import { ConfigSchema, type Config } from './schema.js';
import { applyDefaults } from './defaults.js';
import { describeExpected } from './expected.js';
import { mqttChecks } from './mqtt-checks.js';

export interface ConfigIssue {
  /** Key path like `cameras[0].fps` ('' for the whole file). */
  path: string;
  /** 1-based line in the YAML file, or null when the key came from the environment or is absent. */
  line: number | null;
  /** Where the value came from: the file or an environment variable name. */
  source: string;
  message: string;
  expected?: string;
}

export class ConfigError extends Error {
  constructor(
    readonly file: string,
    readonly issues: ConfigIssue[],
  ) {
    super(
      `${file}: ${issues.length} configuration error${issues.length === 1 ? '' : 's'}\n${formatIssues(file, issues)}`,
    );
  }
}

export interface LoadedConfig {
  config: Config;
  file: string;
  /** Directory relative paths in the file are resolved against. */
  baseDir: string;
  /** Env variables that overrode keys, for the log. */
  overrides: string[];
}

export const ENV_PREFIX = 'TRAYCHECK_';

export function formatIssues(file: string, issues: ConfigIssue[]): string {
  return issues
    .map((i) => {
      const where = i.line !== null ? `${file}:${i.line}` : i.source === file ? file : i.source;
      const key = i.path || '(root)';
      const exp = i.expected ? ` (expected ${i.expected})` : '';
      return `  ${where}  ${key}: ${i.message}${exp}`;
    })
    .join('\n');
}

/** Load and validate a config file; throws ConfigError listing every problem. */
export function loadConfig(file: string, env: NodeJS.ProcessEnv = process.env): LoadedConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    throw new ConfigError(file, [
      { path: '', line: null, source: file, message: `cannot read file (${code})` },
    ]);
  }
  return parseConfigText(text, file, env);
}

export function parseConfigText(text: string, file: string, env: NodeJS.ProcessEnv = {}): LoadedConfig {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const issues: ConfigIssue[] = [];
  for (const e of doc.errors) {
    const line = e.linePos?.[0]?.line ?? (e.pos[0] >= 0 ? lineCounter.linePos(e.pos[0]).line : null);
    issues.push({ path: '', line, source: file, message: `YAML syntax: ${e.message.split('\n')[0]}` });
  }
  if (issues.length) throw new ConfigError(file, issues);

  const raw: unknown = doc.toJS() ?? {};
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new ConfigError(file, [
      {
        path: '',
        line: 1,
        source: file,
        message: 'the file must be a mapping of sections (store:, cameras:, ...)',
      },
    ]);
  }
  const value = raw as Record<string, unknown>;
  const envSources = new Map<string, string>();
  const overrides = applyEnvOverrides(value, env, envSources, issues, file);

  const withDefaults = applyDefaults(ConfigSchema, Value.Clone(value));
  for (const err of firstErrorPerPath(ConfigSchema, withDefaults)) {
    const segs = pointerToSegments(err.path);
    const dotted = segmentsToPath(segs);
    const envName = findEnvSource(envSources, dotted);
    issues.push({
      path: dotted,
      line: envName ? null : lineOf(doc, lineCounter, segs),
      source: envName ?? file,
      message: err.message,
      expected: err.expected,
    });
  }
  const config = withDefaults as Config;
  if (issues.length === 0) issues.push(...crossChecks(config, doc, lineCounter, file));
  if (issues.length) throw new ConfigError(file, issues);

  const baseDir = dirname(resolve(file));
  return { config: resolvePaths(config, baseDir), file, baseDir, overrides };
}

interface SchemaIssue {
  path: string;
  message: string;
  expected?: string;
}

/** TypeBox reports several errors per bad value (one per union branch); keep the most useful one per path. */
function firstErrorPerPath(schema: TSchema, value: unknown): SchemaIssue[] {
  const seen = new Map<string, SchemaIssue>();
  for (const e of Value.Errors(schema, value)) {
    const isUnknownKey = e.message.toLowerCase().includes('unexpected property');
    if (seen.has(e.path)) continue;
    // A union failing at a parent path while a child path already explains it: skip the parent.
    if ([...seen.keys()].some((p) => p.startsWith(e.path + '/'))) continue;
    const got = e.value === undefined ? 'nothing' : JSON.stringify(e.value)?.slice(0, 60);
    seen.set(e.path, {
      path: e.path,
      message: isUnknownKey
        ? 'unknown key (typo?)'
        : e.value === undefined
          ? 'required key is missing'
          : `invalid value ${got}`,
      expected: isUnknownKey ? undefined : describeExpected(e.schema),
    });
  }
  // Drop parent entries that are explained by a more specific child.
  return [...seen.values()].filter(
    (i) => ![...seen.keys()].some((p) => p !== i.path && p.startsWith(i.path + '/')),
  );
}

function pointerToSegments(pointer: string): Array<string | number> {
  if (!pointer) return [];
  return pointer
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

export function segmentsToPath(segs: Array<string | number>): string {
  let out = '';
  for (const s of segs) {
    if (typeof s === 'number') out += `[${s}]`;
    else out += out ? `.${s}` : s;
  }
  return out;
}

/** Line of the deepest existing YAML node along the path (the key itself when it exists). */
function lineOf(doc: Document, lc: LineCounter, segs: Array<string | number>): number | null {
  for (let n = segs.length; n >= 0; n--) {
    const node = doc.getIn(segs.slice(0, n), true);
    if (isNode(node) && node.range) return lc.linePos(node.range[0]).line;
  }
  return null;
}

function findEnvSource(envSources: Map<string, string>, dotted: string): string | undefined {
  for (const [path, name] of envSources) {
    if (dotted === path || dotted.startsWith(path + '.') || dotted.startsWith(path + '[')) return name;
  }
  return undefined;
}

/**
 * TRAYCHECK_MQTT__URL=mqtt://... sets mqtt.url; `__` separates levels, numbers index arrays
 * (TRAYCHECK_CAMERAS__0__SOURCE). Values are parsed as JSON when they parse, else taken as strings.
 */
function applyEnvOverrides(
  target: Record<string, unknown>,
  env: NodeJS.ProcessEnv,
  sources: Map<string, string>,
  issues: ConfigIssue[],
  file: string,
): string[] {
  const applied: string[] = [];
  for (const [name, rawValue] of Object.entries(env)) {
    if (!name.startsWith(ENV_PREFIX) || rawValue === undefined) continue;
    const parts = name.slice(ENV_PREFIX.length).split('__').filter(Boolean).map(envKeyToConfigKey);
    if (parts.length === 0 || !((parts[0] as string) in ConfigSchema.properties)) continue;
    let parsed: unknown = rawValue;
    try {
      parsed = JSON.parse(rawValue);
    } catch {
      parsed = rawValue;
    }
    let node: Record<string, unknown> | unknown[] = target;
    let ok = true;
    for (let i = 0; i < parts.length - 1; i++) {
      const key = parts[i] as string | number;
      const next: unknown = (node as Record<string, unknown>)[key];
      if (next === undefined || next === null) {
        const child: Record<string, unknown> | unknown[] = typeof parts[i + 1] === 'number' ? [] : {};
        (node as Record<string, unknown>)[key] = child;
        node = child;
      } else if (typeof next === 'object') {
        node = next as Record<string, unknown>;
      } else {
        issues.push({
          path: segmentsToPath(parts.slice(0, i + 1)),
          line: null,
          source: name,
          message: 'cannot set a key below a non-mapping value',
        });
        ok = false;
        break;
      }
    }
    if (!ok) continue;
    (node as Record<string, unknown>)[parts[parts.length - 1] as string] = parsed;
    sources.set(segmentsToPath(parts), name);
    applied.push(name);
  }
  void file;
  return applied;
}

/** SNAKE_CASE env segment → camelCase key (SETTLE_WINDOW_MS → settleWindowMs); digits → array index. */
function envKeyToConfigKey(seg: string): string | number {
  if (/^\d+$/.test(seg)) return Number(seg);
  const lower = seg.toLowerCase();
  return lower.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
}

function crossChecks(config: Config, doc: Document, lc: LineCounter, file: string): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const seen = new Set<string>();
  config.cameras.forEach((cam, i) => {
    if (seen.has(cam.id)) {
      issues.push({
        path: `cameras[${i}].id`,
        line: lineOf(doc, lc, ['cameras', i, 'id']),
        source: file,
        message: `duplicate camera id "${cam.id}"`,
        expected: 'unique ids',
      });
    }
    seen.add(cam.id);
    if (cam.idleFps > cam.fps) {
      issues.push({
        path: `cameras[${i}].idleFps`,
        line: lineOf(doc, lc, ['cameras', i, 'idleFps']),
        source: file,
        message: `idleFps ${cam.idleFps} is above fps ${cam.fps}`,
        expected: `≤ ${cam.fps}`,
      });
    }
    if (cam.backoffInitialMs > cam.backoffMaxMs) {
      issues.push({
        path: `cameras[${i}].backoffInitialMs`,
        line: lineOf(doc, lc, ['cameras', i, 'backoffInitialMs']),
        source: file,
        message: 'larger than backoffMaxMs',
        expected: `≤ ${cam.backoffMaxMs}`,
      });
    }
  });
  const d = config.dashboard;
  if (Boolean(d.tlsCert) !== Boolean(d.tlsKey)) {
    const key = d.tlsCert ? 'tlsKey' : 'tlsCert';
    issues.push({
      path: `dashboard.${key}`,
      line: lineOf(doc, lc, ['dashboard']),
      source: file,
      message: 'tlsCert and tlsKey must be given together',
      expected: 'both or neither',
    });
  }
  issues.push(...mqttChecks(config, (segs) => lineOf(doc, lc, segs), file));
  for (const [sku, item] of Object.entries(config.menu)) {
    if (item.verify && Object.keys(item.contains).length === 0) {
      issues.push({
        path: `menu.${sku}.contains`,
        line: lineOf(doc, lc, ['menu', sku]),
        source: file,
        message: 'a verifiable item must contain at least one label',
        expected: 'contains: { label: count } or verify: false',
      });
    }
  }
  const menuLabels = new Set(Object.values(config.menu).flatMap((item) => Object.keys(item.contains)));
  for (const [code, mod] of Object.entries(config.modifiers)) {
    const unknown = Object.keys(mod.change).filter((label) => !menuLabels.has(label));
    if (unknown.length > 0) {
      issues.push({
        path: `modifiers.${code}.change`,
        line: lineOf(doc, lc, ['modifiers', code]),
        source: file,
        message: `label(s) no menu item contains: ${unknown.join(', ')}`,
        expected: `labels used in menu contains (${[...menuLabels].sort().join(', ')})`,
      });
    }
  }
  return issues;
}

function resolvePaths(config: Config, baseDir: string): Config {
  const abs = (p: string | undefined): string | undefined =>
    p === undefined || p === '' || isAbsolute(p) ? p : resolve(baseDir, p);
  return {
    ...config,
    detector: {
      ...config.detector,
      model: abs(config.detector.model) ?? config.detector.model,
      labelsFile: abs(config.detector.labelsFile),
    },
    storage: { ...config.storage, dataDir: abs(config.storage.dataDir) ?? config.storage.dataDir },
    mqtt: {
      ...config.mqtt,
      caFile: abs(config.mqtt.caFile),
      embedded: {
        ...config.mqtt.embedded,
        ...(config.mqtt.embedded.tls
          ? {
              tls: {
                ...config.mqtt.embedded.tls,
                certFile: abs(config.mqtt.embedded.tls.certFile) ?? config.mqtt.embedded.tls.certFile,
                keyFile: abs(config.mqtt.embedded.tls.keyFile) ?? config.mqtt.embedded.tls.keyFile,
              },
            }
          : {}),
      },
    },
    dashboard: {
      ...config.dashboard,
      tlsCert: abs(config.dashboard.tlsCert),
      tlsKey: abs(config.dashboard.tlsKey),
    },
    cameras: config.cameras.map((c) => ({ ...c, source: resolveSource(c.source, baseDir) })),
  };
}

function resolveSource(source: string, baseDir: string): string {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(source)) return source;
  if (source.startsWith('sim:')) {
    const rest = source.slice(4);
    return rest === '' || rest.startsWith('builtin') || isAbsolute(rest)
      ? source
      : `sim:${resolve(baseDir, rest)}`;
  }
  return isAbsolute(source) ? source : resolve(baseDir, source);
}
