// On-disk persistence for the embedded aedes broker, in SQLite (better-sqlite3), implementing the
// async persistence interface aedes 1.x calls (aedes-persistence's MemoryPersistence is the
// reference). Why not aedes-persistence-level: better-sqlite3 is already our store, so this adds
// no native dependency. Survives a process kill (WAL, synchronous=NORMAL); a power cut may lose
// the last transactions, as with the main database.
//
// aedes answers a QoS 1 PUBLISH with PUBACK *before* it queues the message for subscribers
// (lib/handlers/publish.js writes the PUBACK, then publishes on setImmediate), so a kill in
// between lost messages the POS had been told were delivered (test/resilience/
// daemon-kill-writes.test.ts). The `inbound` table closes that gap: broker.ts logs each QoS 1
// message here before aedes acknowledges it and deletes it once aedes has queued it; what is
// left after a crash is published again at start (a duplicate at worst, which the POS contract
// makes harmless).
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { Readable } from 'node:stream';
import Database from 'better-sqlite3';
import { topicMatches } from './topics.js';

/** The packet fields aedes stores (aedes-packet), payload as a Buffer. */
export interface BrokerPacket {
  cmd?: string;
  brokerId?: string;
  brokerCounter?: number;
  topic?: string;
  payload?: Buffer | string;
  qos?: number;
  retain?: boolean;
  dup?: boolean;
  messageId?: number;
  clientId?: string;
  nl?: boolean;
  messageExpiry?: number;
}

interface Sub {
  topic: string;
  qos: number;
  rh?: number;
  rap?: boolean;
  nl?: boolean;
}
interface ClientRef {
  id: string;
}

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

export function serializePacket(p: BrokerPacket): string {
  const payload =
    p.payload === undefined
      ? ''
      : Buffer.isBuffer(p.payload)
        ? p.payload.toString('base64')
        : Buffer.from(p.payload).toString('base64');
  return JSON.stringify({ ...p, payload });
}

export function deserializePacket(json: string, messageId?: number | null): BrokerPacket {
  const raw = JSON.parse(json) as BrokerPacket & { payload: string };
  const p: BrokerPacket = { ...raw, payload: Buffer.from(raw.payload, 'base64') };
  if (messageId != null) p.messageId = messageId;
  else delete p.messageId;
  return p;
}

export class SqliteBrokerPersistence {
  readonly #db: Database.Database;
  /** clientId → topic → subscription; mirrors the table for topic matching on every publish. */
  readonly #subs = new Map<string, Map<string, Sub>>();
  /** Statements by SQL, prepared once: a statement prepared per call holds native memory until V8
   * next collects its wrapper, and that churn (every publish) fragments the malloc heap. */
  readonly #stmts = new Map<string, Database.Statement>();
  #brokerId = '';
  #closed = false;

  constructor(file: string) {
    mkdirSync(dirname(file), { recursive: true });
    this.#db = new Database(file);
    this.#db.pragma('journal_mode = WAL');
    this.#db.pragma('synchronous = NORMAL');
    this.#db.exec(SCHEMA);
  }

  async setup(broker: { id: string }): Promise<void> {
    this.#brokerId = broker.id;
    for (const r of this.#sql('SELECT client_id, topic, qos, opts FROM subscriptions').all() as {
      client_id: string;
      topic: string;
      qos: number;
      opts: string;
    }[]) {
      this.#clientSubs(r.client_id, true).set(r.topic, {
        ...(JSON.parse(r.opts) as object),
        topic: r.topic,
        qos: r.qos,
      });
    }
    // Packet ids handed out by a previous broker process mean nothing now: queued messages get
    // fresh ids when they are delivered, so they cannot collide with this process's ids.
    this.#db.exec('UPDATE outgoing SET message_id = NULL');
    return Promise.resolve();
  }

  #sql(text: string): Database.Statement {
    let stmt = this.#stmts.get(text);
    if (!stmt) {
      stmt = this.#db.prepare(text);
      this.#stmts.set(text, stmt);
    }
    return stmt;
  }

  #clientSubs(id: string, create: boolean): Map<string, Sub> {
    let m = this.#subs.get(id);
    if (!m) {
      m = new Map();
      if (create) this.#subs.set(id, m);
    }
    return m;
  }

  async storeRetained(p: BrokerPacket): Promise<void> {
    const empty = p.payload === undefined || p.payload.length === 0;
    if (empty) this.#sql('DELETE FROM retained WHERE topic = ?').run(p.topic);
    else
      this.#sql('INSERT OR REPLACE INTO retained (topic, packet) VALUES (?, ?)').run(
        p.topic,
        serializePacket(p),
      );
    return Promise.resolve();
  }

  createRetainedStreamCombi(patterns: string[]): Readable {
    const rows = this.#sql('SELECT topic, packet FROM retained').all() as {
      topic: string;
      packet: string;
    }[];
    const out: BrokerPacket[] = [];
    for (const pattern of patterns)
      for (const r of rows) if (topicMatches(pattern, r.topic)) out.push(deserializePacket(r.packet));
    return Readable.from(out);
  }

  createRetainedStream(pattern: string): Readable {
    return this.createRetainedStreamCombi([pattern]);
  }

  async addSubscriptions(client: ClientRef, subs: Sub[]): Promise<void> {
    const stmt = this.#sql(
      'INSERT OR REPLACE INTO subscriptions (client_id, topic, qos, opts) VALUES (?, ?, ?, ?)',
    );
    const mine = this.#clientSubs(client.id, true);
    this.#db.transaction(() => {
      for (const s of subs) {
        const rec: Sub = { topic: s.topic, qos: s.qos, rh: s.rh, rap: s.rap, nl: s.nl };
        stmt.run(client.id, s.topic, s.qos, JSON.stringify({ rh: s.rh, rap: s.rap, nl: s.nl }));
        mine.set(s.topic, rec);
      }
    })();
    return Promise.resolve();
  }

  async removeSubscriptions(client: ClientRef, topics: string[]): Promise<void> {
    const stmt = this.#sql('DELETE FROM subscriptions WHERE client_id = ? AND topic = ?');
    const mine = this.#clientSubs(client.id, false);
    this.#db.transaction(() => {
      for (const t of topics) {
        stmt.run(client.id, t);
        mine.delete(t);
      }
    })();
    if (mine.size === 0) this.#subs.delete(client.id);
    return Promise.resolve();
  }

  async subscriptionsByClient(client: ClientRef): Promise<Sub[]> {
    return Promise.resolve([...this.#clientSubs(client.id, false).values()].map((s) => ({ ...s })));
  }

  async countOffline(): Promise<{ subsCount: number; clientsCount: number }> {
    let subsCount = 0;
    for (const m of this.#subs.values()) for (const s of m.values()) if (s.qos > 0) subsCount++;
    return Promise.resolve({ subsCount, clientsCount: this.#subs.size });
  }

  async subscriptionsByTopic(topic: string): Promise<(Sub & { clientId: string })[]> {
    const out: (Sub & { clientId: string })[] = [];
    for (const [clientId, m] of this.#subs) {
      for (const s of m.values()) if (s.qos > 0 && topicMatches(s.topic, topic)) out.push({ ...s, clientId });
    }
    return Promise.resolve(out);
  }

  async cleanSubscriptions(client: ClientRef): Promise<void> {
    this.#sql('DELETE FROM subscriptions WHERE client_id = ?').run(client.id);
    this.#subs.delete(client.id);
    return Promise.resolve();
  }

  async outgoingEnqueue(sub: { clientId: string }, p: BrokerPacket): Promise<void> {
    return this.outgoingEnqueueCombi([sub], p);
  }

  async outgoingEnqueueCombi(subs: { clientId: string }[], p: BrokerPacket): Promise<void> {
    if (subs.length === 0) return Promise.resolve();
    const stmt = this.#sql(
      'INSERT INTO outgoing (client_id, broker_id, broker_counter, message_id, packet) VALUES (?, ?, ?, NULL, ?)',
    );
    const json = serializePacket({ ...p, messageId: undefined });
    this.#db.transaction(() => {
      for (const s of subs) stmt.run(s.clientId, p.brokerId ?? null, p.brokerCounter ?? null, json);
    })();
    return Promise.resolve();
  }

  outgoingUpdate(client: ClientRef, p: BrokerPacket): Promise<void> {
    if (p.brokerId !== undefined) {
      const r = this.#sql(
        'UPDATE outgoing SET message_id = ? WHERE client_id = ? AND broker_id = ? AND broker_counter = ?',
      ).run(p.messageId ?? null, client.id, p.brokerId, p.brokerCounter ?? null);
      if (r.changes > 0) return Promise.resolve();
    }
    // A different packet under the same id (PUBREL replacing its PUBLISH for QoS 2).
    const row = this.#sql(
      'SELECT seq FROM outgoing WHERE client_id = ? AND message_id = ? AND broker_id IS NOT ? ORDER BY seq LIMIT 1',
    ).get(client.id, p.messageId ?? null, p.brokerId ?? null) as { seq: number } | undefined;
    if (!row) return Promise.reject(new Error('no such packet'));
    this.#sql('UPDATE outgoing SET broker_id = ?, broker_counter = ?, packet = ? WHERE seq = ?').run(
      p.brokerId ?? null,
      p.brokerCounter ?? null,
      serializePacket({ ...p, messageId: undefined }),
      row.seq,
    );
    return Promise.resolve();
  }

  async outgoingClearMessageId(client: ClientRef, p: BrokerPacket): Promise<BrokerPacket | undefined> {
    const row = this.#sql(
      'SELECT seq, message_id, packet FROM outgoing WHERE client_id = ? AND message_id = ? ORDER BY seq LIMIT 1',
    ).get(client.id, p.messageId ?? null) as { seq: number; message_id: number; packet: string } | undefined;
    if (!row) return Promise.resolve(undefined);
    this.#sql('DELETE FROM outgoing WHERE seq = ?').run(row.seq);
    return Promise.resolve(deserializePacket(row.packet, row.message_id));
  }

  outgoingStream(client: ClientRef): Readable {
    const rows = this.#sql('SELECT message_id, packet FROM outgoing WHERE client_id = ? ORDER BY seq').all(
      client.id,
    ) as { message_id: number | null; packet: string }[];
    return Readable.from(rows.map((r) => deserializePacket(r.packet, r.message_id)));
  }

  async incomingStorePacket(client: ClientRef, p: BrokerPacket): Promise<void> {
    this.#sql('INSERT OR REPLACE INTO incoming (client_id, message_id, packet) VALUES (?, ?, ?)').run(
      client.id,
      p.messageId ?? 0,
      serializePacket(p),
    );
    return Promise.resolve();
  }

  incomingGetPacket(client: ClientRef, p: BrokerPacket): Promise<BrokerPacket> {
    const row = this.#sql('SELECT packet FROM incoming WHERE client_id = ? AND message_id = ?').get(
      client.id,
      p.messageId ?? 0,
    ) as { packet: string } | undefined;
    if (!row) return Promise.reject(new Error('no such packet'));
    return Promise.resolve(deserializePacket(row.packet, p.messageId));
  }

  incomingDelPacket(client: ClientRef, p: BrokerPacket): Promise<void> {
    const r = this.#sql('DELETE FROM incoming WHERE client_id = ? AND message_id = ?').run(
      client.id,
      p.messageId ?? 0,
    );
    return r.changes === 0 ? Promise.reject(new Error('no such packet')) : Promise.resolve();
  }

  async cleanIncoming(client: ClientRef): Promise<void> {
    this.#sql('DELETE FROM incoming WHERE client_id = ?').run(client.id);
    return Promise.resolve();
  }

  async putWill(client: ClientRef, p: BrokerPacket): Promise<void> {
    const will = { ...p, brokerId: this.#brokerId, clientId: client.id };
    this.#sql('INSERT OR REPLACE INTO wills (client_id, broker_id, packet) VALUES (?, ?, ?)').run(
      client.id,
      will.brokerId,
      serializePacket(will),
    );
    return Promise.resolve();
  }

  async getWill(client: ClientRef): Promise<BrokerPacket | undefined> {
    const row = this.#sql('SELECT packet FROM wills WHERE client_id = ?').get(client.id) as
      { packet: string } | undefined;
    return Promise.resolve(row ? deserializePacket(row.packet) : undefined);
  }

  async delWill(client: ClientRef): Promise<BrokerPacket | undefined> {
    const will = await this.getWill(client);
    this.#sql('DELETE FROM wills WHERE client_id = ?').run(client.id);
    return will;
  }

  streamWill(brokers: Record<string, unknown> = {}): Readable {
    const rows = this.#sql('SELECT broker_id, packet FROM wills').all() as {
      broker_id: string;
      packet: string;
    }[];
    return Readable.from(rows.filter((r) => !brokers[r.broker_id]).map((r) => deserializePacket(r.packet)));
  }

  getClientList(topic: string): Readable {
    const ids = [...this.#subs].filter(([, m]) => m.has(topic)).map(([id]) => id);
    return Readable.from(ids);
  }

  /** Logs a message received from a publisher before aedes acknowledges it; returns its key. */
  inboundLog(p: BrokerPacket): number {
    const r = this.#sql('INSERT INTO inbound (packet) VALUES (?)').run(serializePacket(p));
    return Number(r.lastInsertRowid);
  }

  /** The message is queued for its subscribers (or was published again after a crash). */
  inboundDone(seq: number): void {
    this.#sql('DELETE FROM inbound WHERE seq = ?').run(seq);
  }

  /** Messages acknowledged (maybe) but not queued when the previous process ended, oldest first. */
  inboundPending(): { seq: number; packet: BrokerPacket }[] {
    const rows = this.#sql('SELECT seq, packet FROM inbound ORDER BY seq').all() as {
      seq: number;
      packet: string;
    }[];
    return rows.map((r) => ({ seq: r.seq, packet: deserializePacket(r.packet) }));
  }

  /** Queued QoS 1 messages per client (health). */
  queuedCounts(): Record<string, number> {
    const rows = this.#sql('SELECT client_id, COUNT(*) AS n FROM outgoing GROUP BY client_id').all() as {
      client_id: string;
      n: number;
    }[];
    return Object.fromEntries(rows.map((r) => [r.client_id, r.n]));
  }

  async destroy(): Promise<void> {
    if (!this.#closed) this.#db.close();
    this.#closed = true;
    return Promise.resolve();
  }
}
