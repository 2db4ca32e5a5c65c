// Rejections and the intake path on a real SQLite file (no MQTT): storage, truncation, counters,
// the once-a-minute log, the bus event and the echo; unknown SKUs keep the order.
import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { createEventBus } from '../../src/events.js';
import { createLogger, silentLogger } from '../../src/log.js';
import { createOrderBook } from '../../src/orders/book.js';
import { createIntake, type Intake } from '../../src/orders/intake.js';
import { createRejections, truncatePayload, type Rejections } from '../../src/orders/rejections.js';
import { openDatabase, type Db } from '../../src/store/db.js';
import { createOrdersRepo, type OrdersRepo } from '../../src/store/orders-repo.js';
import type { RejectedMessage } from '../../src/types.js';
import { MENU, removeDir, tempDataDir } from './harness.js';

describe('rejections and intake', () => {
  let dir: string;
  let db: Db;
  let repo: OrdersRepo;
  let rejections: Rejections;
  let intake: Intake;
  let clock: number;
  let logLines: { msg: string; suppressedSinceLastLog?: number }[];
  let echoed: RejectedMessage[];
  let busRejected: RejectedMessage[];

  beforeEach(() => {
    dir = tempDataDir();
    db = openDatabase(join(dir, 'traycheck.db'));
    repo = createOrdersRepo(db);
    clock = 1_740_830_400_000;
    logLines = [];
    echoed = [];
    busRejected = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, cb) {
        logLines.push(JSON.parse(chunk.toString()) as { msg: string });
        cb();
      },
    });
    const log = createLogger({ level: 'warn', destination: sink });
    const bus = createEventBus(silentLogger());
    bus.on('rejected', 'test', (r) => void busRejected.push(r));
    rejections = createRejections({
      repo,
      bus,
      log,
      echo: (m) => echoed.push(m),
      keepBytes: 64,
      now: () => clock,
    });
    const book = createOrderBook({ repo, bus, log, ttlMinutes: 120, now: () => clock });
    intake = createIntake({
      book,
      rejections,
      menu: MENU,
      modifiers: { no_drink: { change: { drink: -1 } } },
      limits: { maxPayloadBytes: 1024, maxNestingDepth: 8 },
      now: () => clock,
    });
  });
  afterEach(() => {
    db.close();
    removeDir(dir);
  });

  it('stores, counts, echoes and emits each rejection, logging a reason at most once a minute', () => {
    for (let i = 0; i < 5; i++) intake.handle('pos', 'tc/s1/pos', Buffer.from('{oops'));
    intake.handle('kds', 'tc/s1/kds', Buffer.from(JSON.stringify({ type: 'order.ready' })));
    clock += 61_000;
    intake.handle('pos', 'tc/s1/pos', Buffer.from('nope'));
    expect(repo.count('rejected_messages')).toBe(7);
    expect(rejections.counts()).toEqual({ total: 7, byReason: { 'not-json': 6, orderId: 1 } });
    expect(echoed).toHaveLength(7);
    expect(busRejected).toHaveLength(7);
    expect(echoed[5]).toMatchObject({
      topic: 'tc/s1/kds',
      reason: 'orderId: required, expected string of 1..64 characters without control characters',
    });
    const notJson = logLines.filter((l) => l.msg.startsWith('rejected message: not JSON'));
    expect(notJson).toHaveLength(2);
    expect(notJson[1]?.suppressedSinceLastLog).toBe(4);
    expect(rejections.recent(30_000)).toBe(1);
    expect(intake.stats()).toMatchObject({ received: 7, accepted: 0, rejected: 7 });
  });

  it('keeps only the first bytes of a rejected payload', () => {
    intake.handle('pos', 'tc/s1/pos', Buffer.alloc(2000, 0x61));
    const [row] = repo.listRejected(1);
    expect(row?.reason).toBe('payload too large: 2000 bytes > 1024');
    expect(row?.payload).toBe(`${'a'.repeat(64)}…(2000 bytes)`);
    expect(truncatePayload('short', 64)).toBe('short');
  });

  it('an unknown SKU keeps the order and reports the menu drift once per stored version', () => {
    const msg = (version?: number): Buffer =>
      Buffer.from(
        JSON.stringify({
          type: version ? 'order.updated' : 'order.placed',
          orderId: 'U1',
          items: [
            { sku: 'COMBO1', qty: 1 },
            { sku: 'MYSTERY', qty: 2 },
          ],
          ...(version ? { version } : {}),
        }),
      );
    intake.handle('pos', 'tc/s1/pos', msg());
    intake.handle('pos', 'tc/s1/pos', msg()); // repeat: not reported again
    intake.handle('pos', 'tc/s1/pos', msg(2));
    expect(repo.get('U1')).toMatchObject({
      version: 2,
      items: [
        { sku: 'COMBO1', qty: 1 },
        { sku: 'MYSTERY', qty: 2 },
      ],
    });
    expect(repo.listRejected(10).map((r) => r.reason)).toEqual([
      'unknown SKU: MYSTERY',
      'unknown SKU: MYSTERY',
    ]);
    expect(rejections.counts().byReason).toEqual({ 'unknown-sku': 2 });
    expect(intake.stats()).toMatchObject({ accepted: 3, rejected: 0, unknownSkuLines: 2 });
  });

  it('a line with an unknown modifier is kept as sent, not rejected: the verifier lists it unverifiable', () => {
    const msg = Buffer.from(
      JSON.stringify({
        type: 'order.placed',
        orderId: 'M1',
        items: [
          { sku: 'COMBO1', qty: 1, modifiers: ['no ice'] },
          { sku: 'COMBO1', qty: 1, modifiers: ['no_drink'] },
        ],
      }),
    );
    intake.handle('pos', 'tc/s1/pos', msg);
    expect(repo.get('M1')?.items).toEqual([
      { sku: 'COMBO1', qty: 1, modifiers: ['no ice'] },
      { sku: 'COMBO1', qty: 1, modifiers: ['no_drink'] },
    ]);
    expect(repo.listRejected(10)).toEqual([]);
    expect(intake.stats()).toMatchObject({ accepted: 1, rejected: 0, unknownModifierLines: 1 });
  });
});
