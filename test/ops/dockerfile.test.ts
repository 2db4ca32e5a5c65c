// Docker cannot run here, so Dockerfile.arm64 is parsed and held to its invariants: arm64 on every
// stage, Node 22, a non-root final user, a health check without curl, node_modules only from the
// production-deps stage, no compilers in the final image, and the same shipped files as install.sh.
import { spawn, spawnSync } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { missingShipEntries, ROOT, shipEntries } from './ship.js';

interface Instruction {
  op: string;
  args: string;
}
interface Stage {
  base: string;
  platform: string | null;
  name: string | null;
  body: Instruction[];
}

function parseDockerfile(text: string): Stage[] {
  const logical: string[] = [];
  let cur = '';
  for (const raw of text.split('\n')) {
    const line = raw.trimEnd();
    if (/^\s*#/.test(line)) continue; // comments (and parser directives)
    if (line.endsWith('\\')) {
      cur += line.slice(0, -1) + ' ';
      continue;
    }
    cur += line;
    if (cur.trim()) logical.push(cur.trim().replace(/\s+/g, ' '));
    cur = '';
  }
  const stages: Stage[] = [];
  for (const l of logical) {
    const [op = '', ...rest] = l.split(' ');
    const args = rest.join(' ');
    if (op.toUpperCase() === 'FROM') {
      const m = /^(?:--platform=(\S+) )?(\S+)(?: AS (\S+))?$/i.exec(args);
      if (!m) throw new Error(`unparsed FROM: ${args}`);
      stages.push({ platform: m[1] ?? null, base: m[2] ?? '', name: m[3] ?? null, body: [] });
    } else {
      const stage = stages.at(-1);
      if (!stage) throw new Error(`${op} before FROM`);
      stage.body.push({ op: op.toUpperCase(), args });
    }
  }
  return stages;
}

const text = readFileSync(join(ROOT, 'Dockerfile.arm64'), 'utf8');
const stages = parseDockerfile(text);
const final = stages.at(-1) as Stage;
const byName = (n: string): Stage | undefined => stages.find((s) => s.name === n);
const ops = (s: Stage, op: string): string[] => s.body.filter((i) => i.op === op).map((i) => i.args);
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

/** COPY [--from=x] [--chown=...] src... dest → { from, sources, dest } */
function copies(s: Stage): { from: string | null; sources: string[]; dest: string }[] {
  return ops(s, 'COPY').map((a) => {
    const parts = a.split(' ');
    const flags = parts.filter((p) => p.startsWith('--'));
    const paths = parts.filter((p) => !p.startsWith('--'));
    const from = flags.find((f) => f.startsWith('--from='))?.slice('--from='.length) ?? null;
    return { from, sources: paths.slice(0, -1), dest: paths.at(-1) ?? '' };
  });
}

describe('Dockerfile.arm64', () => {
  it('builds every stage for linux/arm64 on Node 22 (bookworm slim)', () => {
    expect(stages.length).toBeGreaterThanOrEqual(3);
    for (const s of stages) {
      expect(s.platform, `FROM ${s.base} AS ${s.name}`).toBe('linux/arm64');
      expect(s.base).toBe('node:22-bookworm-slim');
    }
  });

  it('runs the final stage as a non-root user under tini, with /data, ports and a curl-free health check', () => {
    const user = ops(final, 'USER').at(-1) ?? '';
    expect(user).not.toBe('');
    const [u] = user.split(':');
    expect(u).not.toBe('root');
    expect(Number(u)).not.toBe(0);
    expect(u).toBe('10001');
    expect(ops(final, 'VOLUME').join(' ')).toContain('/data');
    expect(ops(final, 'EXPOSE').join(' ').split(' ').sort()).toEqual(['1883', '8080']);
    const hc = ops(final, 'HEALTHCHECK').at(-1) ?? '';
    expect(hc).toMatch(/CMD \["node", "-e", "fetch\('http:\/\/127\.0\.0\.1:8080\/api\/health'/);
    expect(final.body.map((i) => i.args).join(' ')).not.toMatch(/\b(curl|wget)\b/);
    expect(ops(final, 'ENTRYPOINT').at(-1)).toBe('["/usr/bin/tini", "--"]');
    expect(ops(final, 'CMD').at(-1)).toBe(
      '["node", "/app/dist/src/cli/main.js", "run", "--config", "/etc/traycheck/traycheck.yaml"]',
    );
    expect(ops(final, 'ENV').join(' ')).toMatch(/NODE_ENV=production/);
  });

  it('installs ffmpeg and tini in the final image and no build tools', () => {
    const runs = ops(final, 'RUN').join(' ');
    expect(runs).toMatch(/apt-get install -y --no-install-recommends ffmpeg tini/);
    for (const tool of ['g++', 'gcc', 'make', 'python3', 'build-essential', 'node-gyp']) {
      expect(runs.split(' '), tool).not.toContain(tool);
    }
    expect(runs).toMatch(/rm -rf \/var\/lib\/apt\/lists/);
  });

  it('skips the onnxruntime GPU download wherever npm ci runs', () => {
    for (const s of stages.filter((st) => ops(st, 'RUN').some((r) => r.includes('npm ci')))) {
      expect(ops(s, 'ENV').join(' '), s.name ?? s.base).toContain('ONNXRUNTIME_NODE_INSTALL=skip');
    }
  });

  it('takes node_modules only from the production-deps stage, which installs without devDependencies', () => {
    const prod = byName('prod-deps');
    expect(prod).toBeDefined();
    const prodRuns = ops(prod as Stage, 'RUN').join(' ');
    expect(prodRuns).toMatch(/npm ci --omit=dev/);
    // Its package.json is the staged one (stage-app.sh drops devDependencies), not the checkout's.
    expect(copies(prod as Stage)).toEqual([
      { from: 'build', sources: ['/out/app/package.json', '/out/app/package-lock.json'], dest: './' },
      { from: 'build', sources: ['/src/scripts/prune-modules.sh'], dest: '/usr/local/bin/prune-modules.sh' },
    ]);
    expect(prodRuns).toMatch(/prune-modules\.sh node_modules/);
    const finalCopies = copies(final);
    for (const c of finalCopies) expect(c.from, `COPY ${c.sources.join(' ')}`).not.toBeNull(); // nothing from the build context
    const nm = finalCopies.filter((c) => c.sources.some((s) => s.includes('node_modules')));
    expect(nm).toEqual([
      { from: 'prod-deps', sources: ['/out/app/node_modules'], dest: '/app/node_modules' },
    ]);
    for (const c of finalCopies) {
      for (const dev of Object.keys(pkg.devDependencies)) {
        expect(
          c.sources.some((s) => s.split('/').includes(dev)),
          `${dev} copied`,
        ).toBe(false);
      }
    }
  });

  it('ships what install.sh ships: both stage scripts/ship-files.txt with scripts/stage-app.sh', () => {
    const build = byName('build') as Stage;
    expect(ops(build, 'RUN').join(' ')).toMatch(/bash scripts\/stage-app\.sh \/src \/out\/app/);
    const install = readFileSync(join(ROOT, 'scripts', 'install.sh'), 'utf8');
    expect(install).toMatch(/bash "\$src\/scripts\/stage-app\.sh"/);
    const app = copies(final).filter((c) => c.from === 'build');
    expect(app).toEqual([{ from: 'build', sources: ['/out/app'], dest: '/app' }]);
    // The build context must hold every shipped source (dist is built inside the image).
    const ignored = readFileSync(join(ROOT, '.dockerignore'), 'utf8')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#'));
    for (const entry of [...shipEntries().filter((e) => e !== 'dist'), 'src', 'tsconfig.json', 'scripts']) {
      const hit = ignored.find((p) => p === entry || entry.startsWith(`${p}/`));
      expect(hit, `${entry} is excluded by .dockerignore (${hit})`).toBeUndefined();
    }
    expect(ignored).toContain('node_modules');
  });
});

describe("Dockerfile.arm64 HEALTHCHECK command (run with this machine's node)", () => {
  const hc = ops(final, 'HEALTHCHECK').at(-1) ?? '';
  const argv = JSON.parse(hc.slice(hc.indexOf('CMD ') + 4)) as string[];
  let server: Server | null = null;
  afterAll(() => new Promise<void>((r) => (server ? server.close(() => r()) : r())));

  const probe = (port: number, env: NodeJS.ProcessEnv = {}): Promise<number | null> =>
    new Promise((resolve) => {
      const code = (argv[2] ?? '').replace('127.0.0.1:8080', `127.0.0.1:${port}`);
      const child = spawn(process.execPath, ['-e', code], {
        env: { ...process.env, ...env },
        stdio: 'ignore',
      });
      child.on('exit', (c) => resolve(c));
    });

  it('is healthy while the daemon answers (200, 503, 401), unhealthy on errors or no answer', async () => {
    expect(argv.slice(0, 2)).toEqual(['node', '-e']);
    let status = 200;
    let auth: string | undefined;
    server = createServer((req, res) => {
      auth = req.headers.authorization;
      res.writeHead(req.url === '/api/health' ? status : 404).end('{}');
    });
    await new Promise<void>((r) => server?.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    expect(await probe(port)).toBe(0);
    status = 503;
    expect(await probe(port)).toBe(0);
    status = 401;
    expect(await probe(port)).toBe(0);
    status = 500;
    expect(await probe(port)).toBe(1);
    status = 200;
    expect(await probe(port, { TRAYCHECK_DASHBOARD__METRICS_TOKEN: 'sixteen-chars-token' })).toBe(0);
    expect(auth).toBe('Bearer sixteen-chars-token');
    await new Promise<void>((r) => server?.close(() => r()));
    server = null;
    expect(await probe(port)).toBe(1);
  });
});

describe('scripts/stage-app.sh output (what both ship)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'traycheck-stage-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.skipIf(spawnSync('test', ['-f', join(ROOT, 'dist/src/cli/main.js')]).status !== 0)(
    'holds exactly the ship list, and a package.json without devDependencies',
    () => {
      const missing = missingShipEntries();
      const args = [
        join(ROOT, 'scripts/stage-app.sh'),
        ...(missing.length ? ['--allow-missing'] : []),
        ROOT,
        join(dir, 'app'),
      ];
      const r = spawnSync('bash', args, { encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
      const top = spawnSync('ls', ['-A', join(dir, 'app')], { encoding: 'utf8' })
        .stdout.split('\n')
        .filter(Boolean)
        .sort();
      const expectedTop = [
        ...new Set(
          shipEntries()
            .filter((e) => !missing.includes(e))
            .map((e) => e.split('/')[0] ?? e),
        ),
      ].sort();
      expect(top).toEqual(expectedTop);
      const staged = JSON.parse(readFileSync(join(dir, 'app', 'package.json'), 'utf8')) as Record<
        string,
        unknown
      >;
      expect(staged.devDependencies).toBeUndefined();
      expect(staged.dependencies).toEqual(pkg.dependencies);
    },
  );
});
