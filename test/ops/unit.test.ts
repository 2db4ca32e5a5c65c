// systemd/traycheck.service: its hardening and restart settings, `systemd-analyze verify`, and the
// exposure score of `systemd-analyze security --offline=yes` (at most 3.0).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './ship.js';

const UNIT = join(ROOT, 'systemd', 'traycheck.service');
const haveAnalyze = spawnSync('systemd-analyze', ['--version']).status === 0;
if (!haveAnalyze)
  console.warn(
    'SKIPPED systemd-analyze verify/security of systemd/traycheck.service: systemd-analyze is not installed',
  );

/** key → values in file order (a key may repeat, e.g. SystemCallFilter). */
function parseUnit(text: string): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#') || line.startsWith(';') || line.startsWith('[')) continue;
    const i = line.indexOf('=');
    const key = line.slice(0, i);
    map.set(key, [...(map.get(key) ?? []), line.slice(i + 1)]);
  }
  return map;
}

describe('systemd/traycheck.service', () => {
  const unit = parseUnit(readFileSync(UNIT, 'utf8'));
  const one = (k: string): string | undefined => unit.get(k)?.at(-1);

  it('is a notify service with a watchdog, a restart pace, and no restart on config errors', () => {
    expect(one('Type')).toBe('notify');
    expect(Number(one('WatchdogSec'))).toBeGreaterThanOrEqual(10);
    expect(one('NotifyAccess')).toMatch(/^(main|all)$/);
    expect(one('Restart')).toBe('on-failure');
    expect(one('RestartSec')).toBe('5');
    expect(one('StartLimitIntervalSec')).toBeTruthy();
    expect(one('StartLimitBurst')).toBeTruthy();
    expect(one('RestartPreventExitStatus')).toBe('78');
    expect(one('ExecStart')).toBe(
      '/usr/bin/node /opt/traycheck/dist/src/cli/main.js run --config /etc/traycheck/traycheck.yaml',
    );
    expect(unit.get('Environment')).toContain('NODE_ENV=production');
    expect(one('StandardOutput')).toBe('journal');
  });

  it('runs unprivileged and sandboxed, writing only its data folder', () => {
    const expected: Record<string, string> = {
      User: 'traycheck',
      Group: 'traycheck',
      ProtectSystem: 'strict',
      ProtectHome: 'yes',
      PrivateTmp: 'yes',
      PrivateDevices: 'yes',
      NoNewPrivileges: 'yes',
      CapabilityBoundingSet: '',
      AmbientCapabilities: '',
      SystemCallArchitectures: 'native',
      RestrictAddressFamilies: 'AF_UNIX AF_INET AF_INET6',
      RestrictNamespaces: 'yes',
      LockPersonality: 'yes',
      MemoryDenyWriteExecute: 'no',
      ProtectKernelTunables: 'yes',
      ProtectKernelModules: 'yes',
      ProtectKernelLogs: 'yes',
      ProtectControlGroups: 'yes',
      ProtectClock: 'yes',
      ProtectHostname: 'yes',
      ProtectProc: 'invisible',
      RestrictRealtime: 'yes',
      RestrictSUIDSGID: 'yes',
      RemoveIPC: 'yes',
      UMask: '0027',
      ReadWritePaths: '/var/lib/traycheck',
      StateDirectory: 'traycheck',
    };
    for (const [k, v] of Object.entries(expected)) expect(one(k), k).toBe(v);
    expect(unit.get('ReadWritePaths')).toHaveLength(1);
    const filters = unit.get('SystemCallFilter') ?? [];
    expect(filters[0]).toMatch(/^@system-service\b/);
    expect(filters).toContain('~@privileged @resources');
  });

  it.skipIf(!haveAnalyze)('passes systemd-analyze verify without a warning', () => {
    expect(existsSync('/usr/bin/node'), 'the unit runs /usr/bin/node').toBe(true);
    const r = spawnSync('systemd-analyze', ['verify', UNIT], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
  });

  it.skipIf(!haveAnalyze)(
    'has an exposure level of at most 3.0 (systemd-analyze security --offline=yes)',
    () => {
      const r = spawnSync('systemd-analyze', ['security', '--offline=yes', '--no-pager', UNIT], {
        encoding: 'utf8',
      });
      const m = /Overall exposure level for traycheck\.service: (\d+(?:\.\d+)?)/.exec(r.stdout + r.stderr);
      expect(m, r.stdout + r.stderr).not.toBeNull();
      const exposure = Number(m?.[1]);
      console.log(`systemd-analyze security --offline=yes: exposure ${exposure}`);
      expect(exposure).toBeLessThanOrEqual(3.0);
    },
  );
});
