// `traycheck status [--url http://127.0.0.1:8080] [--json]`: reads /api/health of a running daemon
// and prints one line per component. Exit 0 ok, 1 degraded, 2 unreachable (or not a traycheck).
import type { Command } from '../command.js';
import { redactUrl } from '../../log.js';
import type { ComponentHealth, HealthReport } from '../../health/types.js';

export interface StatusOptions {
  url: string;
  json: boolean;
  /** dashboard.metricsToken: /api/health needs it (or a session) unless the dashboard listens on loopback only. */
  token?: string;
  timeoutMs?: number;
}

export interface Writer {
  write(text: string): unknown;
  isTTY?: boolean;
}

export const STATUS_OK = 0;
export const STATUS_DEGRADED = 1;
export const STATUS_UNREACHABLE = 2;
export const DEFAULT_STATUS_URL = 'http://127.0.0.1:8080';
/** The same variable that overrides dashboard.metricsToken in the daemon's config. */
export const TOKEN_ENV = 'TRAYCHECK_DASHBOARD__METRICS_TOKEN';

const isReport = (v: unknown): v is HealthReport => {
  if (typeof v !== 'object' || v === null) return false;
  const r = v as Partial<HealthReport>;
  return (
    (r.status === 'ok' || r.status === 'degraded') &&
    typeof r.components === 'object' &&
    r.components !== null
  );
};

export function formatUptime(s: number): string {
  const d = Math.floor(s / 86_400);
  const h = Math.floor((s % 86_400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (d > 0) return `${d}d ${h}h`;
  if (h > 0) return `${h}h ${m}m`;
  return m > 0 ? `${m}m ${s % 60}s` : `${s}s`;
}

const COLORS: Record<ComponentHealth['state'], string> = {
  ok: '\x1b[32m',
  degraded: '\x1b[33m',
  down: '\x1b[31m',
};

export function formatReport(report: HealthReport, url: string, color = false): string {
  const paint = (state: ComponentHealth['state'], text: string): string =>
    color ? `${COLORS[state]}${text}\x1b[0m` : text;
  const rows = Object.entries(report.components);
  const nameW = Math.max('COMPONENT'.length, ...rows.map(([n]) => n.length));
  const lines = [
    `traycheck ${report.version ?? '?'}: ${paint(report.status === 'ok' ? 'ok' : 'degraded', report.status.toUpperCase())}` +
      ` (up ${formatUptime(Math.max(0, Math.round(report.uptimeS ?? 0)))}, ${redactUrl(url)})`,
    '',
    `${'COMPONENT'.padEnd(nameW)}  ${'STATE'.padEnd(8)}  DETAIL`,
    ...rows.map(([name, c]) => `${name.padEnd(nameW)}  ${paint(c.state, c.state.padEnd(8))}  ${c.detail}`),
  ];
  if (rows.length === 0) lines.push('(no components registered)');
  return lines.join('\n') + '\n';
}

export async function runStatusCommand(
  opts: StatusOptions,
  out: Writer = process.stdout,
  err: Writer = process.stderr,
): Promise<number> {
  const base = opts.url.replace(/\/+$/, '');
  const shown = redactUrl(base);
  let status: number;
  let body: unknown;
  try {
    const headers: Record<string, string> = opts.token ? { authorization: `Bearer ${opts.token}` } : {};
    const res = await fetch(`${base}/api/health`, {
      headers,
      signal: AbortSignal.timeout(opts.timeoutMs ?? 5000),
    });
    status = res.status;
    const text = await res.text();
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
  } catch (e) {
    const cause = e instanceof Error && e.cause instanceof Error ? `: ${e.cause.message}` : '';
    const why = redactUrl(`${e instanceof Error ? e.message : String(e)}${cause}`);
    err.write(`traycheck status: cannot reach ${shown}: ${why}\n`);
    err.write('Is the daemon running?  systemctl status traycheck  /  journalctl -u traycheck -n 50\n');
    return STATUS_UNREACHABLE;
  }
  if (status === 401 || status === 403) {
    err.write(
      `traycheck status: ${shown}/api/health needs the metrics token (dashboard.metricsToken): ` +
        `pass --token or set ${TOKEN_ENV}\n`,
    );
    return STATUS_UNREACHABLE;
  }
  if ((status !== 200 && status !== 503) || !isReport(body)) {
    err.write(`traycheck status: ${shown}/api/health answered HTTP ${status} without a health report\n`);
    return STATUS_UNREACHABLE;
  }
  if (opts.json) out.write(JSON.stringify(body, null, 2) + '\n');
  else out.write(formatReport(body, base, Boolean(out.isTTY) && !process.env.NO_COLOR));
  return body.status === 'ok' ? STATUS_OK : STATUS_DEGRADED;
}

/** `traycheck status`. */
export const statusCommand: Command = {
  name: 'status',
  summary: 'health of the running daemon, per component (exit 0 ok, 1 degraded, 2 unreachable)',
  usage: 'status [--url http://127.0.0.1:8080] [--token TOKEN] [--json]',
  options: {
    url: {
      type: 'string',
      valueName: 'url',
      description: `Dashboard base URL (default ${DEFAULT_STATUS_URL}).`,
    },
    token: {
      type: 'string',
      valueName: 'token',
      description: `dashboard.metricsToken, when the dashboard is not on loopback only (default: $${TOKEN_ENV}).`,
    },
    json: { type: 'boolean', description: 'Print the raw health report as JSON.' },
  },
  run: (args) =>
    runStatusCommand({
      url: typeof args.values.url === 'string' && args.values.url ? args.values.url : DEFAULT_STATUS_URL,
      token:
        typeof args.values.token === 'string' && args.values.token
          ? args.values.token
          : process.env[TOKEN_ENV],
      json: args.values.json === true,
    }),
};
