// The embedded broker's persistence on a real SQLite file (its SQL in src/store/broker-repo.ts),
// through the calls aedes makes: the QoS 2 paths (a PUBREL replacing its PUBLISH, in-flight
// incoming packets), wills by broker, retained messages, and what a restart keeps or forgets.
// The QoS 1 paths through a real broker are in embedded.test.ts and test/resilience/.
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { SqliteBrokerPersistence, type BrokerPacket } from '../../src/mqtt/broker-persistence.js';
import { tempDir } from '../helpers/daemon.js';

const open: SqliteBrokerPersistence[] = [];
async function start(file: string, brokerId = 'b1'): Promise<SqliteBrokerPersistence> {
  const p = new SqliteBrokerPersistence(file);
  open.push(p);
  await p.setup({ id: brokerId });
  return p;
}
async function read(stream: Readable): Promise<unknown[]> {
  const out: unknown[] = [];
  for await (const x of stream) out.push(x);
  return out;
}
const publish = (n: number, extra: Partial<BrokerPacket> = {}): BrokerPacket => ({
  cmd: 'publish',
  topic: 'traycheck/s1/orders',
  payload: Buffer.from(`order ${n}`),
  qos: 1,
  retain: false,
  brokerId: 'b1',
  brokerCounter: n,
  ...extra,
});
const payloads = (ps: unknown[]): string[] => ps.map((p) => String((p as BrokerPacket).payload));

afterEach(async () => {
  for (const p of open.splice(0)) await p.destroy();
});

describe('SqliteBrokerPersistence', () => {
  it('queues per client, numbers on delivery, replaces a PUBLISH by its PUBREL and clears on ack', async () => {
    const p = await start(join(tempDir('traycheck-bp-'), 'broker.db'));
    const pos = { id: 'pos-1' };
    await p.outgoingEnqueueCombi([{ clientId: 'pos-1' }, { clientId: 'kds-1' }], publish(1));
    await p.outgoingEnqueue({ clientId: 'pos-1' }, publish(2));
    expect(p.queuedCounts()).toEqual({ 'pos-1': 2, 'kds-1': 1 });

    await p.outgoingUpdate(pos, publish(1, { messageId: 7 }));
    await p.outgoingUpdate(pos, publish(2, { messageId: 8 }));
    const queued = (await read(p.outgoingStream(pos))) as BrokerPacket[];
    expect(queued.map((q) => q.messageId)).toEqual([7, 8]);
    expect(payloads(queued)).toEqual(['order 1', 'order 2']);

    // QoS 2: the PUBREL takes the PUBLISH's place under the same packet id.
    await p.outgoingUpdate(pos, { cmd: 'pubrel', messageId: 7 });
    const after = (await read(p.outgoingStream(pos))) as BrokerPacket[];
    expect(after.map((q) => [q.cmd, q.messageId])).toEqual([
      ['pubrel', 7],
      ['publish', 8],
    ]);
    await expect(p.outgoingUpdate(pos, { cmd: 'pubrel', messageId: 99 })).rejects.toThrow('no such packet');

    expect(await p.outgoingClearMessageId(pos, { messageId: 7 })).toMatchObject({ cmd: 'pubrel' });
    expect(await p.outgoingClearMessageId(pos, { messageId: 7 })).toBeUndefined();
    expect(p.queuedCounts()).toEqual({ 'pos-1': 1, 'kds-1': 1 });
  });

  it('keeps subscriptions, retained messages, wills and queues across a restart, and forgets packet ids', async () => {
    const file = join(tempDir('traycheck-bp-'), 'broker.db');
    const a = await start(file);
    await a.addSubscriptions({ id: 'kds-1' }, [
      { topic: 'traycheck/+/orders', qos: 1 },
      { topic: 'traycheck/s1/status', qos: 0, rh: 1 },
    ]);
    await a.storeRetained({ topic: 'traycheck/s1/status', payload: Buffer.from('online'), retain: true });
    await a.storeRetained({ topic: 'traycheck/s1/menu', payload: Buffer.from('v2'), retain: true });
    await a.putWill({ id: 'kds-1' }, { topic: 'kds/s1/status', payload: Buffer.from('offline'), qos: 1 });
    await a.outgoingEnqueue({ clientId: 'kds-1' }, publish(1));
    await a.outgoingUpdate({ id: 'kds-1' }, publish(1, { messageId: 3 }));
    await a.incomingStorePacket({ id: 'pos-1' }, publish(5, { qos: 2, messageId: 11 }));
    const key = a.inboundLog(publish(6));
    await a.destroy();

    const b = await start(file, 'b2');
    expect(await b.subscriptionsByClient({ id: 'kds-1' })).toEqual([
      { topic: 'traycheck/+/orders', qos: 1 },
      { topic: 'traycheck/s1/status', qos: 0, rh: 1 },
    ]);
    // Only QoS > 0 subscriptions receive queued messages.
    expect(await b.subscriptionsByTopic('traycheck/s1/orders')).toEqual([
      { topic: 'traycheck/+/orders', qos: 1, clientId: 'kds-1' },
    ]);
    expect(await b.subscriptionsByTopic('traycheck/s1/status')).toEqual([]);
    expect(await b.countOffline()).toEqual({ subsCount: 1, clientsCount: 1 });
    expect(payloads(await read(b.createRetainedStream('traycheck/s1/#'))).sort()).toEqual(['online', 'v2']);

    const queued = (await read(b.outgoingStream({ id: 'kds-1' }))) as BrokerPacket[];
    expect(queued).toHaveLength(1);
    expect(queued[0]?.messageId).toBeUndefined();

    expect(await b.incomingGetPacket({ id: 'pos-1' }, { messageId: 11 })).toMatchObject({
      qos: 2,
      messageId: 11,
    });
    await b.incomingDelPacket({ id: 'pos-1' }, { messageId: 11 });
    await expect(b.incomingGetPacket({ id: 'pos-1' }, { messageId: 11 })).rejects.toThrow('no such packet');
    await expect(b.incomingDelPacket({ id: 'pos-1' }, { messageId: 11 })).rejects.toThrow('no such packet');

    expect(b.inboundPending().map((i) => i.seq)).toEqual([key]);
    b.inboundDone(key);
    expect(b.inboundPending()).toEqual([]);

    // The will was left by broker b1: streamed unless b1 is still alive.
    expect(payloads(await read(b.streamWill({})))).toEqual(['offline']);
    expect(await read(b.streamWill({ b1: {} }))).toEqual([]);
    expect(await b.delWill({ id: 'kds-1' })).toMatchObject({ clientId: 'kds-1', brokerId: 'b1' });
    expect(await b.getWill({ id: 'kds-1' })).toBeUndefined();

    // An empty retained payload clears the topic; unsubscribing the last topic forgets the client.
    await b.storeRetained({ topic: 'traycheck/s1/menu', payload: Buffer.alloc(0), retain: true });
    expect(payloads(await read(b.createRetainedStream('traycheck/s1/#')))).toEqual(['online']);
    await b.removeSubscriptions({ id: 'kds-1' }, ['traycheck/+/orders', 'traycheck/s1/status']);
    expect(await b.countOffline()).toEqual({ subsCount: 0, clientsCount: 0 });
    expect(await read(b.getClientList('traycheck/+/orders'))).toEqual([]);
  });
});
