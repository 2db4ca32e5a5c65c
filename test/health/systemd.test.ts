// The sd_notify protocol end to end: createSystemdNotifier spawns the real systemd-notify, which
// sends to a datagram socket this test owns (what systemd would be), path and abstract.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createSystemdNotifier, watchdogIntervalFromEnv } from '../../src/health/systemd.js';
import { createWatchdog, pipelineProgress } from '../../src/health/watchdog.js';
import { silentLogger } from '../../src/log.js';
import { openNotifySocket, type NotifySocket } from './notify-socket.js';

const haveNotify = existsSync('/usr/bin/systemd-notify') || existsSync('/bin/systemd-notify');
if (!haveNotify) console.warn('SKIPPED: systemd-notify is not installed; the notify protocol tests need it');

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanup.length) await cleanup.pop()?.();
});

async function socketAt(kind: 'path' | 'abstract'): Promise<NotifySocket> {
  let address: string;
  if (kind === 'path') {
    const dir = mkdtempSync(join(tmpdir(), 'traycheck-notify-'));
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    address = join(dir, 'notify.sock');
  } else {
    address = `@traycheck-test-${randomBytes(6).toString('hex')}`;
  }
  const s = await openNotifySocket(address);
  cleanup.push(() => s.close());
  return s;
}

describe('watchdogIntervalFromEnv', () => {
  it('is a third of WATCHDOG_USEC, and only for the pid systemd names', () => {
    expect(watchdogIntervalFromEnv({ WATCHDOG_USEC: '30000000' }, 42)).toBe(10_000);
    expect(watchdogIntervalFromEnv({ WATCHDOG_USEC: '30000000', WATCHDOG_PID: '42' }, 42)).toBe(10_000);
    expect(watchdogIntervalFromEnv({ WATCHDOG_USEC: '30000000', WATCHDOG_PID: '41' }, 42)).toBeNull();
    expect(watchdogIntervalFromEnv({}, 42)).toBeNull();
    expect(watchdogIntervalFromEnv({ WATCHDOG_USEC: 'abc' }, 42)).toBeNull();
  });

  it('is off without NOTIFY_SOCKET, and sends nothing', async () => {
    const n = createSystemdNotifier({ log: silentLogger(), env: { WATCHDOG_USEC: '30000000' } });
    expect(n.enabled).toBe(false);
    expect(n.watchdogIntervalMs).toBeNull();
    expect(await n.ready()).toBe(false);
  });
});

describe.skipIf(!haveNotify)('systemd notify protocol over a datagram socket', () => {
  it.each(['path', 'abstract'] as const)(
    'READY, STATUS and STOPPING reach a %s socket in order',
    async (kind) => {
      const sock = await socketAt(kind);
      const n = createSystemdNotifier({
        log: silentLogger(),
        env: { NOTIFY_SOCKET: sock.address, WATCHDOG_USEC: '3000000' },
      });
      expect(n.enabled).toBe(true);
      expect(n.watchdogIntervalMs).toBe(1000);
      const sent = await Promise.all([n.ready(), n.status('2 cameras online\nsecond line'), n.stopping()]);
      expect(sent).toEqual([true, true, true]);
      await sock.waitFor('STOPPING=1');
      const flat = sock.messages.flat().filter((l) => l !== 'BARRIER=1');
      expect(flat).toEqual([
        'READY=1',
        'STATUS=running',
        'STATUS=2 cameras online second line',
        'STOPPING=1',
        'STATUS=stopping',
      ]);
    },
  );

  it('a progressing pipeline feeds WATCHDOG=1; a stalled one sends none until it moves again', async () => {
    const sock = await socketAt('path');
    const notifier = createSystemdNotifier({
      log: silentLogger(),
      env: { NOTIFY_SOCKET: sock.address, WATCHDOG_USEC: '600000' },
    });
    let received = 0;
    let processed = 0;
    const wd = createWatchdog({
      notifier,
      intervalMs: notifier.watchdogIntervalMs,
      progress: pipelineProgress({ received: () => received, processed: () => processed }),
      log: silentLogger(),
    });
    cleanup.push(() => wd.stop());
    await notifier.ready();
    wd.start();
    // Frames arrive and are processed: heartbeats flow on the timer (every 200 ms).
    const feeding = setInterval(() => {
      received++;
      processed++;
    }, 20);
    cleanup.push(() => clearInterval(feeding));
    await sock.waitFor('WATCHDOG=1', 3);
    clearInterval(feeding);
    wd.stop();
    await wd.tick(); // takes in the frames processed since the timer's last check

    // Stall: frames keep arriving, detection finishes none. Checks run, no heartbeat goes out.
    const before = sock.count('WATCHDOG=1');
    for (let i = 0; i < 4; i++) {
      received += 5;
      expect(await wd.tick()).toBe(false);
    }
    expect(wd.health().state).toBe('down');
    // Notifications are delivered in order: once this marker arrives, any heartbeat sent during the stall would have too.
    await notifier.status('marker');
    await sock.waitFor('STATUS=marker');
    expect(sock.count('WATCHDOG=1')).toBe(before);
    expect(wd.stats().withheld).toBe(4);

    // Idle by design (no frames arriving) is progress; so is detection catching up.
    expect(await wd.tick()).toBe(true);
    received += 3;
    processed += 1;
    expect(await wd.tick()).toBe(true);
    await sock.waitFor('WATCHDOG=1', before + 2);
    expect(wd.health().state).toBe('ok');
  });

  it('a failing transport resolves false and the daemon goes on', async () => {
    const sock = await socketAt('path');
    const n = createSystemdNotifier({
      log: silentLogger(),
      env: { NOTIFY_SOCKET: sock.address },
      notifyCommand: '/nonexistent/systemd-notify',
    });
    expect(await n.ready()).toBe(false);
    expect(await n.watchdog()).toBe(false);
  });
});
