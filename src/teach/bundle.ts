// Model bundles for a fleet: one folder a head office copies to every store of one menu.
//   bundle.json  format, sha256 of model.onnx, version, labels, base model, when exported
//   model.onnx   the model
//   card.json    its registry card (what it was trained on, compare results)
//   labels.txt   its labels, one a line (for people; bundle.json is what is checked)
// Import verifies the sha256 and that the labels inside the model are the bundle's, then the
// caller checks them against the store's menu and installs the model as a candidate.
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { modelMeta, readCard, sha256File, writeJsonAtomic, type ModelCard } from './registry.js';

export const BUNDLE_FORMAT = 'traycheck-model-bundle';

export interface BundleManifest {
  format: typeof BUNDLE_FORMAT;
  formatVersion: 1;
  sha256: string;
  version: string | null;
  labels: string[];
  base: ModelCard['base'];
  exportedAt: string;
  /** store.id of the exporting store, when known. */
  from: string | null;
}

export class BundleError extends Error {}

/** Writes the bundle of `model` into the empty (or new) folder `out`. */
export function exportBundle(o: {
  dataDir: string;
  model: string;
  out: string;
  from: string | null;
}): BundleManifest {
  if (existsSync(o.out) && readdirSync(o.out).length)
    throw new BundleError(`${o.out} is not empty: export into a new folder`);
  mkdirSync(o.out, { recursive: true });
  const meta = modelMeta(o.model);
  const card: ModelCard = readCard(o.dataDir, meta.sha256) ?? {
    sha256: meta.sha256,
    source: o.model,
    version: meta.version,
    labels: meta.labels,
    base: null,
    data: null,
    createdAt: new Date().toISOString(),
  };
  const manifest: BundleManifest = {
    format: BUNDLE_FORMAT,
    formatVersion: 1,
    sha256: meta.sha256,
    version: meta.version,
    labels: meta.labels,
    base: card.base,
    exportedAt: new Date().toISOString(),
    from: o.from,
  };
  copyFileSync(o.model, join(o.out, 'model.onnx'));
  writeJsonAtomic(join(o.out, 'card.json'), card);
  writeFileSync(join(o.out, 'labels.txt'), `${meta.labels.join('\n')}\n`);
  // The manifest last: a folder without it is an export that did not finish.
  writeJsonAtomic(join(o.out, 'bundle.json'), manifest);
  return manifest;
}

/** The bundle in `dir`, checked: its model's sha256 and labels are the manifest's. */
export function readBundle(dir: string): {
  manifest: BundleManifest;
  model: string;
  card: Partial<ModelCard>;
} {
  const file = join(dir, 'bundle.json');
  if (!existsSync(file)) throw new BundleError(`${dir} is not a model bundle (no bundle.json)`);
  let manifest: BundleManifest;
  try {
    manifest = JSON.parse(readFileSync(file, 'utf8')) as BundleManifest;
  } catch (err) {
    throw new BundleError(`${file} is not JSON: ${(err as Error).message}`);
  }
  if (manifest.format !== BUNDLE_FORMAT || manifest.formatVersion !== 1)
    throw new BundleError(`${file}: not a ${BUNDLE_FORMAT} version 1`);
  const model = join(dir, 'model.onnx');
  if (!existsSync(model)) throw new BundleError(`${dir} has no model.onnx`);
  // The checksum first: a damaged file may not even parse as ONNX.
  const sha = sha256File(model);
  if (sha !== manifest.sha256)
    throw new BundleError(
      `model.onnx is damaged or was replaced: its sha256 is ${sha}, the bundle says ${manifest.sha256}`,
    );
  const meta = modelMeta(model);
  if (meta.labels.join('\n') !== manifest.labels.join('\n'))
    throw new BundleError(`model.onnx's labels (${meta.labels.join(', ')}) are not the bundle's`);
  const cardFile = join(dir, 'card.json');
  const card = existsSync(cardFile) ? (JSON.parse(readFileSync(cardFile, 'utf8')) as Partial<ModelCard>) : {};
  return { manifest, model, card };
}
