// What a reader of the repository must be able to follow: comments cite what is in it (not a
// style guide kept elsewhere, an issue tracker or a person), tests print only measurements, and
// a file that says which npm script runs it names the right one.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/daemon.js';

const SKIP = new Set(['node_modules', 'dist', 'results', 'fixtures', 'runs']);

function files(dir: string, ext: RegExp): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((e) => {
    const rel = join(dir, e.name);
    if (e.isDirectory()) return SKIP.has(e.name) ? [] : files(rel, ext);
    return ext.test(e.name) ? [rel] : [];
  });
}

/** The comment text of a TS/JS/shell/Python file, line by line (good enough: no parser). */
function commentLines(file: string): Array<{ line: number; text: string }> {
  const out: Array<{ line: number; text: string }> = [];
  readFileSync(join(ROOT, file), 'utf8')
    .split('\n')
    .forEach((l, i) => {
      const m = /(?:^|\s)(?:\/\/|\/?\*|#)\s?(.*)$/.exec(l);
      if (m?.[1] !== undefined) out.push({ line: i + 1, text: m[1] });
    });
  return out;
}

const SOURCES = ['src', 'test', 'bench', 'scripts', 'tools'].flatMap((d) => files(d, /\.(ts|mjs|js|sh|py)$/));

describe('source hygiene', () => {
  it('comments cite nothing outside the repository: no STYLE.md, issue numbers or "the lead"', () => {
    const pending = new Set<string>();
    const bad = SOURCES.filter((f) => f !== relative(ROOT, import.meta.filename)).flatMap((f) =>
      commentLines(f)
        .filter(({ text }) => /STYLE\.md|\bissue #?\d+|\bthe lead\b/i.test(text))
        .filter(({ line }) => !pending.has(`${f}:${line}`))
        .map(({ line, text }) => `${f}:${line}: ${text.trim()}`),
    );
    expect(bad).toEqual([]);
  });

  it('tests print nothing but measurements', () => {
    // Files whose console.log reports a figure the test measured (kept on purpose).
    const measurements = new Set([
      'test/ops/unit.test.ts',
      'test/dashboard/live-cost.test.ts',
      'test/dashboard/staff-screen.test.ts',
      'test/teach/new-label.test.ts',
    ]);
    const bad = files('test', /\.ts$/)
      .filter((f) => !measurements.has(f) && f !== relative(ROOT, import.meta.filename))
      .filter((f) => readFileSync(join(ROOT, f), 'utf8').includes('console.log('));
    expect(bad).toEqual([]);
  });

  it('a file that names the npm script running it names one that does', () => {
    const scripts = (
      JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }
    ).scripts;
    const claims = files('src', /\.ts$/).flatMap((f) => {
      const m = /run by `npm run ([\w:-]+)`/i.exec(readFileSync(join(ROOT, f), 'utf8'));
      return m?.[1] ? [{ file: f, script: m[1] }] : [];
    });
    expect(claims.length).toBeGreaterThan(0);
    for (const { file, script } of claims) {
      const compiled = `dist/${file.replace(/\.ts$/, '.js')}`;
      expect(scripts[script] ?? '', `${file} says \`npm run ${script}\` runs it`).toContain(compiled);
    }
  });
});
