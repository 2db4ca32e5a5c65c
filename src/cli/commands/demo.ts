import { loadConfig, type LoadedConfig } from '../../config/load.js';
import { createDaemon } from '../../daemon.js';
import { createLogger } from '../../log.js';
import { allocatorWarning, glibcVersion } from '../../allocator.js';
import { projectPath } from '../../paths.js';
import { createScenarioPos } from '../../sim/scenario-pos.js';
import { createScenarioSource } from '../../sim/scenario-camera.js';
import { generateScenario } from '../../sim/scenario-generate.js';
import { loadScenario } from '../../sim/scenario.js';
import { numberOption, type Command } from '../command.js';
import { runUntilSignal } from '../lifecycle.js';

export const demoCommand: Command = {
  name: 'demo',
  summary:
    'run the product on a simulated counter: embedded broker, simulated POS and camera, real detector, dashboard',
  usage: 'demo [--port 8080] [--error-rate 0.25] [--seed N] [--config FILE]',
  options: {
    port: { type: 'string', short: 'p', valueName: 'port', description: 'Dashboard port (default 8080).' },
    'mqtt-port': {
      type: 'string',
      valueName: 'port',
      description: 'Embedded broker port (default from the demo config: 18830; 0 = any free port).',
    },
    'error-rate': {
      type: 'string',
      valueName: 'R',
      description: 'Fraction of trays assembled wrong (default 0.25).',
    },
    seed: {
      type: 'string',
      valueName: 'S',
      description: 'Seed of the simulated shift (default: changes every run).',
    },
    config: {
      type: 'string',
      short: 'c',
      valueName: 'file',
      description: 'Demo config (default config/demo.yaml).',
    },
    scenario: {
      type: 'string',
      valueName: 'file',
      description: 'Play this scenario file (looped) instead of a generated shift.',
    },
  },
  async run(args) {
    const file = (args.values.config as string | undefined) ?? projectPath('config', 'demo.yaml');
    const base = loadConfig(file);
    const config = {
      ...base.config,
      dashboard: { ...base.config.dashboard, port: numberOption(args, 'port', base.config.dashboard.port) },
      mqtt: {
        ...base.config.mqtt,
        embedded: {
          ...base.config.mqtt.embedded,
          port: numberOption(args, 'mqtt-port', base.config.mqtt.embedded.port),
        },
      },
    };
    const loaded: LoadedConfig = { ...base, config };
    const log = createLogger({ level: config.logging.level });
    const allocator = allocatorWarning(process.env, glibcVersion());
    if (allocator) log.warn(allocator);
    const seed = numberOption(args, 'seed', Math.floor(Date.now() / 1000) % 100_000);
    const scenario =
      typeof args.values.scenario === 'string'
        ? loadScenario(args.values.scenario)
        : generateScenario({
            trays: 400,
            errorRate: numberOption(args, 'error-rate', 0.25),
            seed,
            menu: config.menu,
            name: 'demo shift',
          });
    const camera = config.cameras[0];
    if (!camera) throw new Error('the demo config needs one camera');
    // Order numbers differ per run and per lap so a restarted demo never reuses one.
    const pos = createScenarioPos({
      scenario,
      log: log.child({ stage: 'sim-pos' }),
      prefix: config.mqtt.prefix,
      storeId: config.store.id,
      orderBase: (seed % 90) * 100,
    });
    const source = createScenarioSource({
      scenario,
      realtime: true,
      loop: true,
      beforeFrame: (tS, tsMs) => pos.advance(tS, tsMs),
      onLap: (lap) => pos.newLap(lap),
    });
    const daemon = createDaemon({ loaded, log, simSources: { [camera.id]: source } });
    const stopped = runUntilSignal(
      {
        async stop() {
          await pos.stop();
          await daemon.stop();
        },
      },
      log,
    );
    await daemon.start();
    await pos.start(daemon.brokerUrl());
    // A demo may run without its dashboard (the chain-of-stores test runs three at once).
    const url = config.dashboard.enabled ? daemon.dashboardUrl() : null;
    const token = daemon.setupToken();
    const lines = [
      '',
      `  traycheck demo is running — simulated counter "${config.store.name}", error rate ${(scenario.trays.length ? Object.keys(scenario.truth).length / scenario.trays.length : 0).toFixed(2)}`,
      ...(url === null
        ? ['  dashboard:   off (dashboard.enabled: false)']
        : [
            `  dashboard:   ${url}`,
            token
              ? `  first start: set the admin password at ${url}/setup?token=${token}`
              : '  log in with the admin password you set on the first run',
            `  live view:   ${url}/live      manager: ${url}/manager      health: ${url}/api/health`,
          ]),
      '  Ctrl-C stops everything.',
      '',
    ];
    process.stdout.write(lines.join('\n') + '\n');
    return stopped;
  },
};
