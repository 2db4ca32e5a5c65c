// The import graph of src/ (docs/DESIGN.md, "Stages"): commands depend on stages, never the
// other way; the pure stages (tray/, verify/) reach nothing that does I/O. Read from the import
// statements themselves, so a new arrow fails here before review.
import { readdirSync, readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/daemon.js';

export interface Arrow {
  from: string;
  /** src-relative .ts path for our modules, the bare specifier for packages and node: builtins. */
  to: string;
  typeOnly: boolean;
}

/** Every import/export-from of a TypeScript source (static and dynamic). */
export function importsOf(file: string, text: string): Arrow[] {
  const out: Arrow[] = [];
  const add = (spec: string, typeOnly: boolean): void => {
    const to = spec.startsWith('.') ? posix.join(posix.dirname(file), spec).replace(/\.js$/, '.ts') : spec;
    out.push({ from: file, to, typeOnly });
  };
  const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  for (const m of code.matchAll(/^\s*(?:import|export)\s+(type\s+)?(?:[^;'"]*?\sfrom\s+)?['"]([^'"]+)['"]/gm))
    add(m[2] as string, Boolean(m[1]));
  for (const m of code.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)) add(m[1] as string, false);
  return out;
}

function sources(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((e) => {
    const rel = posix.join(dir, e.name);
    if (e.isDirectory()) return sources(rel);
    return e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [rel] : [];
  });
}

const ARROWS = sources('src').flatMap((f) => importsOf(f, readFileSync(join(ROOT, f), 'utf8')));
const show = (a: Arrow): string => `${a.from} -> ${a.to}`;
const under = (path: string, dir: string): boolean => path.startsWith(`src/${dir}/`);

/**
 * Arrows that break a rule below and are still to be removed by work in progress elsewhere. The
 * list only shrinks: an entry that no longer occurs fails the test until it is deleted here.
 */
const PENDING: Record<string, string> = {};

function check(rule: (a: Arrow) => boolean): string[] {
  return ARROWS.filter(rule)
    .map(show)
    .filter((s) => !(s in PENDING));
}

describe('import graph of src/', () => {
  it('parses multi-line, type-only, re-export and dynamic imports', () => {
    const text = [
      "import {\n  a,\n  b,\n} from '../x/y.js';",
      "import type { T } from './t.js';",
      "export { z } from '../z.js';",
      "// import { no } from '../commented.js';",
      "const m = await import('node:fs');",
      "import 'side-effect';",
    ].join('\n');
    expect(importsOf('src/stage/file.ts', text)).toEqual([
      { from: 'src/stage/file.ts', to: 'src/x/y.ts', typeOnly: false },
      { from: 'src/stage/file.ts', to: 'src/stage/t.ts', typeOnly: true },
      { from: 'src/stage/file.ts', to: 'src/z.ts', typeOnly: false },
      { from: 'src/stage/file.ts', to: 'side-effect', typeOnly: false },
      { from: 'src/stage/file.ts', to: 'node:fs', typeOnly: false },
    ]);
    expect(ARROWS.length).toBeGreaterThan(300);
  });

  it('no arrow from a stage back to the command line: commands live in src/cli/ only', () => {
    expect(check((a) => !under(a.from, 'cli') && under(a.to, 'cli'))).toEqual([]);
    // And no stage parses its own command line: the only entry point is src/cli/main.ts.
    const selfRunning = sources('src').filter(
      (f) => !under(f, 'cli') && /process\.argv/.test(readFileSync(join(ROOT, f), 'utf8')),
    );
    expect(selfRunning).toEqual([]);
  });

  it('no arrow from verify/ to orders/', () => {
    expect(check((a) => under(a.from, 'verify') && under(a.to, 'orders'))).toEqual([]);
  });

  it('the pure stages (tray/, verify/) import only their own folder, the shared types and pure modules', () => {
    const pure = ['tray', 'verify'];
    const allowed = (a: Arrow): boolean => {
      const stage = a.from.split('/')[1] as string;
      return (
        under(a.to, stage) ||
        a.to === 'src/types.ts' ||
        (a.typeOnly && a.to === 'src/config/schema.ts') ||
        under(a.to, 'menu')
      );
    };
    expect(check((a) => pure.some((p) => under(a.from, p)) && !allowed(a))).toEqual([]);
  });

  it('SQL lives in src/store/: no statement is prepared anywhere else', () => {
    const withSql = sources('src').filter(
      (f) =>
        !under(f, 'store') &&
        /\.(prepare|exec)\(\s*[`'"A-Z]|\.prepare</.test(readFileSync(join(ROOT, f), 'utf8')),
    );
    expect(withSql).toEqual([]);
  });

  it('every pending exception still occurs (delete it here once its arrow is gone)', () => {
    const seen = new Set(ARROWS.map(show));
    expect(Object.keys(PENDING).filter((k) => !seen.has(k))).toEqual([]);
  });

  it('resolves every relative import to a file that exists', () => {
    const files = new Set(sources('src'));
    const missing = ARROWS.filter((a) => a.to.startsWith('src/') && !files.has(a.to)).map(show);
    expect(missing).toEqual([]);
  });
});
