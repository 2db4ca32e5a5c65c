// Locate files shipped beside the compiled code (migrations, UI, schemas, models).
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | null = null;

/** The folder holding traycheck's package.json (repo root, /opt/traycheck, /app). */
export function findProjectRoot(): string {
  if (cached) return cached;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && existsSync(join(dir, 'src', 'store', 'migrations'))) return (cached = dir);
    const up = dirname(dir);
    if (up === dir)
      throw new Error('traycheck project root not found above ' + fileURLToPath(import.meta.url));
    dir = up;
  }
}

export const projectPath = (...parts: string[]): string => join(findProjectRoot(), ...parts);
