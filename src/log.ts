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

export function createLogger(opts: LogOptions): Logger {
  const base: pino.LoggerOptions = {
    level: opts.level,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    base: { app: 'traycheck' },
    timestamp: pino.stdTimeFunctions.isoTime,
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
