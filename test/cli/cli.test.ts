import { existsSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from '../helpers/ports.js';
import { ROOT, runCli, tempDir, writeConfig, type DaemonProc } from '../helpers/daemon.js';

const procs: DaemonProc[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const p of procs.splice(0)) await p.stop('SIGKILL');
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function start(args: string[], env: NodeJS.ProcessEnv = {}): DaemonProc {
  const p = runCli(args, env);
  procs.push(p);
  return p;
}

describe('traycheck CLI', () => {
  it('lists commands with --help and exits 2 on unknown commands and options', async () => {
    const help = start(['--help']);
    expect((await help.exited).code).toBe(0);
    const text = help.lines.map((l) => l.msg).join('\n');
    for (const cmd of ['run', 'check-config']) expect(text).toContain(cmd);

    const unknown = start(['frobnicate']);
    expect((await unknown.exited).code).toBe(2);
    expect(unknown.stderr.join('')).toMatch(/unknown command "frobnicate"/);

    const badOpt = start(['run', '--bogus']);
    expect((await badOpt.exited).code).toBe(2);
    expect(badOpt.stderr.join('')).toMatch(/Unknown option '--bogus'/);

    const cmdHelp = start(['run', '--help']);
    expect((await cmdHelp.exited).code).toBe(0);
    expect(cmdHelp.lines.map((l) => l.msg).join('\n')).toMatch(/--config/);
  });

  it('check-config exits 0 on the example and 78 with every error listed on a bad file', async () => {
    const ok = start(['check-config', join(ROOT, 'config', 'traycheck.example.yaml')]);
    expect((await ok.exited).code).toBe(0);

    const dir = tempDir();
    dirs.push(dir);
    const bad = writeConfig(dir, {
      store: { id: 'UPPER' },
      cameras: [{ id: 'c', source: 'x.mp4', fps: 0 }],
      logging: { level: 'loud' },
    });
    const p = start(['check-config', bad]);
    expect((await p.exited).code).toBe(78);
    const err = p.stderr.join('');
    expect(err).toMatch(/traycheck\.yaml:2\s+store\.id/);
    expect(err).toMatch(/cameras\[0\]\.fps: invalid value 0 \(expected number from 0.5 to 30\)/);
    expect(err).toMatch(/logging\.level/);
  });

  it('run refuses a bad config with exit 78', async () => {
    const dir = tempDir();
    dirs.push(dir);
    const bad = writeConfig(dir, { store: { id: 's' }, detector: { threads: 0 } });
    const p = start(['run', '--config', bad]);
    expect((await p.exited).code).toBe(78);
    expect(p.stderr.join('')).toMatch(/detector\.threads/);
  });

  it('every command that reads a config answers a bad one alike: exit 78, key and line, no stack trace', async () => {
    const dir = tempDir();
    dirs.push(dir);
    const bad = writeConfig(dir, { store: { id: 's' }, detector: { threads: 0 } });
    const scenario = join(ROOT, 'test', 'scenarios', 'basic.yaml');
    const runs = [
      ['run', '--config', bad],
      ['check-config', bad],
      ['demo', '--config', bad, '--port', '0'],
      ['eval', scenario, '--config', bad],
      ['scenario', 'generate', '--config', bad],
      ['simulate-pos', '--config', bad, '--count', '1'],
      ['backup', '--config', bad, '--out', join(dir, 'copy.db')],
    ];
    for (const args of runs) {
      const p = start(args);
      const { code } = await p.exited;
      const err = p.stderr.join('');
      expect({ args, code }).toEqual({ args, code: 78 });
      expect(err).toMatch(/traycheck\.yaml:4\s+detector\.threads: invalid value 0/);
      expect(err).not.toMatch(/\n\s+at /);
    }
  });

  it('run refuses a menu label the model lacks, and a corrupt model, with exit 78 and a clear message', async () => {
    const dir = tempDir();
    dirs.push(dir);
    const common = {
      store: { id: 's' },
      cameras: [],
      mqtt: { embedded: { port: 0 } },
      dashboard: { port: 0 },
      storage: { dataDir: join(dir, 'data') },
    };
    const menuCfg = writeConfig(
      dir,
      {
        ...common,
        detector: { model: join(ROOT, 'models', 'traycheck-det.onnx') },
        menu: { PIZZA: { name: 'Pizza', contains: { pizza: 1 } } },
      },
      'menu.yaml',
    );
    const p = start(['run', '--config', menuCfg]);
    expect((await p.exited).code).toBe(78);
    expect(p.stderr.join('')).toMatch(/does not know: pizza/);

    writeFileSync(join(dir, 'broken.onnx'), 'this is not an onnx model');
    const modelCfg = writeConfig(
      dir,
      { ...common, detector: { model: join(dir, 'broken.onnx') }, menu: {} },
      'model.yaml',
    );
    const q = start(['run', '--config', modelCfg]);
    expect((await q.exited).code).toBe(78);
    expect(q.stderr.join('')).toMatch(/broken\.onnx/);
  });

  it('run shuts down gracefully on SIGTERM: exit 0 and the database closed cleanly', async () => {
    const dir = tempDir();
    dirs.push(dir);
    const cfg = writeConfig(dir, {
      store: { id: 'shutdown-test' },
      cameras: [],
      menu: {},
      detector: { model: join(ROOT, 'models', 'traycheck-det.onnx') },
      mqtt: { embedded: { port: await freePort() } },
      dashboard: { port: 0 },
      storage: { dataDir: join(dir, 'data') },
      logging: { level: 'info', pretty: false },
    });
    const p = start(['run', '--config', cfg]);
    await p.waitForLog((l) => l.msg === 'traycheck ready', 30_000, 'daemon ready');
    const { code } = await p.stop('SIGTERM');
    expect(code).toBe(0);
    expect(p.lines.some((l) => l.msg === 'stopped cleanly')).toBe(true);
    const dbFile = join(dir, 'data', 'traycheck.db');
    expect(existsSync(dbFile)).toBe(true);
    // A clean close checkpoints the WAL and removes it.
    const wal = `${dbFile}-wal`;
    expect(!existsSync(wal) || statSync(wal).size === 0).toBe(true);
    const db = new Database(dbFile, { readonly: true });
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.close();
  });
});
