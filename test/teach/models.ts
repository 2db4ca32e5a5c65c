// Candidate models for promotion tests, made from the shipped model without training: the same
// network with one more metadata entry (another sha256), or with other class names. ONNX is
// protobuf, and a repeated field (ModelProto.metadata_props = 14) may be appended at the end.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLASSES } from '../../src/sim/render/scene.js';
import { fieldString, message } from '../detect/onnx-writer.js';
import { ROOT } from '../helpers/daemon.js';

export const SHIPPED = join(ROOT, 'models', 'traycheck-det.onnx');

/** The shipped model's class names, in its class order: the renderer's classes it was trained on. */
export const SHIPPED_LABELS: readonly string[] = CLASSES;

/** The shipped model with extra metadata entries (a later entry with the same key wins). */
export function shippedWith(file: string, metadata: Record<string, string>): string {
  const entries = Object.entries(metadata).map(([k, v]) =>
    message(14, [fieldString(1, k), fieldString(2, v)]),
  );
  writeFileSync(file, Buffer.concat([readFileSync(SHIPPED), ...entries]));
  return file;
}
