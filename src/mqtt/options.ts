// mqtt.js client options for the daemon's connection: fixed client id, persistent session,
// last will, TLS. Reconnects are driven by mqtt.ts (capped exponential backoff), so mqtt.js's
// own fixed-period reconnect is off.
import { readFileSync } from 'node:fs';
import type { IClientOptions } from 'mqtt';
import type { MqttConfig } from '../config/schema.js';

export interface ConnectTarget {
  url: string;
  protocolVersion: 4 | 5;
}

export const defaultClientId = (storeId: string): string => `traycheck-${storeId}`;

export function buildClientOptions(
  config: MqttConfig,
  storeId: string,
  target: ConnectTarget,
  statusTopic: string,
): IClientOptions {
  const opts: IClientOptions = {
    clientId: config.clientId ?? defaultClientId(storeId),
    protocolVersion: target.protocolVersion,
    // Persistent session: the broker queues QoS 1 POS messages while we are down.
    clean: false,
    keepalive: config.keepaliveS,
    connectTimeout: 10_000,
    reconnectPeriod: 0,
    // We subscribe ourselves on every CONNACK without a session (mqtt.ts), knowing which topics.
    resubscribe: false,
    queueQoSZero: false,
    will: { topic: statusTopic, payload: Buffer.from('offline'), qos: 1, retain: true },
  };
  if (target.protocolVersion === 5) {
    opts.properties = { sessionExpiryInterval: Math.round(config.sessionExpiryHours * 3600) };
  }
  if (config.username !== undefined) opts.username = config.username;
  if (config.password !== undefined) opts.password = config.password;
  if (/^(mqtts|wss|ssl|tls):/i.test(target.url)) {
    opts.rejectUnauthorized = config.rejectUnauthorized;
    if (config.caFile) {
      try {
        opts.ca = [readFileSync(config.caFile)];
      } catch (err) {
        throw new Error(`mqtt.caFile: cannot read ${config.caFile}: ${(err as Error).message}`);
      }
    }
  }
  return opts;
}

/** Next reconnect delay: doubles from min to max, with ±20 % jitter so a fleet does not reconnect in step. */
export function nextBackoffMs(
  previousMs: number,
  minMs: number,
  maxMs: number,
  random: () => number = Math.random,
): number {
  const base = previousMs <= 0 ? minMs : Math.min(maxMs, previousMs * 2);
  return Math.round(Math.min(maxMs, base * (0.8 + 0.4 * random())));
}
