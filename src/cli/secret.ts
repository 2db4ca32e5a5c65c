// Reads a password without echoing it (a terminal) or as one line of standard input (a script).
import { createInterface } from 'node:readline';
import { UsageError } from './command.js';

export async function readSecret(prompt: string, fromStdin: boolean): Promise<string> {
  const stdin = process.stdin;
  if (fromStdin || !stdin.isTTY) {
    if (!fromStdin) throw new UsageError('no terminal to ask for the password: pass --password-stdin');
    const rl = createInterface({ input: stdin, terminal: false });
    for await (const line of rl) {
      rl.close();
      return line.replace(/\r$/, '');
    }
    throw new UsageError('no password on standard input');
  }
  process.stderr.write(prompt);
  stdin.setRawMode(true);
  stdin.resume();
  let secret = '';
  try {
    for await (const chunk of stdin) {
      for (const ch of (chunk as Buffer).toString('utf8')) {
        if (ch === '\r' || ch === '\n') return secret;
        if (ch === '\u0003') throw new UsageError('cancelled');
        if (ch === '\u007f') secret = secret.slice(0, -1);
        else secret += ch;
      }
    }
    return secret;
  } finally {
    stdin.setRawMode(false);
    stdin.pause();
    process.stderr.write('\n');
  }
}
