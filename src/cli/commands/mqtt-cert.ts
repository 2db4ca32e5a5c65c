// traycheck mqtt-cert: a self-signed certificate and key for the embedded broker's mqtts listener
// (mqtt.embedded.tls), for a store without its own PKI. Prints the SHA-256 fingerprint the POS
// installer compares (or pins) when trusting the certificate. openssl does the X.509 work.
import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { numberOption, requireString, UsageError, type Command } from '../command.js';

export const mqttCertCommand: Command = {
  name: 'mqtt-cert',
  summary: 'make a self-signed certificate and key for the mqtts listener and print its fingerprint',
  usage: 'mqtt-cert --out <dir> [--name <host or IP>]... [--days 825] [--force]',
  options: {
    out: { type: 'string', short: 'o', valueName: 'dir', description: 'Folder for mqtt.crt and mqtt.key.' },
    name: {
      type: 'string',
      multiple: true,
      valueName: 'host',
      description: 'DNS name or IP address the POS connects to (repeatable; default: this host name).',
    },
    days: { type: 'string', valueName: 'N', description: 'Validity in days (default 825).' },
    force: { type: 'boolean', description: 'Replace an existing pair.' },
  },
  run(args) {
    const dir = resolve(requireString(args, 'out'));
    const names = (args.values.name as string[] | undefined) ?? [hostname()];
    const days = numberOption(args, 'days', 825);
    if (!Number.isInteger(days) || days < 1 || days > 3650) throw new UsageError('--days must be 1..3650');
    const cert = join(dir, 'mqtt.crt');
    const key = join(dir, 'mqtt.key');
    if (!args.values.force && (existsSync(cert) || existsSync(key)))
      throw new UsageError(`${cert} or ${key} exists; pass --force to replace them`);
    mkdirSync(dir, { recursive: true });
    const san = names.map((n) => (isIP(n) ? `IP:${n}` : `DNS:${n}`)).join(',');
    const cn = (names[0] ?? 'traycheck').replace(/[/=]/g, '_');
    try {
      execFileSync(
        'openssl',
        [
          'req',
          '-x509',
          '-newkey',
          'ec',
          '-pkeyopt',
          'ec_paramgen_curve:prime256v1',
          '-nodes',
          '-keyout',
          key,
          '-out',
          cert,
          '-days',
          String(days),
          '-subj',
          `/CN=${cn}`,
          '-addext',
          `subjectAltName=${san}`,
        ],
        { stdio: ['ignore', 'ignore', 'pipe'] },
      );
    } catch (err) {
      const e = err as NodeJS.ErrnoException & { stderr?: Buffer };
      throw new UsageError(
        e.code === 'ENOENT'
          ? 'openssl is not installed (apt-get install openssl), or make the pair on any machine that has it'
          : `openssl failed: ${e.stderr?.toString().trim() ?? e.message}`,
      );
    }
    chmodSync(key, 0o600);
    const x509 = new X509Certificate(readFileSync(cert));
    process.stdout.write(
      [
        `certificate: ${cert}`,
        `key:         ${key}`,
        `names:       ${names.join(', ')}`,
        `valid until: ${x509.validTo}`,
        `SHA-256 fingerprint: ${x509.fingerprint256}`,
        '',
        'In the config:',
        '  mqtt:',
        '    embedded:',
        '      tls: { host: 0.0.0.0, port: 8883, certFile: ' + cert + ', keyFile: ' + key + ' }',
        '',
        'Give the POS installer mqtt.crt (as its CA) and compare the fingerprint on both sides.',
        '',
      ].join('\n'),
    );
    return Promise.resolve(0);
  },
};
