import type { Command } from './command.js';
import { checkConfigCommand } from './commands/check-config.js';
import { runCommand } from './commands/run.js';

export const commands: Command[] = [runCommand, checkConfigCommand];
