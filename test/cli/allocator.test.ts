// The glibc malloc settings: one definition (src/allocator.ts), carried by every way the
// daemon is started (systemd unit, Docker image, npm scripts), and the warning without them.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ALLOCATOR_ENV, allocatorEnvLine, allocatorWarning } from '../../src/allocator.js';
import { spawnFfmpeg } from '../../src/camera/ffmpeg-process.js';
import { ROOT } from '../helpers/daemon.js';

const read = (f: string): string => readFileSync(join(ROOT, f), 'utf8');

describe('glibc malloc settings', () => {
  it('are set by the systemd unit, the Docker image and the npm scripts that start the daemon', () => {
    expect(Object.keys(ALLOCATOR_ENV).length).toBeGreaterThan(0);
    const unitEnv = read('systemd/traycheck.service')
      .split('\n')
      .filter((l) => l.startsWith('Environment='))
      .flatMap((l) => l.slice('Environment='.length).split(/\s+/));
    const docker = read('Dockerfile.arm64');
    const scripts = (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts;
    for (const [k, v] of Object.entries(ALLOCATOR_ENV)) {
      expect(unitEnv).toContain(`${k}=${v}`);
      expect(docker).toMatch(new RegExp(`^\\s*(ENV )?${k}=${v}\\b`, 'm'));
    }
    for (const name of ['demo', 'start']) expect(scripts[name]).toContain(`${allocatorEnvLine()} node `);
  });

  it('warns on glibc without them, not with them, with a tunable, or off glibc', () => {
    expect(allocatorWarning({}, '2.36')).toMatch(/MALLOC_ARENA_MAX=2 MALLOC_MMAP_THRESHOLD_=131072/);
    expect(allocatorWarning({ MALLOC_ARENA_MAX: '2' }, '2.36')).not.toBeNull();
    expect(allocatorWarning({ ...ALLOCATOR_ENV }, '2.36')).toBeNull();
    expect(allocatorWarning({ GLIBC_TUNABLES: 'glibc.malloc.arena_max=2' }, '2.36')).toBeNull();
    expect(allocatorWarning({}, undefined)).toBeNull();
  });

  it('are not passed on to ffmpeg', async () => {
    const saved = { ...process.env };
    Object.assign(process.env, ALLOCATOR_ENV);
    try {
      // spawnFfmpeg takes the binary: /usr/bin/env prints the environment ffmpeg would get.
      const proc = spawnFfmpeg('/usr/bin/env', [], false);
      let out = '';
      proc.child.stdout?.on('data', (d: Buffer) => (out += d.toString('utf8')));
      expect((await proc.closed).code).toBe(0);
      expect(out).toMatch(/^PATH=/m);
      for (const k of Object.keys(ALLOCATOR_ENV)) expect(out).not.toMatch(new RegExp(`^${k}=`, 'm'));
    } finally {
      for (const k of Object.keys(ALLOCATOR_ENV)) if (!(k in saved)) delete process.env[k];
    }
  });
});
