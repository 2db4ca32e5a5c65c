// The config checks of the embedded broker's doors (src/config/mqtt-checks.ts).
import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfigText } from '../../src/config/load.js';

const BASE = `store: { id: s1, name: Test }
cameras: []
menu: { BURGER: { name: Burger, contains: { burger: 1 } } }
`;
const USER = '{ username: pos-1, passwordHash: "scrypt$16384$8$1$c2FsdA$a2V5", role: pos }';

function issues(
  mqtt: string,
): Array<{ path: string; line: number | null; message: string; expected?: string }> {
  try {
    parseConfigText(`${BASE}mqtt:\n${mqtt}`, 'test.yaml');
    return [];
  } catch (err) {
    if (err instanceof ConfigError) return err.issues;
    throw err;
  }
}

describe('embedded broker config checks', () => {
  it('refuses a LAN bind without users, with key, line and what to add', () => {
    const found = issues('  embedded:\n    host: 0.0.0.0\n');
    expect(found).toEqual([
      expect.objectContaining({
        path: 'mqtt.embedded.host',
        line: 6,
        message: expect.stringContaining('accept anyone who can reach 0.0.0.0') as string,
        expected: expect.stringContaining('mqtt.users') as string,
      }),
    ]);
  });

  it('refuses an mqtts listener on the LAN without users too', () => {
    const tls = '  embedded:\n    tls: { host: 0.0.0.0, certFile: a.crt, keyFile: a.key }\n';
    expect(issues(tls).map((i) => i.path)).toEqual(['mqtt.embedded.tls.host']);
    expect(issues(`${tls}  users: [${USER}]\n`)).toEqual([]);
  });

  it('accepts loopback without users, a LAN bind with users, and any bind behind mqtt.url', () => {
    expect(issues('  embedded: { host: 127.0.0.1 }\n')).toEqual([]);
    expect(issues('  embedded: { host: "::1" }\n')).toEqual([]);
    expect(issues(`  embedded: { host: 0.0.0.0 }\n  users: [${USER}]\n`)).toEqual([]);
    expect(issues('  url: mqtt://broker:1883\n  embedded: { host: 0.0.0.0 }\n')).toEqual([]);
  });

  it('treats 127.0.0.2 as a LAN address (only 127.0.0.1, ::1 and localhost are exempt)', () => {
    expect(issues('  embedded: { host: 127.0.0.2 }\n').map((i) => i.path)).toEqual(['mqtt.embedded.host']);
  });

  it('refuses duplicate users, an unknown role, a plaintext password, and a packet limit below the payload limit', () => {
    const dup = issues(`  users: [${USER}, ${USER}]\n`);
    expect(dup.map((i) => i.path)).toEqual(['mqtt.users[1].username']);
    expect(
      issues('  users: [{ username: a, passwordHash: "scrypt$x", role: chef }]\n').map((i) => i.path),
    ).toEqual(['mqtt.users[0].role']);
    expect(
      issues('  users: [{ username: a, passwordHash: hunter2, role: pos }]\n').map((i) => i.path),
    ).toEqual(['mqtt.users[0].passwordHash']);
    expect(issues('  embedded: { maxPacketBytes: 4096 }\n')).toEqual([
      expect.objectContaining({ path: 'mqtt.embedded.maxPacketBytes', expected: '≥ 66560' }),
    ]);
  });
});
