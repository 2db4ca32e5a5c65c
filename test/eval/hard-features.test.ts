// The checked-in hard-counter cases through the real daemon (renderer → ffmpeg → shipped model →
// tray → verify → alerts, orders over MQTT): identical orders back to back on one spot each get
// their own verdict, a 6 s camera stall is reported (verification unavailable) with no verdict on
// counts from before it, a combo without its drink is right, a cancelled order's tray stays
// unlinked, and a tray missing its extra sauce alerts.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { runScenario } from '../../src/eval/run.js';
import { silentLogger } from '../../src/log.js';
import { loadScenario } from '../../src/sim/scenario.js';
import { ROOT } from '../helpers/daemon.js';

const base = loadConfig(join(ROOT, 'config', 'traycheck.example.yaml'), {});

describe('hard-counter features through the real daemon', () => {
  it('successors, a camera stall, modifiers, a cancelled order and a wrong tray', async () => {
    const sc = loadScenario(join(ROOT, 'test', 'scenarios', 'hard', 'features.yaml'));
    const { report: r } = await runScenario(sc, { base, log: silentLogger() });
    const byId = Object.fromEntries(r.outcomes.map((o) => [o.trayId, o]));
    // Same-spot successor: the second twin is a tray of its own, verdicted before it leaves.
    expect(byId['second-twin']).toMatchObject({ verdictedBeforeLeave: true, linkedRight: true });
    expect(byId['first-twin']).toMatchObject({ verdictedBeforeLeave: true, linkedRight: true });
    // The stall (55 s for 6 s) is longer than the config's stallTimeoutMs (5 s): reported.
    expect(r.cameraStalls).toEqual({ stalls: 1, reportable: 1, reported: 1, staleVerdicts: 0 });
    expect(byId.stalled).toMatchObject({ verdictedBeforeLeave: true, alerted: false });
    expect(byId['no-drink']).toMatchObject({ finalVerdict: 'ok', alerted: false });
    expect(byId.cancelled).toMatchObject({ verdictCorrect: true, alerted: false });
    expect(byId['wrong-sauce']).toMatchObject({ wrong: true, alerted: true });
    expect(r.verdictedBeforeDeparture).toBe(r.trays);
  }, 300_000);
});
