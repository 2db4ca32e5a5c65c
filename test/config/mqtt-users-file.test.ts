// `traycheck mqtt-user` edits of a config file's text (src/config/mqtt-users-file.ts).
import { describe, expect, it } from 'vitest';
import { listMqttUsers, withMqttUser, withoutMqttUser } from '../../src/config/mqtt-users-file.js';

const FILE = `# the store's config
store: { id: s1, name: Test }
mqtt:
  prefix: traycheck   # topic prefix
  embedded: { host: 0.0.0.0, port: 1883 }
`;
const hash = (n: number): string => `scrypt$16384$8$1$salt${n}$key${n}`;

describe('mqtt users in the config file', () => {
  it('adds, replaces and removes users, keeping comments', () => {
    const one = withMqttUser(FILE, { username: 'pos-1', passwordHash: hash(1), role: 'pos' });
    expect(one).toContain('# the store');
    expect(one).toContain('# topic prefix');
    const two = withMqttUser(one, { username: 'obs', passwordHash: hash(2), role: 'observer' });
    const again = withMqttUser(two, { username: 'pos-1', passwordHash: hash(3), role: 'kds' });
    expect(listMqttUsers(again)).toEqual([
      { username: 'pos-1', passwordHash: hash(3), role: 'kds' },
      { username: 'obs', passwordHash: hash(2), role: 'observer' },
    ]);
    const left = withoutMqttUser(again, 'pos-1');
    expect(left && listMqttUsers(left).map((u) => u.username)).toEqual(['obs']);
    expect(withoutMqttUser(FILE, 'nobody')).toBeNull();
  });

  it('adds an mqtt section when the file has none', () => {
    const out = withMqttUser('store: { id: s1, name: T }\n', {
      username: 'k',
      passwordHash: hash(1),
      role: 'kds',
    });
    expect(listMqttUsers(out)).toHaveLength(1);
  });
});
