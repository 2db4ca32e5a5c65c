// Tests that start compiled code as a child process (the daemon, the standalone orders stage) would
// silently test stale behaviour if dist/ is older than the sources: refuse instead.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ROOT } from './daemon.js';

function newestTs(dir: string): { file: string; mtimeMs: number } | null {
  let newest: { file: string; mtimeMs: number } | null = null;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    const found = entry.isDirectory()
      ? newestTs(path)
      : entry.name.endsWith('.ts')
        ? { file: path, mtimeMs: statSync(path).mtimeMs }
        : null;
    if (found && (!newest || found.mtimeMs > newest.mtimeMs)) newest = found;
  }
  return newest;
}

/** Throws unless `entry` exists and is newer than every .ts file under `srcDirs` (relative to the root). */
export function assertBuilt(entry: string, srcDirs: readonly string[] = ['src']): void {
  if (!existsSync(entry)) throw new Error(`${entry} missing: run "npm run build" first`);
  const built = statSync(entry).mtimeMs;
  for (const dir of srcDirs) {
    const newest = newestTs(join(ROOT, dir));
    if (newest && newest.mtimeMs > built)
      throw new Error(`dist/ is older than ${relative(ROOT, newest.file)}: run "npm run build"`);
  }
}
