import type { Command } from './command.js';
import { backupCommand } from '../store/backup.js';
import { statusCommand } from '../health/status-command.js';
import { simulatePosCommand } from '../sim/pos-cli.js';
import { checkConfigCommand } from './commands/check-config.js';
import { datasetCommand } from './commands/dataset.js';
import { demoCommand } from './commands/demo.js';
import { detectCommand } from './commands/detect.js';
import { evalCommand } from './commands/eval.js';
import { runCommand } from './commands/run.js';
import { scenarioCommand } from './commands/scenario.js';
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
  backupCommand,
  spritesCommand,
  modelCommand,
  trainCommand,
];
