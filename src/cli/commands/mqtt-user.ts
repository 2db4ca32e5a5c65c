// traycheck mqtt-user add|remove|list|hash: the embedded broker's users live in the config file
// (mqtt.users) with scrypt hashes; this command makes the hash so no password is ever written
// there, and edits the file keeping its comments. The daemon reads users at start: restart it.
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { hashPassword, passwordProblem } from '../../auth/passwords.js';
import { ConfigError, formatIssues, parseConfigText } from '../../config/load.js';
import { listMqttUsers, withMqttUser, withoutMqttUser } from '../../config/mqtt-users-file.js';
import { MQTT_ROLES } from '../../config/sections/mqtt.js';
import { EXIT_CONFIG, UsageError, type Command, type ParsedArgs } from '../command.js';
import { readSecret } from '../secret.js';

const ROLES: readonly string[] = MQTT_ROLES;

async function password(args: ParsedArgs): Promise<{ password: string; generated: boolean }> {
  if (args.values.generate) return { password: randomBytes(18).toString('base64url'), generated: true };
  const pw = await readSecret('MQTT password: ', Boolean(args.values['password-stdin']));
  const problem = passwordProblem(pw);
  if (problem) throw new UsageError(problem);
  return { password: pw, generated: false };
}

function save(file: string, text: string): number {
  try {
    parseConfigText(text, file);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(
      `${file}: not changed, the result would not be valid:\n${formatIssues(file, err.issues)}\n`,
    );
    return EXIT_CONFIG;
  }
  // Same mode and owner as before (root:traycheck 0640 on an installed box: the daemon reads it).
  const before = statSync(file);
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, text, { mode: 0o600 });
  chmodSync(tmp, before.mode & 0o777);
  if (process.getuid?.() === 0) chownSync(tmp, before.uid, before.gid);
  renameSync(tmp, file);
  return 0;
}

export const mqttUserCommand: Command = {
  name: 'mqtt-user',
  summary: 'manage the embedded MQTT broker users (add, remove, list) or print a password hash',
  usage:
    'mqtt-user add <username> --role pos|kds|observer|daemon --config <file> [--password-stdin | --generate]\n' +
    '       traycheck mqtt-user remove <username> --config <file>\n' +
    '       traycheck mqtt-user list --config <file>\n' +
    '       traycheck mqtt-user hash [--password-stdin]',
  positionals: true,
  options: {
    config: { type: 'string', short: 'c', valueName: 'file', description: 'Config file to edit or list.' },
    role: { type: 'string', valueName: 'role', description: 'add: pos, kds, observer or daemon.' },
    'password-stdin': { type: 'boolean', description: 'Read the password from standard input (one line).' },
    generate: { type: 'boolean', description: 'add/hash: make a random password and print it once.' },
  },
  async run(args) {
    const [action, username] = args.positionals;
    const file = typeof args.values.config === 'string' ? args.values.config : undefined;
    if (action === 'hash') {
      const pw = await password(args);
      if (pw.generated) process.stdout.write(`password: ${pw.password}\n`);
      process.stdout.write(`${await hashPassword(pw.password)}\n`);
      return 0;
    }
    if (!file) throw new UsageError('missing required option --config');
    const text = readFileSync(file, 'utf8');
    if (action === 'list') {
      for (const u of listMqttUsers(text)) process.stdout.write(`${u.username}\t${u.role}\n`);
      return 0;
    }
    if (!username) throw new UsageError(`${action ?? 'mqtt-user'}: missing <username>`);
    if (action === 'remove') {
      const next = withoutMqttUser(text, username);
      if (next === null) {
        process.stderr.write(`traycheck mqtt-user: no user "${username}" in ${file}\n`);
        return 1;
      }
      const code = save(file, next);
      if (code === 0) process.stdout.write(`removed ${username}; restart traycheck to apply\n`);
      return code;
    }
    if (action !== 'add') throw new UsageError(`unknown action "${action ?? ''}" (add, remove, list, hash)`);
    const role = args.values.role;
    if (typeof role !== 'string' || !ROLES.includes(role))
      throw new UsageError(`--role must be one of ${ROLES.join(', ')}`);
    const pw = await password(args);
    const entry = {
      username,
      passwordHash: await hashPassword(pw.password),
      role: role as (typeof MQTT_ROLES)[number],
    };
    const code = save(file, withMqttUser(text, entry));
    if (code !== 0) return code;
    if (pw.generated) process.stdout.write(`password for ${username}: ${pw.password}\n`);
    process.stdout.write(`added ${username} (${role}); restart traycheck to apply\n`);
    return 0;
  },
};
