// The embedded MQTT broker's own SQLite file (retained messages, subscriptions, queued QoS 1
// messages, QoS 2 in-flight, wills, and the inbound log): its SQL, one statement per query,
// prepared once at open (a statement prepared per call holds native memory until V8 next collects
// its wrapper, and that churn on every publish fragments the malloc heap). Packets are stored as JSON text; src/mqtt/broker-persistence.ts turns them into
// aedes packets and keeps the aedes interface. A file of its own, not a migration of the main
// database: the broker writes on every QoS 1 message and is recreated freely.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS retained (topic TEXT PRIMARY KEY, packet TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS subscriptions (
  client_id TEXT NOT NULL, topic TEXT NOT NULL, qos INTEGER NOT NULL, opts TEXT NOT NULL,
  PRIMARY KEY (client_id, topic));
CREATE TABLE IF NOT EXISTS outgoing (
  seq INTEGER PRIMARY KEY AUTOINCREMENT, client_id TEXT NOT NULL, broker_id TEXT, broker_counter INTEGER,
  message_id INTEGER, packet TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS outgoing_client ON outgoing(client_id, seq);
CREATE TABLE IF NOT EXISTS incoming (client_id TEXT NOT NULL, message_id INTEGER NOT NULL, packet TEXT NOT NULL,
  PRIMARY KEY (client_id, message_id));
CREATE TABLE IF NOT EXISTS wills (client_id TEXT PRIMARY KEY, broker_id TEXT, packet TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS inbound (seq INTEGER PRIMARY KEY AUTOINCREMENT, packet TEXT NOT NULL);
`;

export interface SubscriptionRow {
  clientId: string;
  topic: string;
  qos: number;
  /** JSON of the subscription's MQTT 5 options (rh, rap, nl). */
  opts: string;
}

/** Where a queued message is: its key, the packet id it was sent under (null: not yet sent). */
export interface OutgoingRow {
  seq: number;
  messageId: number | null;
  packet: string;
}

/** The broker that made a message and its counter there: how aedes names a queued message. */
export interface BrokerKey {
  brokerId: string | null;
  brokerCounter: number | null;
}

export interface BrokerRepo {
  subscriptions(): SubscriptionRow[];
  /** Subscribes (insert or replace) in one transaction. */
  putSubscriptions(subs: SubscriptionRow[]): void;
  deleteSubscriptions(clientId: string, topics: string[]): void;
  deleteClientSubscriptions(clientId: string): void;

  retained(): Array<{ topic: string; packet: string }>;
  putRetained(topic: string, packet: string): void;
  deleteRetained(topic: string): void;

  /** Queues one message for each client, in one transaction. */
  enqueue(clientIds: string[], key: BrokerKey, packet: string): void;
  /** Packet ids handed out by a previous broker process: forgotten at start. */
  forgetPacketIds(): void;
  /** Sets the packet id of a queued message named by its broker key; false when none matched. */
  setPacketId(clientId: string, key: BrokerKey, messageId: number | null): boolean;
  /** The oldest queued message under this packet id made by another broker (key), if any. */
  outgoingFromOther(clientId: string, messageId: number | null, brokerId: string | null): number | null;
  replaceOutgoing(seq: number, key: BrokerKey, packet: string): void;
  /** The oldest queued message under this packet id. */
  outgoingById(clientId: string, messageId: number | null): OutgoingRow | null;
  deleteOutgoing(seq: number): void;
  /** A client's queue, oldest first. */
  outgoing(clientId: string): OutgoingRow[];
  /** Queued messages per client. */
  queuedCounts(): Record<string, number>;

  putIncoming(clientId: string, messageId: number, packet: string): void;
  getIncoming(clientId: string, messageId: number): string | null;
  /** False when there was none. */
  deleteIncoming(clientId: string, messageId: number): boolean;
  deleteClientIncoming(clientId: string): void;

  putWill(clientId: string, brokerId: string, packet: string): void;
  getWill(clientId: string): string | null;
  deleteWill(clientId: string): void;
  wills(): Array<{ brokerId: string; packet: string }>;

  /** Logs a message before aedes acknowledges it; returns its key. */
  logInbound(packet: string): number;
  deleteInbound(seq: number): void;
  /** Logged and not yet queued, oldest first. */
  inbound(): Array<{ seq: number; packet: string }>;

  close(): void;
}

/** Opens (creating) the broker's file: WAL, synchronous=NORMAL, as the main database. */
export function openBrokerRepo(file: string): BrokerRepo {
  mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec(SCHEMA);

  const q = {
    subs: db.prepare<[], { client_id: string; topic: string; qos: number; opts: string }>(
      'SELECT client_id, topic, qos, opts FROM subscriptions',
    ),
    putSub: db.prepare<[string, string, number, string]>(
      'INSERT OR REPLACE INTO subscriptions (client_id, topic, qos, opts) VALUES (?, ?, ?, ?)',
    ),
    delSub: db.prepare<[string, string]>('DELETE FROM subscriptions WHERE client_id = ? AND topic = ?'),
    delClientSubs: db.prepare<[string]>('DELETE FROM subscriptions WHERE client_id = ?'),
    retained: db.prepare<[], { topic: string; packet: string }>('SELECT topic, packet FROM retained'),
    putRetained: db.prepare<[string, string]>(
      'INSERT OR REPLACE INTO retained (topic, packet) VALUES (?, ?)',
    ),
    delRetained: db.prepare<[string]>('DELETE FROM retained WHERE topic = ?'),
    enqueue: db.prepare<[string, string | null, number | null, string]>(
      'INSERT INTO outgoing (client_id, broker_id, broker_counter, message_id, packet) VALUES (?, ?, ?, NULL, ?)',
    ),
    forgetIds: db.prepare('UPDATE outgoing SET message_id = NULL'),
    setId: db.prepare<[number | null, string, string | null, number | null]>(
      'UPDATE outgoing SET message_id = ? WHERE client_id = ? AND broker_id = ? AND broker_counter = ?',
    ),
    fromOther: db.prepare<[string, number | null, string | null], { seq: number }>(
      'SELECT seq FROM outgoing WHERE client_id = ? AND message_id = ? AND broker_id IS NOT ? ORDER BY seq LIMIT 1',
    ),
    replace: db.prepare<[string | null, number | null, string, number]>(
      'UPDATE outgoing SET broker_id = ?, broker_counter = ?, packet = ? WHERE seq = ?',
    ),
    byId: db.prepare<[string, number | null], { seq: number; message_id: number | null; packet: string }>(
      'SELECT seq, message_id, packet FROM outgoing WHERE client_id = ? AND message_id = ? ORDER BY seq LIMIT 1',
    ),
    delOutgoing: db.prepare<[number]>('DELETE FROM outgoing WHERE seq = ?'),
    outgoing: db.prepare<[string], { seq: number; message_id: number | null; packet: string }>(
      'SELECT seq, message_id, packet FROM outgoing WHERE client_id = ? ORDER BY seq',
    ),
    counts: db.prepare<[], { client_id: string; n: number }>(
      'SELECT client_id, COUNT(*) AS n FROM outgoing GROUP BY client_id',
    ),
    putIncoming: db.prepare<[string, number, string]>(
      'INSERT OR REPLACE INTO incoming (client_id, message_id, packet) VALUES (?, ?, ?)',
    ),
    getIncoming: db.prepare<[string, number], { packet: string }>(
      'SELECT packet FROM incoming WHERE client_id = ? AND message_id = ?',
    ),
    delIncoming: db.prepare<[string, number]>('DELETE FROM incoming WHERE client_id = ? AND message_id = ?'),
    delClientIncoming: db.prepare<[string]>('DELETE FROM incoming WHERE client_id = ?'),
    putWill: db.prepare<[string, string, string]>(
      'INSERT OR REPLACE INTO wills (client_id, broker_id, packet) VALUES (?, ?, ?)',
    ),
    getWill: db.prepare<[string], { packet: string }>('SELECT packet FROM wills WHERE client_id = ?'),
    delWill: db.prepare<[string]>('DELETE FROM wills WHERE client_id = ?'),
    wills: db.prepare<[], { broker_id: string; packet: string }>('SELECT broker_id, packet FROM wills'),
    logInbound: db.prepare<[string]>('INSERT INTO inbound (packet) VALUES (?)'),
    delInbound: db.prepare<[number]>('DELETE FROM inbound WHERE seq = ?'),
    inbound: db.prepare<[], { seq: number; packet: string }>('SELECT seq, packet FROM inbound ORDER BY seq'),
  };
  const toOutgoing = (r: { seq: number; message_id: number | null; packet: string }): OutgoingRow => ({
    seq: r.seq,
    messageId: r.message_id,
    packet: r.packet,
  });
  let closed = false;

  return {
    subscriptions: () =>
      q.subs.all().map((r) => ({ clientId: r.client_id, topic: r.topic, qos: r.qos, opts: r.opts })),
    putSubscriptions: db.transaction((subs: SubscriptionRow[]) => {
      for (const s of subs) q.putSub.run(s.clientId, s.topic, s.qos, s.opts);
    }),
    deleteSubscriptions: db.transaction((clientId: string, topics: string[]) => {
      for (const t of topics) q.delSub.run(clientId, t);
    }),
    deleteClientSubscriptions: (clientId) => void q.delClientSubs.run(clientId),

    retained: () => q.retained.all(),
    putRetained: (topic, packet) => void q.putRetained.run(topic, packet),
    deleteRetained: (topic) => void q.delRetained.run(topic),

    enqueue: db.transaction((clientIds: string[], key: BrokerKey, packet: string) => {
      for (const id of clientIds) q.enqueue.run(id, key.brokerId, key.brokerCounter, packet);
    }),
    forgetPacketIds: () => void q.forgetIds.run(),
    setPacketId: (clientId, key, messageId) =>
      q.setId.run(messageId, clientId, key.brokerId, key.brokerCounter).changes > 0,
    outgoingFromOther: (clientId, messageId, brokerId) =>
      q.fromOther.get(clientId, messageId, brokerId)?.seq ?? null,
    replaceOutgoing: (seq, key, packet) => void q.replace.run(key.brokerId, key.brokerCounter, packet, seq),
    outgoingById: (clientId, messageId) => {
      const r = q.byId.get(clientId, messageId);
      return r ? toOutgoing(r) : null;
    },
    deleteOutgoing: (seq) => void q.delOutgoing.run(seq),
    outgoing: (clientId) => q.outgoing.all(clientId).map(toOutgoing),
    queuedCounts: () => Object.fromEntries(q.counts.all().map((r) => [r.client_id, r.n])),

    putIncoming: (clientId, messageId, packet) => void q.putIncoming.run(clientId, messageId, packet),
    getIncoming: (clientId, messageId) => q.getIncoming.get(clientId, messageId)?.packet ?? null,
    deleteIncoming: (clientId, messageId) => q.delIncoming.run(clientId, messageId).changes > 0,
    deleteClientIncoming: (clientId) => void q.delClientIncoming.run(clientId),

    putWill: (clientId, brokerId, packet) => void q.putWill.run(clientId, brokerId, packet),
    getWill: (clientId) => q.getWill.get(clientId)?.packet ?? null,
    deleteWill: (clientId) => void q.delWill.run(clientId),
    wills: () => q.wills.all().map((r) => ({ brokerId: r.broker_id, packet: r.packet })),

    logInbound: (packet) => Number(q.logInbound.run(packet).lastInsertRowid),
    deleteInbound: (seq) => void q.delInbound.run(seq),
    inbound: () => q.inbound.all(),

    close() {
      if (!closed) db.close();
      closed = true;
    },
  };
}
