// Shared by the ops tests: the ship list (scripts/ship-files.txt) and a production node_modules
// assembled from the checkout's own installed tree (npm's view of the non-dev dependencies).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

export const ROOT = join(import.meta.dirname, '..', '..');

export function shipEntries(): string[] {
  return readFileSync(join(ROOT, 'scripts', 'ship-files.txt'), 'utf8')
    .split('\n')
    .map((l) => l.replace(/#.*/, '').trim())
    .filter(Boolean);
}

export const missingShipEntries = (): string[] => shipEntries().filter((e) => !existsSync(join(ROOT, e)));

/** Package folders (relative to ROOT, e.g. node_modules/pino) npm counts as production dependencies. */
export function productionPackages(): string[] {
  const r = spawnSync('npm', ['ls', '--omit=dev', '--all', '--parseable'], { cwd: ROOT, encoding: 'utf8' });
  if (!r.stdout) throw new Error(`npm ls failed: ${r.stderr}`);
  return r.stdout
    .split('\n')
    .filter((p) => p.startsWith(join(ROOT, 'node_modules')))
    .map((p) => relative(ROOT, p));
}

/**
 * Builds a production node_modules at DEST from the checkout's installed packages (hard links, so
 * it is fast and copies nothing). Returns the package folders npm counts as production.
 */
export function assembleProductionModules(dest: string): string[] {
  const pkgs = productionPackages();
  // Nested packages (node_modules/a/node_modules/b) come along with their parent folder.
  const top = pkgs.filter((p) => !pkgs.some((q) => q !== p && p.startsWith(`${q}/node_modules/`)));
  mkdirSync(dest, { recursive: true });
  const r = spawnSync('cp', ['-al', '--parents', ...top, dest], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) {
    const c = spawnSync('cp', ['-a', '--parents', ...top, dest], { cwd: ROOT, encoding: 'utf8' });
    if (c.status !== 0) throw new Error(`copying production packages failed: ${r.stderr} ${c.stderr}`);
  }
  return pkgs;
}
