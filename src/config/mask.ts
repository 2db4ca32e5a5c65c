// The effective config with secrets masked: for logs, the dashboard and `check-config --print`.
import { redactUrl } from '../log.js';
import type { Config } from './schema.js';

const SECRET_KEYS = /password|secret|token|key$/i;

export function maskConfig(config: Config): unknown {
  return maskValue(config, '');
}

function maskValue(v: unknown, key: string): unknown {
  if (typeof v === 'string') {
    if (SECRET_KEYS.test(key) && !/file$|cert$/i.test(key) && key !== 'tlsKey') return v ? '********' : v;
    return redactUrl(v);
  }
  if (Array.isArray(v)) return v.map((x) => maskValue(x, key));
  if (v && typeof v === 'object') {
    return Object.fromEntries(
      Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, maskValue(x, k)]),
    );
  }
  return v;
}
