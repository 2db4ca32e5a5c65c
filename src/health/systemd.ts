// systemd notify protocol (sd_notify(3)): READY=1, WATCHDOG=1, STOPPING=1 and STATUS=... datagrams
// to $NOTIFY_SOCKET (a path, or '@name' for an abstract socket).
//
// Node's dgram module cannot send AF_UNIX datagrams, so each message is handed to systemd-notify(1),
// which ships with systemd itself: no native addon to compile on the box. Since systemd 246 it waits
// until the manager has processed the message (BARRIER=1), so the unit still identifies the sender
// after it exits. The sender is a child process, hence NotifyAccess=all in systemd/traycheck.service.
// Why not unix-dgram / sd-notify: docs/operations.md, "systemd notify and watchdog".
import { execFile } from 'node:child_process';
import type { Logger } from '../log.js';

export interface SystemdNotifier {
  /** true when started by systemd with Type=notify ($NOTIFY_SOCKET set). */
  readonly enabled: boolean;
  /**
   * How often to send WATCHDOG=1: a third of WatchdogSec, so one late or withheld heartbeat is
   * survived. null when systemd's watchdog is off for this process.
   */
  readonly watchdogIntervalMs: number | null;
  /** Each resolves true once systemd-notify delivered the message; false when disabled or it failed (logged). Never rejects. */
  ready(): Promise<boolean>;
  watchdog(): Promise<boolean>;
  stopping(): Promise<boolean>;
  status(text: string): Promise<boolean>;
}

/** Sends one notification (newline-separated VAR=VALUE lines) to the socket. */
export type NotifySender = (socket: string, assignments: string[]) => Promise<void>;

export interface SystemdNotifierDeps {
  log: Logger;
  env?: NodeJS.ProcessEnv;
  /** This process's pid ($WATCHDOG_PID must match it). */
  pid?: number;
  /** Transport; default: the systemd-notify command. */
  send?: NotifySender;
  /** Command used by the default transport. */
  notifyCommand?: string;
}

const SEND_TIMEOUT_MS = 10_000;

export function systemdNotifySender(command = 'systemd-notify'): NotifySender {
  return (socket, assignments) =>
    new Promise((resolve, reject) => {
      execFile(
        command,
        assignments,
        {
          env: { NOTIFY_SOCKET: socket, PATH: process.env.PATH ?? '/usr/bin:/bin' },
          timeout: SEND_TIMEOUT_MS,
        },
        (err, _stdout, stderr) => {
          if (err) reject(new Error(`${command} ${assignments.join(' ')}: ${stderr.trim() || err.message}`));
          else resolve();
        },
      );
    });
}

/** Watchdog heartbeat interval from $WATCHDOG_USEC / $WATCHDOG_PID (sd_watchdog_enabled(3)). */
export function watchdogIntervalFromEnv(env: NodeJS.ProcessEnv, pid: number): number | null {
  const usec = Number(env.WATCHDOG_USEC);
  if (!env.WATCHDOG_USEC || !Number.isFinite(usec) || usec <= 0) return null;
  if (env.WATCHDOG_PID && Number(env.WATCHDOG_PID) !== pid) return null;
  return Math.max(1, Math.floor(usec / 1000 / 3));
}

const validSocket = (s: string | undefined): s is string => !!s && (s.startsWith('/') || s.startsWith('@'));

export function createSystemdNotifier(deps: SystemdNotifierDeps): SystemdNotifier {
  const env = deps.env ?? process.env;
  const log = deps.log.child({ component: 'systemd' });
  const raw = env.NOTIFY_SOCKET;
  const socket = validSocket(raw) ? raw : null;
  const enabled = socket !== null;
  const watchdogIntervalMs = enabled ? watchdogIntervalFromEnv(env, deps.pid ?? process.pid) : null;
  const send = deps.send ?? systemdNotifySender(deps.notifyCommand);
  let chain: Promise<unknown> = Promise.resolve();
  let heartbeatQueued = false;
  let failures = 0;

  // One message at a time and in order, so READY=1 always reaches systemd before WATCHDOG=1.
  const enqueue = (assignments: string[]): Promise<boolean> => {
    const target = socket;
    if (target === null) return Promise.resolve(false);
    const result = chain.then(async () => {
      try {
        await send(target, assignments);
        return true;
      } catch (err) {
        failures++;
        // The first failure is an error (systemd will restart us on a missing heartbeat); repeats stay quiet.
        if (failures === 1) log.error({ err, socket: target }, 'systemd notification failed');
        else log.debug({ err, failures }, 'systemd notification failed again');
        return false;
      }
    });
    chain = result;
    return result;
  };

  if (raw && !enabled)
    log.warn({ socket: raw }, 'NOTIFY_SOCKET is not a path or @abstract name: systemd notifications off');

  return {
    enabled,
    watchdogIntervalMs,
    ready: () => enqueue(['READY=1', 'STATUS=running']),
    stopping: () => enqueue(['STOPPING=1', 'STATUS=stopping']),
    status: (text) => enqueue([`STATUS=${text.replace(/[\r\n]+/g, ' ').slice(0, 200)}`]),
    watchdog() {
      // A heartbeat still waiting behind a slow one says nothing new: drop it.
      if (heartbeatQueued) return Promise.resolve(false);
      heartbeatQueued = true;
      return enqueue(['WATCHDOG=1']).finally(() => {
        heartbeatQueued = false;
      });
    },
  };
}
