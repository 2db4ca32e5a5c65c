// pino logging: JSON in production, pretty on a TTY, one child logger per stage.
// Secrets never reach a log line: known secret keys are redacted and
// credentials inside URLs are stripped by `redactUrl` wherever a URL is logged.
import pino, { type Logger } from 'pino';

export type { Logger } from 'pino';

export interface LogOptions {
  level: string;
  pretty?: boolean;
  /** Write to this destination instead of stdout (tests). */
  destination?: pino.DestinationStream;
}

const REDACT_PATHS = [
  'password',
  '*.password',
  '*.*.password',
  'passwordHash',
  '*.passwordHash',
  'token',
  '*.token',
  'secret',
  '*.secret',
  'authorization',
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.cookie',
];

/** A warning or error as the technician page lists it (no fields that could hold a secret). */
export interface RecentWarning {
  ts: number;
  level: 'warn' | 'error' | 'fatal';
  msg: string;
  stage: string | null;
}

const RECENT_MAX = 50;
const recent: RecentWarning[] = [];

/** The newest warnings and errors of this process, newest first(/tech shows them). */
export function recentWarnings(): RecentWarning[] {
  return [...recent].reverse();
}

/** pino calls this for every enabled line: warn and above are kept, message and stage only. */
function remember(this: pino.Logger, args: unknown[], level: number): void {
  if (level < 40) return;
  const [first, second] = args;
  const obj = first && typeof first === 'object' ? (first as { err?: unknown; msg?: unknown }) : {};
  let msg = typeof first === 'string' ? first : typeof second === 'string' ? second : '';
  if (!msg && typeof obj.msg === 'string') msg = obj.msg;
  if (obj.err instanceof Error) msg = msg ? `${msg}: ${obj.err.message}` : obj.err.message;
  const stage = (this.bindings() as { stage?: unknown }).stage;
  recent.push({
    ts: Date.now(),
    level: level >= 60 ? 'fatal' : level >= 50 ? 'error' : 'warn',
    msg: redactUrl(msg).slice(0, 300),
    stage: typeof stage === 'string' ? stage : null,
  });
  if (recent.length > RECENT_MAX) recent.shift();
}

export function createLogger(opts: LogOptions): Logger {
  const base: pino.LoggerOptions = {
    level: opts.level,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    base: { app: 'traycheck' },
    timestamp: pino.stdTimeFunctions.isoTime,
    hooks: {
      logMethod(args, method, level) {
        remember.call(this, args, level);
        method.apply(this, args);
      },
    },
  };
  if (opts.destination) return pino(base, opts.destination);
  const pretty = opts.pretty ?? Boolean(process.stdout.isTTY);
  if (pretty) {
    return pino({
      ...base,
      transport: { target: 'pino-pretty', options: { colorize: true, translateTime: 'SYS:HH:MM:ss.l' } },
    });
  }
  return pino(base);
}

/** A logger that discards everything (unit tests of stages). */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}

/** Remove user:password from any URL-looking substrings (rtsp://, mqtt://, http://...). */
export function redactUrl(text: string): string {
  return text.replace(/([a-z][a-z0-9+.-]*:\/\/)([^\s/@:]+)(:[^\s/@]*)?@/gi, '$1***:***@');
}
