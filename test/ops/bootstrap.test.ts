// scripts/bootstrap.sh: `npm run demo` installs what the product runs on, `npm test` (and so
// .ci/run) also what the tests run against.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/daemon.js';

const SCRIPT = join(ROOT, 'scripts', 'bootstrap.sh');
const packages = (mode: string): string[] => {
  const r = spawnSync('bash', [SCRIPT, '--list', mode], { encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  return r.stdout.split('\n').filter(Boolean);
};
const scripts = (
  JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }
).scripts;

describe('bootstrap', () => {
  it('the product needs ffmpeg only; the tests add mosquitto, chromium, systemd tools and the RTSP server', () => {
    expect(packages('product')).toEqual(['ffmpeg']);
    const test = packages('test');
    expect(test).toEqual(expect.arrayContaining(['ffmpeg', 'mosquitto', 'chromium', 'systemd']));
    expect(test).toContain('gir1.2-gst-rtsp-server-1.0');
  });

  it('npm run demo bootstraps the product, npm test (what .ci/run calls) the tests', () => {
    expect(scripts.demo).toMatch(/^bash scripts\/bootstrap\.sh && /);
    expect(scripts.test).toMatch(/^bash scripts\/bootstrap\.sh test && vitest run$/);
    expect(readFileSync(join(ROOT, '.ci', 'run'), 'utf8')).toMatch(/^npm test$/m);
  });

  it('refuses an unknown mode with exit 2', () => {
    const r = spawnSync('bash', [SCRIPT, 'everything'], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/usage: scripts\/bootstrap\.sh/);
  });
});
