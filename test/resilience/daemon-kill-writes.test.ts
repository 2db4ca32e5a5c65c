// SIGKILL the whole daemon three times while it writes hard (a flood of QoS 1 order.placed /
// ready / updated / served / cancelled through its embedded broker, and verdicts, alerts and
// snapshots from a simulated camera), restarting it each time on the same data dir. After every
// kill both SQLite files (traycheck.db, broker/broker.db) pass integrity_check; at the end every
// message the POS got a PUBACK for is stored exactly once, every order is in the state its events
// say, and every verdict/alert the daemon published is in the database.
import { existsSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type mqtt from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import { mulberry32 } from '../../src/sim/rng.js';
import type { DaemonProc } from '../helpers/daemon.js';
import { freePort } from '../helpers/ports.js';
import { cancelled, placed, ready, served, updated } from '../helpers/pos.js';
import { waitFor } from '../helpers/wait.js';
import {
  checkDatabase,
  cleanUp,
  daemonSetup,
  killDaemon,
  openStore,
  connectPersistent,
  scratchDir,
  startDaemon,
  topic,
  trackPublishes,
  type TrackedPublisher,
} from './harness.js';

afterEach(cleanUp);

/** Events of an order trail its order.placed by this many steps: ~LAG orders are active at once. */
const LAG = { ready: 12, updated: 20, final: 30 } as const;
const IN_FLIGHT_MAX = 50;

const ordersItems = (i: number): { sku: string; qty: number }[] =>
  i % 2 === 0
    ? [{ sku: 'COMBO1', qty: 1 }]
    : [
        { sku: 'BURGER', qty: 1 },
        { sku: 'DRINK', qty: 1 },
      ];
const updatedItems = [
  { sku: 'COMBO1', qty: 1 },
  { sku: 'GIFT_CARD', qty: 1 },
];
const isUpdated = (i: number): boolean => i % 3 === 0;
const isCancelled = (i: number): boolean => i % 5 === 4;
const orderId = (i: number): string => `W${i}`;

interface PosEvent {
  order: number;
  topic: string;
  payload: string;
  eventId: string;
}

/** What the POS/KDS send at step k (order k is placed at step k; the others trail it). */
function eventsAt(k: number): PosEvent[] {
  const out: PosEvent[] = [];
  const ev = (order: number, t: 'pos' | 'kds', payload: string): void => {
    const { eventId } = JSON.parse(payload) as { eventId: string };
    out.push({ order, topic: topic(t), payload, eventId });
  };
  ev(k, 'pos', placed(orderId(k), { items: ordersItems(k) }));
  const r = k - LAG.ready;
  if (r >= 0 && !isCancelled(r)) ev(r, 'kds', ready(orderId(r)));
  const u = k - LAG.updated;
  if (u >= 0 && isUpdated(u)) ev(u, 'pos', updated(orderId(u), updatedItems));
  const f = k - LAG.final;
  if (f >= 0)
    ev(f, isCancelled(f) ? 'pos' : 'kds', isCancelled(f) ? cancelled(orderId(f)) : served(orderId(f)));
  return out;
}

/**
 * Publishes step after step with at most IN_FLIGHT_MAX unacknowledged (so it pauses while the
 * daemon, and with it the broker, is down). stop(): no new order is placed, the orders placed so
 * far get the rest of their events, and it resolves once every message is acknowledged.
 */
function startFlood(publisher: TrackedPublisher): {
  stop(): Promise<{ orders: number; eventIds: string[] }>;
} {
  const eventIds: string[] = [];
  const pending = new Set<Promise<void>>();
  let placedCount = 0;
  let end = Number.POSITIVE_INFINITY;
  const run = (async () => {
    for (let k = 0; k < end + LAG.final; k++) {
      for (const e of eventsAt(k)) {
        if (e.order >= end) continue;
        while (pending.size >= IN_FLIGHT_MAX) await Promise.race(pending);
        if (e.order >= end) continue;
        if (e.order === k) placedCount = k + 1;
        eventIds.push(e.eventId);
        const p = publisher.publish(e.topic, e.payload, e.eventId);
        pending.add(p);
        p.then(
          () => pending.delete(p),
          () => undefined, // kept in `pending`: stop() reports it
        );
      }
    }
  })();
  run.catch(() => undefined);
  return {
    async stop() {
      end = placedCount;
      await run;
      await Promise.all(pending);
      return { orders: end, eventIds };
    },
  };
}

/**
 * Trays every 3.5 s, alternately a Burger Meal and a burger with fries, which matches no order the
 * flood places: verdicts, and for every second tray an alert with its snapshot.
 */
function floodScenario(dir: string): string {
  const trays = Array.from({ length: 8 }, (_, i) => {
    const enter = 0.5 + i * 3.5;
    const items = i % 2 === 0 ? '{ burger: 1, fries: 1, drink: 1 }' : '{ burger: 1, fries: 1 }';
    return `  - { id: T${i}, enter: ${enter}, leave: ${enter + 2.6}, steps: [{ at: 0, items: ${items} }] }`;
  });
  const file = join(dir, 'flood.yaml');
  writeFileSync(file, ['name: flood', 'seed: 3', 'trays:', ...trays].join('\n') + '\n');
  return file;
}

interface Published {
  verdicts: Map<number, { trayId: string; result: string }>;
  alerts: Set<number>;
}

async function subscribeOutbound(url: string): Promise<{ client: mqtt.MqttClient; seen: Published }> {
  const client = await connectPersistent(url, `hq-writes-${process.pid}`);
  const seen: Published = { verdicts: new Map(), alerts: new Set() };
  client.on('message', (t, payload) => {
    const msg = JSON.parse(payload.toString('utf8')) as { id: number; trayId: string; result: string };
    if (t === topic('verdict')) seen.verdicts.set(msg.id, { trayId: msg.trayId, result: msg.result });
    if (t === topic('alert')) seen.alerts.add(msg.id);
  });
  await client.subscribeAsync({ [topic('verdict')]: { qos: 1 }, [topic('alert')]: { qos: 1 } });
  return { client, seen };
}

describe('daemon SIGKILLed during heavy writes', () => {
  it('keeps both databases intact and every acknowledged message, over three kill/restart cycles', async () => {
    const seed = Number(process.env.RESILIENCE_SEED ?? Date.now() % 1_000_000);
    console.info(`daemon-kill-writes: seed ${seed} (RESILIENCE_SEED=${seed} repeats the kill points)`);
    const rng = mulberry32(seed);
    const port = await freePort();
    const url = `mqtt://127.0.0.1:${port}`;
    const dir = scratchDir();
    const { dataDir, configFile } = daemonSetup({
      mqtt: { embedded: { host: '127.0.0.1', port } },
      cameras: [
        {
          id: 'counter',
          source: `sim:${floodScenario(dir)}`,
          station: 'expo',
          fps: 5,
          width: 640,
          height: 360,
          zone: [
            [0.02, 0.02],
            [0.98, 0.02],
            [0.98, 0.98],
            [0.02, 0.98],
          ],
        },
      ],
    });
    const dbFile = join(dataDir, 'traycheck.db');
    const brokerDb = join(dataDir, 'broker', 'broker.db');
    const expectIntact = (when: string): void => {
      for (const file of [dbFile, brokerDb]) {
        const { integrity, foreignKeyViolations } = checkDatabase(file);
        expect(integrity, `${file} ${when}`).toEqual(['ok']);
        expect(foreignKeyViolations, `${file} ${when}`).toEqual([]);
      }
    };

    let daemon: DaemonProc = await startDaemon(configFile);
    const live = openStore(dbFile); // stays open across the kills, as a dashboard reader would
    const count = (table: 'order_events' | 'verdicts' | 'snapshots'): number =>
      live.count(`SELECT COUNT(*) AS n FROM ${table}`);
    const { seen } = await subscribeOutbound(url);
    const publisher = trackPublishes(await connectPersistent(url, `pos-writes-${process.pid}`));
    const flood = startFlood(publisher);

    /** Kill at a random-ish point of the flood once this run's camera has written a verdict. */
    const afterVerdict = async (): Promise<string> => {
      const verdicts = count('verdicts');
      await waitFor(() => count('verdicts') > verdicts, {
        timeoutMs: 30_000,
        message: 'a verdict of this run',
      });
      const at = count('order_events') + 50 + Math.floor(rng() * 300);
      await waitFor(() => count('order_events') >= at, {
        timeoutMs: 30_000,
        intervalMs: 5,
        message: `${at} events`,
      });
      return `at ${at} stored events, after a verdict`;
    };
    /** An alert is stored before "mismatch: ..." is logged; its snapshot (file, then row) follows. */
    const onMismatch = async (): Promise<string> => {
      const line = await daemon.waitForLog((l) => l.msg.startsWith('mismatch:'), 30_000, 'a mismatch alert');
      return `on "${line.msg}"`;
    };
    const kills: string[] = [];
    for (const [i, cycle] of [afterVerdict, onMismatch, afterVerdict].entries()) {
      const when = await cycle();
      await killDaemon(daemon);
      kills.push(`kill ${i + 1} ${when} (${publisher.acked.size} acked)`);
      expectIntact(`after kill ${i + 1}`);
      daemon = await startDaemon(configFile);
      const recovered = daemon.lines.find((l) => l.msg.startsWith('queued messages the previous process'));
      if (recovered)
        kills.push(`restart ${i + 1}: broker re-queued ${String(recovered.messages)} from its inbound log`);
    }
    console.info(`daemon-kill-writes: ${kills.join('; ')}`);

    // The last run also takes a snapshot, so the file/row check below is not empty.
    await waitFor(() => count('snapshots') > 0, { timeoutMs: 30_000, message: 'a snapshot' });
    const { orders, eventIds } = await flood.stop();
    expect(publisher.acked.size).toBe(eventIds.length);
    // A lost message never arrives: wait a bounded time, then list what is missing.
    await waitFor(() => count('order_events') >= eventIds.length, {
      timeoutMs: 20_000,
      intervalMs: 50,
      message: 'every acknowledged event stored',
    }).catch(() => undefined);
    live.close();
    const { code } = await daemon.stop('SIGTERM');
    expect(code).toBe(0);
    expectIntact('after the final clean stop');

    const store = openStore(dbFile);
    try {
      const ids = new Set(
        (store.db.prepare('SELECT event_id FROM order_events').all() as { event_id: string }[]).map(
          (r) => r.event_id,
        ),
      );
      expect([...publisher.acked].filter((id) => !ids.has(id)).slice(0, 10)).toEqual([]);
      expect(store.count('SELECT COUNT(*) AS n FROM order_events')).toBe(eventIds.length);
      expect(store.count('SELECT COUNT(*) AS n FROM order_events WHERE pending = 1')).toBe(0);
      expect(store.count('SELECT COUNT(*) AS n FROM rejected_messages')).toBe(0);

      // Every order ends where its events lead, whatever the camera's verdicts did in between.
      const rows = store.db.prepare('SELECT order_id, status, version, items_json FROM orders').all() as {
        order_id: string;
        status: string;
        version: number;
        items_json: string;
      }[];
      expect(rows.length).toBe(orders);
      const wrong = rows.filter((r) => {
        const i = Number(r.order_id.slice(1));
        const items = JSON.parse(r.items_json) as unknown;
        return (
          r.status !== (isCancelled(i) ? 'cancelled' : 'served') ||
          r.version !== (isUpdated(i) ? 2 : 1) ||
          JSON.stringify(items) !== JSON.stringify(isUpdated(i) ? updatedItems : ordersItems(i))
        );
      });
      expect(wrong.slice(0, 5)).toEqual([]);

      // The camera wrote too, and what the daemon published it had stored first.
      const verdicts = store.count('SELECT COUNT(*) AS n FROM verdicts');
      const alerts = store.count('SELECT COUNT(*) AS n FROM alerts');
      expect(verdicts).toBeGreaterThan(0);
      expect(alerts).toBeGreaterThan(0);
      const verdictRow = store.db.prepare('SELECT tray_id, result FROM verdicts WHERE id = ?');
      const lostVerdicts = [...seen.verdicts].filter(([id, v]) => {
        const row = verdictRow.get(id) as { tray_id: string; result: string } | undefined;
        return row?.tray_id !== v.trayId || row.result !== v.result;
      });
      expect(seen.verdicts.size).toBeGreaterThan(0);
      expect(lostVerdicts).toEqual([]);
      const alertRow = store.db.prepare('SELECT id FROM alerts WHERE id = ?');
      expect([...seen.alerts].filter((id) => alertRow.get(id) === undefined)).toEqual([]);

      // A snapshot row is written after its file: every row has a complete file; every reference resolves.
      const snaps = store.db.prepare('SELECT path, bytes FROM snapshots').all() as {
        path: string;
        bytes: number;
      }[];
      const broken = snaps.filter((s) => {
        const file = join(dataDir, 'snapshots', s.path);
        return !existsSync(file) || statSync(file).size !== s.bytes;
      });
      expect(broken).toEqual([]);
      expect(
        store.count(
          `SELECT COUNT(*) AS n FROM (SELECT snapshot_id FROM verdicts UNION ALL SELECT snapshot_id FROM alerts)
           WHERE snapshot_id IS NOT NULL AND snapshot_id NOT IN (SELECT id FROM snapshots)`,
        ),
      ).toBe(0);
      console.info(
        `daemon-kill-writes: ${eventIds.length} events for ${orders} orders; ${verdicts} verdicts, ` +
          `${alerts} alerts, ${snaps.length} snapshots; ${seen.verdicts.size} verdicts and ` +
          `${seen.alerts.size} alerts received over MQTT`,
      );
    } finally {
      store.close();
    }
  }, 180_000);
});
