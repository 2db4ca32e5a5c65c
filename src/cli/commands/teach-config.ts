// What the teaching commands (sprites, model, train) share: the config (for dataDir, the
// configured model and the menu) and the labels a sprite may carry.
import { ConfigError, formatIssues, loadConfig, type LoadedConfig } from '../../config/load.js';
import { projectPath } from '../../paths.js';
import { currentModelFile, modelMeta } from '../../teach/registry.js';
import { newLabels } from '../../teach/labels.js';
import { UsageError, type ParsedArgs } from '../command.js';

export const configOption = {
  config: {
    type: 'string' as const,
    short: 'c',
    valueName: 'file',
    description: 'Config file (YAML): dataDir, model and menu. Required.',
  },
};

/** The loaded config, or a printed list of its errors (the caller exits 78). */
export function loadTeachConfig(args: ParsedArgs): LoadedConfig | null {
  const file = args.values.config;
  if (typeof file !== 'string' || file === '') throw new UsageError('missing required option --config');
  try {
    return loadConfig(file);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(
      `${err.issues.length} configuration error(s) in ${file}:\n${formatIssues(file, err.issues)}\n`,
    );
    return null;
  }
}

/** The model the daemon runs (registry's current, else the configured one). */
export function runningModelFile(loaded: LoadedConfig): string {
  return currentModelFile(loaded.config.storage.dataDir, loaded.config.detector.model);
}

/** The running model's labels (the shipped model's when the running one cannot be read). */
export function modelLabels(loaded: LoadedConfig): string[] {
  try {
    return modelMeta(runningModelFile(loaded)).labels;
  } catch {
    return modelMeta(projectPath('models', 'traycheck-det.onnx')).labels;
  }
}

/** Item labels a sprite may have: the running model's (without tray and hand) and the store's new ones. */
export function spriteLabels(loaded: LoadedConfig): string[] {
  const items = modelLabels(loaded).filter((l) => l !== 'tray' && l !== 'hand');
  for (const l of newLabels(loaded.config.storage.dataDir)) if (!items.includes(l)) items.push(l);
  return items;
}
