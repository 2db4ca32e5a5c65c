// The simulated POS/KDS of a scenario: publishes each order event over real MQTT when the
// simulated camera reaches its time, so orders and trays stay in step (demo and eval).
import mqtt from 'mqtt';
import type { Logger } from '../log.js';
import { scenarioEvents, type ScenarioEvent } from './scenario-events.js';
import type { Scenario } from './scenario.js';

export interface ScenarioPosOptions {
  scenario: Scenario;
  log: Logger;
  prefix: string;
  storeId: string;
  /** Added to numeric order ids (and per lap) so repeated runs never reuse an order number. */
  orderBase?: number;
  /** Awaited after each batch of publishes (eval: wait until the daemon stored them). */
  afterPublish?: (count: number) => Promise<void>;
}

export interface ScenarioPos {
  start(brokerUrl: string): Promise<void>;
  /** Publish every event due by scenario time tS; tsMs is the frame clock at tS. */
  advance(tS: number, tsMs: number): Promise<void>;
  newLap(lap: number): void;
  published(): number;
  stop(): Promise<void>;
}

export function createScenarioPos(opts: ScenarioPosOptions): ScenarioPos {
  const { scenario: sc } = opts;
  let client: mqtt.MqttClient | null = null;
  // Frames may come before the POS is connected: the first events wait for it instead of being late.
  let connected: () => void = () => undefined;
  const whenConnected = new Promise<void>((resolve) => (connected = resolve));
  let events: ScenarioEvent[] | null = null;
  let next = 0;
  let lap = 0;
  let count = 0;
  const lapSize = sc.orders.length + 100;
  const renumber = (id: string): string => {
    const n = Number(id);
    return Number.isInteger(n)
      ? String(n + (opts.orderBase ?? 0) + lap * lapSize)
      : lap
        ? `${id}-${lap}`
        : id;
  };

  return {
    async start(brokerUrl) {
      client = await mqtt.connectAsync(brokerUrl, {
        protocolVersion: 4,
        clientId: `traycheck-sim-pos-${process.pid}-${Date.now() % 100000}`,
        reconnectPeriod: 1000,
      });
      connected();
    },
    async advance(tS, tsMs) {
      if (!client) await whenConnected;
      if (!client) return;
      events ??= scenarioEvents(sc, tsMs - tS * 1000).map((e) => {
        const orderId = renumber(String(e.payload.orderId));
        // The event id names the order too: with the scenario's own id, a later lap's events
        // would be dropped by the orders stage as duplicates of the first lap's.
        const eventId = String(e.payload.eventId).replace(`:${String(e.payload.orderId)}:`, `:${orderId}:`);
        return { ...e, payload: { ...e.payload, orderId, eventId } };
      });
      const due: ScenarioEvent[] = [];
      while (next < events.length && (events[next]?.atS ?? Infinity) <= tS)
        due.push(events[next++] as ScenarioEvent);
      if (due.length === 0) return;
      for (const e of due) {
        try {
          await client.publishAsync(
            `${opts.prefix}/${opts.storeId}/${e.channel}`,
            JSON.stringify(e.payload),
            { qos: 1 },
          );
          count++;
        } catch (err) {
          opts.log.warn({ err, type: e.payload.type }, 'simulated POS could not publish');
        }
      }
      await opts.afterPublish?.(due.length);
    },
    newLap(n) {
      lap = n;
      events = null;
      next = 0;
    },
    published: () => count,
    async stop() {
      await client?.endAsync().catch(() => undefined);
      client = null;
      connected();
    },
  };
}
