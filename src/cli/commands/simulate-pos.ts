// `traycheck simulate-pos`: publish a realistic POS/KDS order stream to a broker.
//   traycheck simulate-pos --url mqtt://127.0.0.1:1883 --rate 4 [--config traycheck.yaml] [--speed 60] [--count 100]
import { loadConfig } from '../../config/load.js';
import type { Menu } from '../../config/schema.js';
import { createLogger } from '../../log.js';
import { projectPath } from '../../paths.js';
import { createPosSimulator } from '../../sim/pos.js';
import { numberOption, UsageError, type Command, type OptionSpec, type ParsedArgs } from '../command.js';

export const simulatePosOptions: Record<string, OptionSpec> = {
  url: {
    type: 'string',
    valueName: 'url',
    description: 'Broker URL (default: mqtt.url of the config, else mqtt://127.0.0.1:<embedded port>).',
  },
  config: {
    type: 'string',
    short: 'c',
    valueName: 'file',
    description: 'Take menu, store id, prefix and broker from this config (default: the example config).',
  },
  store: {
    type: 'string',
    valueName: 'id',
    description: 'Store id in the topics (default: store.id of the config).',
  },
  prefix: {
    type: 'string',
    valueName: 'prefix',
    description: 'Topic prefix (default: mqtt.prefix of the config).',
  },
  rate: {
    type: 'string',
    valueName: 'n',
    description: 'Orders per minute before the rush-hour profile (default 2).',
  },
  speed: {
    type: 'string',
    valueName: 'x',
    description: 'Time factor: 1 = real time (default), 60 = an hour per minute.',
  },
  count: {
    type: 'string',
    valueName: 'n',
    description: 'Stop after this many orders (their ready/served events still follow).',
  },
  duration: { type: 'string', valueName: 's', description: 'Stop after this many simulated seconds.' },
  seed: { type: 'string', valueName: 'n', description: 'Random seed (default 1).' },
  'cancel-rate': {
    type: 'string',
    valueName: 'r',
    description: 'Fraction of orders cancelled (default 0.03).',
  },
  'update-rate': {
    type: 'string',
    valueName: 'r',
    description: 'Fraction of orders updated (default 0.08).',
  },
  stations: {
    type: 'string',
    valueName: 'a,b',
    description: 'KDS stations ready bumps come from (default expo).',
  },
  flat: { type: 'boolean', description: 'No rush hours: the same rate all day.' },
  username: {
    type: 'string',
    valueName: 'user',
    description: 'Broker username (default: mqtt.username of the config).',
  },
};

const rate01 = (args: ParsedArgs, name: string, fallback: number): number => {
  const r = numberOption(args, name, fallback);
  if (r < 0 || r > 1) throw new UsageError(`--${name} must be between 0 and 1`);
  return r;
};

/** Runs until the stream ends (--count / --duration) or SIGINT/SIGTERM; returns the exit code. */
export async function runSimulatePos(args: ParsedArgs): Promise<number> {
  const v = args.values;
  const { config } = loadConfig(
    typeof v.config === 'string' ? v.config : projectPath('config', 'traycheck.example.yaml'),
  );
  const menu: Menu = config.menu;
  const ratePerMin = numberOption(args, 'rate', 2);
  if (!(ratePerMin > 0 && ratePerMin <= 10_000))
    throw new UsageError('--rate must be between 0 and 10000 orders per minute');
  const speed = numberOption(args, 'speed', 1);
  if (!(speed > 0)) throw new UsageError('--speed must be > 0');
  const count = v.count === undefined ? undefined : numberOption(args, 'count', 0);
  if (count !== undefined && !(Number.isInteger(count) && count > 0))
    throw new UsageError('--count must be a positive integer');
  const url =
    typeof v.url === 'string' ? v.url : (config.mqtt.url ?? `mqtt://127.0.0.1:${config.mqtt.embedded.port}`);
  const username = typeof v.username === 'string' ? v.username : config.mqtt.username;
  const log = createLogger({
    level: config.logging.level,
    pretty: config.logging.pretty === 'auto' ? undefined : config.logging.pretty,
  });
  const sim = createPosSimulator({
    url,
    storeId: typeof v.store === 'string' ? v.store : config.store.id,
    prefix: typeof v.prefix === 'string' ? v.prefix : config.mqtt.prefix,
    menu,
    ratePerMin,
    speed,
    seed: numberOption(args, 'seed', 1),
    cancelRate: rate01(args, 'cancel-rate', 0.03),
    updateRate: rate01(args, 'update-rate', 0.08),
    rushHours: v.flat !== true,
    ...(typeof v.stations === 'string'
      ? {
          stations: v.stations
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean),
        }
      : {}),
    ...(count !== undefined ? { maxOrders: count } : {}),
    ...(v.duration !== undefined ? { durationS: numberOption(args, 'duration', 0) } : {}),
    ...(username !== undefined ? { username } : {}),
    // The password only from the config or the environment, never from the command line.
    ...(config.mqtt.password !== undefined ? { password: config.mqtt.password } : {}),
    log,
  });
  const stop = (): void => void sim.stop();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    await sim.start();
    await sim.done();
    await sim.stop();
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
  const s = sim.stats();
  process.stdout.write(
    `simulate-pos: ${s.orders} orders, ${s.events} events published (${JSON.stringify(s.byType)}), ${s.errors} errors\n`,
  );
  return s.errors > 0 ? 1 : 0;
}

export const simulatePosCommand: Command = {
  name: 'simulate-pos',
  summary: 'publish a realistic POS/KDS order stream over MQTT (demo, tests, bench)',
  usage: 'simulate-pos [--url mqtt://host:1883] [--rate N] [--speed X] [--count N] [--config FILE]',
  options: simulatePosOptions,
  run: runSimulatePos,
};
