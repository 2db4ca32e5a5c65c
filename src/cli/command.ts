// Small command framework over node:util parseArgs: strict options, --help per command,
// unknown options → clear error and exit 2.
import { parseArgs, type ParseArgsConfig } from 'node:util';

export type OptionSpec = NonNullable<ParseArgsConfig['options']>[string] & {
  description: string;
  valueName?: string;
};

export interface Command {
  name: string;
  summary: string;
  usage: string;
  options: Record<string, OptionSpec>;
  /** Allow positional arguments (e.g. image files). */
  positionals?: boolean;
  run(args: ParsedArgs): Promise<number>;
}

export interface ParsedArgs {
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
}

export class UsageError extends Error {}

export const EXIT_OK = 0;
export const EXIT_USAGE = 2;
export const EXIT_CONFIG = 78; // EX_CONFIG from sysexits.h: systemd's RestartPreventExitStatus=78

export function parseCommandArgs(cmd: Command, argv: string[]): ParsedArgs | 'help' {
  const options = {
    ...cmd.options,
    help: { type: 'boolean', short: 'h', description: 'Show this help.' },
  } as Record<string, OptionSpec>;
  const spec: Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }> = {};
  for (const [k, o] of Object.entries(options)) {
    spec[k] = {
      type: o.type,
      ...(o.short ? { short: o.short } : {}),
      ...(o.multiple ? { multiple: true } : {}),
    };
  }
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: spec, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError(
      `${(err as Error).message.replace(/\. To specify a positional.*$/s, '')}\nRun "traycheck ${cmd.name} --help" for the options.`,
    );
  }
  if (parsed.values.help) return 'help';
  if (!cmd.positionals && parsed.positionals.length) {
    throw new UsageError(
      `unexpected argument "${parsed.positionals[0]}"\nRun "traycheck ${cmd.name} --help" for the options.`,
    );
  }
  return { values: parsed.values as ParsedArgs['values'], positionals: parsed.positionals };
}

export function commandHelp(cmd: Command): string {
  const lines = [
    `traycheck ${cmd.name} — ${cmd.summary}`,
    '',
    `Usage: traycheck ${cmd.usage}`,
    '',
    'Options:',
  ];
  const opts = {
    ...cmd.options,
    help: { type: 'boolean', short: 'h', description: 'Show this help.' },
  } as Record<string, OptionSpec>;
  for (const [k, o] of Object.entries(opts)) {
    const flag = `${o.short ? `-${o.short}, ` : '    '}--${k}${o.type === 'string' ? ` <${o.valueName ?? 'value'}>` : ''}`;
    lines.push(`  ${flag.padEnd(30)} ${o.description}`);
  }
  return lines.join('\n') + '\n';
}

export function requireString(args: ParsedArgs, name: string): string {
  const v = args.values[name];
  if (typeof v !== 'string' || v === '') throw new UsageError(`missing required option --${name}`);
  return v;
}

export function numberOption(args: ParsedArgs, name: string, fallback: number): number {
  const v = args.values[name];
  if (v === undefined) return fallback;
  const n = Number(v);
  if (typeof v !== 'string' || !Number.isFinite(n))
    throw new UsageError(`--${name} expects a number, got "${String(v)}"`);
  return n;
}
