// `traycheck model export` and `model import`: a fleet's model bundles (src/teach/bundle.ts).
// Import refuses a bundle whose model lacks a label the store's menu uses, naming them, and
// installs the others as a candidate: compare and promote it like a store-trained model.
import { resolve } from 'node:path';
import type { LoadedConfig } from '../../config/load.js';
import { checkMenuLabels } from '../../detect/index.js';
import { BundleError, exportBundle, readBundle } from '../../teach/bundle.js';
import { checkCandidate, PromoteError } from '../../teach/promote.js';
import { importModel, modelFile } from '../../teach/registry.js';
import { UsageError } from '../command.js';

export function runExport(
  loaded: LoadedConfig,
  running: string,
  out: string | undefined,
  model?: string,
): number {
  if (!out) throw new UsageError('model export needs --out FOLDER');
  const { config } = loaded;
  try {
    const m = exportBundle({
      dataDir: config.storage.dataDir,
      model: model ?? running,
      out: resolve(out),
      from: config.store.id,
    });
    process.stdout.write(
      `exported ${m.sha256.slice(0, 12)} (version ${m.version ?? '?'}, ${m.labels.length} labels) to ${resolve(out)}\n`,
    );
    return 0;
  } catch (err) {
    if (!(err instanceof BundleError)) throw err;
    process.stderr.write(`${err.message}\n`);
    return 1;
  }
}

export async function runImport(loaded: LoadedConfig, running: string, dir: string): Promise<number> {
  const { config } = loaded;
  try {
    const { manifest, model, card } = readBundle(resolve(dir));
    const missing = checkMenuLabels(config.menu, manifest.labels);
    if (missing.length)
      throw new BundleError(
        `refused: the bundle's model does not know label(s) this store's menu uses: ${missing.join(', ')} (bundle labels: ${manifest.labels.join(', ')})`,
      );
    await checkCandidate(config, running, model);
    const stored = importModel(config.storage.dataDir, model, {
      ...card,
      source: `bundle from ${manifest.from ?? '?'} (${manifest.exportedAt})`,
    });
    const file = modelFile(config.storage.dataDir, stored.sha256);
    process.stdout.write(
      `imported ${stored.sha256.slice(0, 12)} as a candidate: ${file}\n` +
        `next: traycheck model compare --config ${loaded.file} ${file}, then model promote\n`,
    );
    return 0;
  } catch (err) {
    if (!(err instanceof BundleError) && !(err instanceof PromoteError)) throw err;
    process.stderr.write(`${err.message}\n`);
    return 1;
  }
}
