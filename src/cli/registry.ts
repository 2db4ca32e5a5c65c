import type { Command } from './command.js';
import { backupCommand } from './commands/backup.js';
import { checkConfigCommand } from './commands/check-config.js';
import { datasetCommand } from './commands/dataset.js';
import { demoCommand } from './commands/demo.js';
import { detectCommand } from './commands/detect.js';
import { evalCommand } from './commands/eval.js';
import { ordersCommand } from './commands/orders.js';
import { mqttCertCommand } from './commands/mqtt-cert.js';
import { mqttUserCommand } from './commands/mqtt-user.js';
import { runCommand } from './commands/run.js';
import { scenarioCommand } from './commands/scenario.js';
import { simulatePosCommand } from './commands/simulate-pos.js';
import { statusCommand } from './commands/status.js';
import { spritesCommand } from './commands/sprites.js';
import { modelCommand } from './commands/model.js';
import { trainCommand } from './commands/train.js';

export const commands: Command[] = [
  runCommand,
  demoCommand,
  checkConfigCommand,
  statusCommand,
  detectCommand,
  evalCommand,
  scenarioCommand,
  datasetCommand,
  simulatePosCommand,
  ordersCommand,
  backupCommand,
  mqttUserCommand,
  mqttCertCommand,
  spritesCommand,
  modelCommand,
  trainCommand,
];
