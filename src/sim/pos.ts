// Simulated POS + KDS: publishes a realistic order stream (pos-stream.ts) over real MQTT, QoS 1,
// paced in real time or faster (`speed`). Used by `traycheck simulate-pos`, the demo, tests and
// the bench.
import mqtt from 'mqtt';
import type { Menu } from '../config/schema.js';
import { redactUrl, silentLogger, type Logger } from '../log.js';
import { posStream, type PosStreamOptions, type SimEvent } from './pos-stream.js';

export interface PosSimulatorOptions extends Omit<PosStreamOptions, 'startMs' | 'menu'> {
  url: string;
  storeId: string;
  prefix?: string;
  menu: Menu;
  username?: string;
  password?: string;
  clientId?: string;
  /** 1 = real time; 60 = an hour per minute; Infinity = as fast as the broker acknowledges. */
  speed?: number;
  /** Stop after this much simulated time. */
  durationS?: number;
  /** Simulated start time (rush-hour profile); default now. */
  startMs?: number;
  log?: Logger;
  /** Called after each published event. */
  onEvent?: (e: SimEvent) => void;
}

export interface PosSimulatorStats {
  orders: number;
  events: number;
  byType: Record<string, number>;
  errors: number;
}

export interface PosSimulator {
  /** Connects and starts publishing in the background; `done` settles when the stream ends or stop() is called. */
  start(): Promise<void>;
  stop(): Promise<void>;
  done(): Promise<void>;
  stats(): PosSimulatorStats;
}

export function createPosSimulator(opts: PosSimulatorOptions): PosSimulator {
  const log = (opts.log ?? silentLogger()).child({ stage: 'sim-pos' });
  const prefix = opts.prefix ?? 'traycheck';
  const speed = opts.speed ?? 1;
  const stats: PosSimulatorStats = { orders: 0, events: 0, byType: {}, errors: 0 };
  let client: mqtt.MqttClient | null = null;
  let stopped = false;
  let wake: (() => void) | null = null;
  let running: Promise<void> = Promise.resolve();

  const sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        wake = null;
        resolve();
      }
      wake = done;
    });

  const run = async (c: mqtt.MqttClient): Promise<void> => {
    const startMs = opts.startMs ?? Date.now();
    const t0 = Date.now();
    const endMs = opts.durationS === undefined ? Infinity : startMs + opts.durationS * 1000;
    for (const e of posStream({ ...opts, startMs })) {
      if (stopped || e.atMs > endMs) break;
      const dueIn = Number.isFinite(speed) ? t0 + (e.atMs - startMs) / speed - Date.now() : 0;
      if (dueIn > 0) await sleep(dueIn);
      if (stopped) break;
      try {
        await c.publishAsync(`${prefix}/${opts.storeId}/${e.channel}`, JSON.stringify(e.payload), { qos: 1 });
        stats.events++;
        stats.byType[e.payload.type] = (stats.byType[e.payload.type] ?? 0) + 1;
        if (e.payload.type === 'order.placed') stats.orders++;
        log.debug({ type: e.payload.type, orderId: e.payload.orderId }, 'published');
        opts.onEvent?.(e);
      } catch (err) {
        stats.errors++;
        log.warn({ err, type: e.payload.type }, 'could not publish');
      }
    }
  };

  return {
    async start() {
      client = await mqtt.connectAsync(opts.url, {
        clientId: opts.clientId ?? `traycheck-sim-pos-${process.pid}-${Math.floor(Math.random() * 1e6)}`,
        protocolVersion: 4,
        clean: false,
        reconnectPeriod: 1000,
        ...(opts.username !== undefined ? { username: opts.username } : {}),
        ...(opts.password !== undefined ? { password: opts.password } : {}),
      });
      client.on('error', (err) => log.warn({ err: err.message }, 'MQTT error'));
      log.info({ url: redactUrl(opts.url), ratePerMin: opts.ratePerMin, speed }, 'simulated POS publishing');
      const c = client;
      running = run(c).catch((err: unknown) => {
        stats.errors++;
        log.error({ err }, 'simulated POS stopped on an error');
      });
    },
    async stop() {
      stopped = true;
      wake?.();
      await running;
      await client?.endAsync().catch(() => undefined);
      client = null;
    },
    done: () => running,
    stats: () => ({ ...stats, byType: { ...stats.byType } }),
  };
}
