// Paths the detect tests use. The interop fixtures live beside the repo (../shared/interop) and
// are never copied into it; tests that need them skip, saying so, when they are absent.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '..', '..');
export const INTEROP = join(ROOT, '..', 'shared', 'interop');
export const YOLOX_MODEL = join(INTEROP, 'yolox-nano', 'yolox_nano.onnx');
export const PHOTOS = join(INTEROP, 'photos');
export const COCO_LABELS = join(import.meta.dirname, 'fixtures', 'coco80.json');
/** The shipped model; TRAYCHECK_DET_MODEL points the tests at a candidate export instead. */
export const TRAYCHECK_MODEL = process.env.TRAYCHECK_DET_MODEL ?? join(ROOT, 'models', 'traycheck-det.onnx');

/** true when `path` exists; otherwise warns (visible in the test output) and returns false. */
export function present(path: string, what: string): boolean {
  if (existsSync(path)) return true;
  console.warn(`SKIPPED ${what}: ${path} is missing`);
  return false;
}
