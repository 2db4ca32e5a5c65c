// `traycheck mqtt-user` and `check-config` (compiled CLI): a LAN bind needs users; the command
// makes the hash and edits the file so the same config then passes, with no password in it.
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, rmSync, statSync, chmodSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { parseConfigText } from '../../src/config/load.js';
import { verifyPassword } from '../../src/auth/passwords.js';
import { assertBuilt } from '../helpers/built.js';
import { CLI, tempDir, writeConfig } from '../helpers/daemon.js';
import { MENU, MODEL } from '../resilience/harness.js';

const dir = tempDir();
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const cli = (args: string[], input?: string): { code: number | null; out: string; err: string } => {
  const r = spawnSync(process.execPath, [CLI, ...args], { input, encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

describe('traycheck mqtt-user', () => {
  it('turns a refused LAN config into a valid one without a password in the file', async () => {
    assertBuilt(CLI);
    const file = writeConfig(dir, {
      store: { id: 's1', name: 'LAN' },
      cameras: [],
      detector: { model: MODEL },
      menu: MENU,
      mqtt: { embedded: { host: '0.0.0.0', port: 1883 } },
    });
    chmodSync(file, 0o640);
    const refused = cli(['check-config', file]);
    expect(refused.code).toBe(78);
    expect(refused.err).toMatch(/mqtt\.embedded\.host: the embedded MQTT broker would accept anyone/);

    const added = cli(
      ['mqtt-user', 'add', 'pos-1', '--role', 'pos', '--config', file, '--password-stdin'],
      'till-password-1\n',
    );
    expect(added.code).toBe(0);
    expect(added.out).toMatch(/added pos-1 \(pos\)/);
    const generated = cli([
      'mqtt-user',
      'add',
      'obs-1',
      '--role',
      'observer',
      '--config',
      file,
      '--generate',
    ]);
    const password = /password for obs-1: (\S+)/.exec(generated.out)?.[1] ?? '';
    expect(password.length).toBeGreaterThanOrEqual(20);

    expect(cli(['check-config', file]).code).toBe(0);
    const text = readFileSync(file, 'utf8');
    expect(text).not.toContain('till-password-1');
    expect(text).not.toContain(password);
    expect(statSync(file).mode & 0o777).toBe(0o640);
    const users = parseConfigText(text, file).config.mqtt.users;
    expect(users.map((u) => [u.username, u.role])).toEqual([
      ['pos-1', 'pos'],
      ['obs-1', 'observer'],
    ]);
    expect(await verifyPassword('till-password-1', users[0]?.passwordHash ?? null)).toBe(true);
    expect(await verifyPassword(password, users[1]?.passwordHash ?? null)).toBe(true);

    expect(cli(['mqtt-user', 'list', '--config', file]).out).toBe('pos-1\tpos\nobs-1\tobserver\n');
    expect(cli(['mqtt-user', 'remove', 'pos-1', '--config', file]).code).toBe(0);
    expect(cli(['mqtt-user', 'list', '--config', file]).out).toBe('obs-1\tobserver\n');
    expect(cli(['mqtt-user', 'add', 'x', '--role', 'chef', '--config', file, '--generate']).code).toBe(2);
    expect(
      cli(['mqtt-user', 'add', 'x', '--role', 'pos', '--config', file, '--password-stdin'], 'short\n').code,
    ).toBe(2);
  });

  it('hash prints an scrypt hash of the password on standard input', async () => {
    const hash = execFileSync(process.execPath, [CLI, 'mqtt-user', 'hash', '--password-stdin'], {
      input: 'kds-password-9\n',
      encoding: 'utf8',
    }).trim();
    expect(hash).toMatch(/^scrypt\$16384\$8\$1\$/);
    expect(await verifyPassword('kds-password-9', hash)).toBe(true);
  });
});
