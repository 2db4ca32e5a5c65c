// The embedded broker's limits in the real daemon (broker on 127.0.0.2, see harness.ts): one
// broken or hostile client is cut off (oversized packets, too many connections from one address)
// or held to its rate (a 10,000-message burst) while orders from another client keep flowing,
// none lost.
import { connect as netConnect, type Socket } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { placed } from '../helpers/pos.js';
import { waitFor } from '../helpers/wait.js';
import { cleanUp, topic } from '../resilience/harness.js';
import {
  client,
  closed,
  connected,
  endClients,
  LAN_HOST,
  login,
  startSecuredDaemon,
  type SecuredDaemon,
} from './harness.js';

const LIMITS = { maxPacketBytes: 16384, maxMessagesPerSecond: 200, maxConnectionsPerAddress: 6 };

let d: SecuredDaemon;
const sockets: Socket[] = [];
beforeAll(async () => {
  // orders.maxPayloadBytes below the packet limit, as the config check requires.
  d = await startSecuredDaemon(LIMITS, { maxPayloadBytes: 8192 });
}, 60_000);
afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  await endClients();
});
afterAll(async () => {
  d.store.close();
  await cleanUp();
});

const count = (prefix: string): number =>
  d.store.count('SELECT COUNT(*) AS n FROM orders WHERE order_id LIKE ?', `${prefix}%`);
const refused = async (): Promise<Record<string, number>> =>
  (await d.health()).refused as Record<string, number>;

/** A raw TCP connection from `from`; resolves once connected. */
function raw(from: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = netConnect({ host: LAN_HOST, port: d.port, localAddress: from }, () => resolve(s));
    s.on('error', reject);
    sockets.push(s);
  });
}
const socketClosed = (s: Socket): Promise<void> =>
  new Promise((resolve) => (s.destroyed ? resolve() : s.once('close', () => resolve())));

describe('embedded broker limits', () => {
  it('reports its limits in the health output', async () => {
    expect((await d.health()).limits).toMatchObject(LIMITS);
  });

  it('cuts off a packet above maxPacketBytes as soon as its header announces it', async () => {
    const big = client(d.port, { ...login('pos-1'), from: '127.0.0.7' });
    await connected(big);
    const cut = closed(big);
    big.publish(topic('pos'), placed('BIG1', { note: 'x'.repeat(20_000) }), { qos: 0 });
    await cut;
    // Header only: a CONNECT claiming 100 MB. The body never comes; the socket is closed anyway.
    const s = await raw('127.0.0.7');
    s.write(Buffer.from([0x10, 0x80, 0xc2, 0xd7, 0x2f]));
    await socketClosed(s);
    expect(count('BIG')).toBe(0);
    expect((await refused()).tooLarge).toBeGreaterThanOrEqual(2);
  });

  it('holds a client publishing 10,000 messages at once to its rate while another POS loses nothing', async () => {
    const honest = client(d.port, { ...login('pos-2'), from: '127.0.0.1' });
    await connected(honest);
    const flood = client(d.port, { ...login('pos-1'), from: '127.0.0.8' });
    await connected(flood);
    const started = Date.now();
    for (let i = 0; i < 10_000; i++) flood.publish(topic('pos'), placed(`FLOOD${i}`), { qos: 0 });
    const sent: Array<Promise<unknown>> = [];
    for (let i = 0; i < 50; i++) sent.push(honest.publishAsync(topic('pos'), placed(`KEEP${i}`), { qos: 1 }));
    await Promise.all(sent);
    await waitFor(() => count('KEEP') === 50, { timeoutMs: 20_000, message: 'all 50 honest orders stored' });
    await waitFor(() => count('FLOOD') >= 2 * LIMITS.maxMessagesPerSecond, {
      message: 'the flood slowed, not stopped',
    });
    // Never more than the allowance per started second (plus the one in progress).
    const seconds = Math.ceil((Date.now() - started) / 1000);
    expect(count('FLOOD')).toBeLessThanOrEqual((seconds + 1) * LIMITS.maxMessagesPerSecond);
    expect(flood.connected).toBe(true);
    expect((await refused()).tooFast).toBeGreaterThanOrEqual(2);
  });

  it('closes connections above maxConnectionsPerAddress at once, other addresses unaffected', async () => {
    const from = '127.0.0.9';
    const open = await Promise.all(Array.from({ length: LIMITS.maxConnectionsPerAddress }, () => raw(from)));
    const extra = await raw(from);
    await socketClosed(extra);
    expect(open.every((s) => !s.destroyed)).toBe(true);
    await connected(client(d.port, { ...login('kds-1'), from: '127.0.0.10' }));
    open[0]?.destroy();
    await socketClosed(open[0] as Socket);
    await waitFor(
      async () => {
        const s = await raw(from);
        return new Promise<boolean>((resolve) => {
          const t = setTimeout(() => resolve(true), 200);
          s.once('close', () => {
            clearTimeout(t);
            resolve(false);
          });
        });
      },
      { timeoutMs: 20_000, message: 'a new connection accepted once one closed' },
    );
    expect((await refused()).tooManyConnections).toBeGreaterThanOrEqual(1);
  });
});
