// On-disk persistence for the embedded aedes broker, in SQLite (better-sqlite3; the SQL is in
// src/store/broker-repo.ts), implementing the async persistence interface aedes 1.x calls
// (aedes-persistence's MemoryPersistence is the reference). Why not aedes-persistence-level:
// better-sqlite3 is already our store, so this adds no native dependency. Survives a process kill (WAL, synchronous=NORMAL); a power cut may lose
// the last transactions, as with the main database.
//
// aedes answers a QoS 1 PUBLISH with PUBACK *before* it queues the message for subscribers
// (lib/handlers/publish.js writes the PUBACK, then publishes on setImmediate), so a kill in
// between lost messages the POS had been told were delivered (test/resilience/
// daemon-kill-writes.test.ts). The `inbound` table closes that gap: broker.ts logs each QoS 1
// message here before aedes acknowledges it and deletes it once aedes has queued it; what is
// left after a crash is published again at start (a duplicate at worst, which the POS contract
// makes harmless).
import { Readable } from 'node:stream';
import { openBrokerRepo, type BrokerRepo } from '../store/broker-repo.js';
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
  /** The broker's own SQLite file and its statements. */
  readonly #repo: BrokerRepo;
  /** clientId → topic → subscription; mirrors the table for topic matching on every publish. */
  readonly #subs = new Map<string, Map<string, Sub>>();
  #brokerId = '';

  constructor(file: string) {
    this.#repo = openBrokerRepo(file);
  }

  async setup(broker: { id: string }): Promise<void> {
    this.#brokerId = broker.id;
    for (const r of this.#repo.subscriptions()) {
      this.#clientSubs(r.clientId, true).set(r.topic, {
        ...(JSON.parse(r.opts) as object),
        topic: r.topic,
        qos: r.qos,
      });
    }
    // Packet ids handed out by a previous broker process mean nothing now: queued messages get
    // fresh ids when they are delivered, so they cannot collide with this process's ids.
    this.#repo.forgetPacketIds();
    return Promise.resolve();
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
    const topic = p.topic ?? '';
    if (empty) this.#repo.deleteRetained(topic);
    else this.#repo.putRetained(topic, serializePacket(p));
    return Promise.resolve();
  }

  createRetainedStreamCombi(patterns: string[]): Readable {
    const rows = this.#repo.retained();
    const out: BrokerPacket[] = [];
    for (const pattern of patterns)
      for (const r of rows) if (topicMatches(pattern, r.topic)) out.push(deserializePacket(r.packet));
    return Readable.from(out);
  }

  createRetainedStream(pattern: string): Readable {
    return this.createRetainedStreamCombi([pattern]);
  }

  async addSubscriptions(client: ClientRef, subs: Sub[]): Promise<void> {
    this.#repo.putSubscriptions(
      subs.map((s) => ({
        clientId: client.id,
        topic: s.topic,
        qos: s.qos,
        opts: JSON.stringify({ rh: s.rh, rap: s.rap, nl: s.nl }),
      })),
    );
    const mine = this.#clientSubs(client.id, true);
    for (const s of subs) mine.set(s.topic, { topic: s.topic, qos: s.qos, rh: s.rh, rap: s.rap, nl: s.nl });
    return Promise.resolve();
  }

  async removeSubscriptions(client: ClientRef, topics: string[]): Promise<void> {
    this.#repo.deleteSubscriptions(client.id, topics);
    const mine = this.#clientSubs(client.id, false);
    for (const t of topics) mine.delete(t);
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
    this.#repo.deleteClientSubscriptions(client.id);
    this.#subs.delete(client.id);
    return Promise.resolve();
  }

  async outgoingEnqueue(sub: { clientId: string }, p: BrokerPacket): Promise<void> {
    return this.outgoingEnqueueCombi([sub], p);
  }

  async outgoingEnqueueCombi(subs: { clientId: string }[], p: BrokerPacket): Promise<void> {
    if (subs.length === 0) return Promise.resolve();
    this.#repo.enqueue(
      subs.map((s) => s.clientId),
      { brokerId: p.brokerId ?? null, brokerCounter: p.brokerCounter ?? null },
      serializePacket({ ...p, messageId: undefined }),
    );
    return Promise.resolve();
  }

  outgoingUpdate(client: ClientRef, p: BrokerPacket): Promise<void> {
    const key = { brokerId: p.brokerId ?? null, brokerCounter: p.brokerCounter ?? null };
    if (p.brokerId !== undefined && this.#repo.setPacketId(client.id, key, p.messageId ?? null))
      return Promise.resolve();
    // A different packet under the same id (PUBREL replacing its PUBLISH for QoS 2).
    const seq = this.#repo.outgoingFromOther(client.id, p.messageId ?? null, key.brokerId);
    if (seq === null) return Promise.reject(new Error('no such packet'));
    this.#repo.replaceOutgoing(seq, key, serializePacket({ ...p, messageId: undefined }));
    return Promise.resolve();
  }

  async outgoingClearMessageId(client: ClientRef, p: BrokerPacket): Promise<BrokerPacket | undefined> {
    const row = this.#repo.outgoingById(client.id, p.messageId ?? null);
    if (!row) return Promise.resolve(undefined);
    this.#repo.deleteOutgoing(row.seq);
    return Promise.resolve(deserializePacket(row.packet, row.messageId));
  }

  outgoingStream(client: ClientRef): Readable {
    const rows = this.#repo.outgoing(client.id);
    return Readable.from(rows.map((r) => deserializePacket(r.packet, r.messageId)));
  }

  async incomingStorePacket(client: ClientRef, p: BrokerPacket): Promise<void> {
    this.#repo.putIncoming(client.id, p.messageId ?? 0, serializePacket(p));
    return Promise.resolve();
  }

  incomingGetPacket(client: ClientRef, p: BrokerPacket): Promise<BrokerPacket> {
    const packet = this.#repo.getIncoming(client.id, p.messageId ?? 0);
    if (packet === null) return Promise.reject(new Error('no such packet'));
    return Promise.resolve(deserializePacket(packet, p.messageId));
  }

  incomingDelPacket(client: ClientRef, p: BrokerPacket): Promise<void> {
    return this.#repo.deleteIncoming(client.id, p.messageId ?? 0)
      ? Promise.resolve()
      : Promise.reject(new Error('no such packet'));
  }

  async cleanIncoming(client: ClientRef): Promise<void> {
    this.#repo.deleteClientIncoming(client.id);
    return Promise.resolve();
  }

  async putWill(client: ClientRef, p: BrokerPacket): Promise<void> {
    const will = { ...p, brokerId: this.#brokerId, clientId: client.id };
    this.#repo.putWill(client.id, will.brokerId, serializePacket(will));
    return Promise.resolve();
  }

  async getWill(client: ClientRef): Promise<BrokerPacket | undefined> {
    const packet = this.#repo.getWill(client.id);
    return Promise.resolve(packet === null ? undefined : deserializePacket(packet));
  }

  async delWill(client: ClientRef): Promise<BrokerPacket | undefined> {
    const will = await this.getWill(client);
    this.#repo.deleteWill(client.id);
    return will;
  }

  streamWill(brokers: Record<string, unknown> = {}): Readable {
    const rows = this.#repo.wills();
    return Readable.from(rows.filter((r) => !brokers[r.brokerId]).map((r) => deserializePacket(r.packet)));
  }

  getClientList(topic: string): Readable {
    const ids = [...this.#subs].filter(([, m]) => m.has(topic)).map(([id]) => id);
    return Readable.from(ids);
  }

  /** Logs a message received from a publisher before aedes acknowledges it; returns its key. */
  inboundLog(p: BrokerPacket): number {
    return this.#repo.logInbound(serializePacket(p));
  }

  /** The message is queued for its subscribers (or was published again after a crash). */
  inboundDone(seq: number): void {
    this.#repo.deleteInbound(seq);
  }

  /** Messages acknowledged (maybe) but not queued when the previous process ended, oldest first. */
  inboundPending(): { seq: number; packet: BrokerPacket }[] {
    return this.#repo.inbound().map((r) => ({ seq: r.seq, packet: deserializePacket(r.packet) }));
  }

  /** Queued QoS 1 messages per client (health). */
  queuedCounts(): Record<string, number> {
    return this.#repo.queuedCounts();
  }

  async destroy(): Promise<void> {
    this.#repo.close();
    return Promise.resolve();
  }
}
