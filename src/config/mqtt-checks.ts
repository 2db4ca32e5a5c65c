// Config checks of the embedded broker's doors (docs/mqtt.md "Users and roles"), run after the
// schema passed: they need several keys at once.
import type { ConfigIssue } from './load.js';
import type { Config } from './schema.js';

/** Bind addresses the embedded broker may listen on without credentials. */
export const LOOPBACK_HOSTS = ['127.0.0.1', '::1', 'localhost'];

// An embedded broker reachable from the store LAN without users accepts fake orders from anyone
// on the Wi-Fi, so it is a config error, not a warning.
export function mqttChecks(
  config: Config,
  lineAt: (segs: Array<string | number>) => number | null,
  file: string,
): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const m = config.mqtt;
  const seen = new Set<string>();
  m.users.forEach((u, i) => {
    if (seen.has(u.username))
      issues.push({
        path: `mqtt.users[${i}].username`,
        line: lineAt(['mqtt', 'users', i, 'username']),
        source: file,
        message: `duplicate MQTT user "${u.username}"`,
        expected: 'unique usernames',
      });
    seen.add(u.username);
  });
  if (m.url) return issues;
  // Room for the topic and headers: the largest order the daemon would reject with a reason must
  // still reach it, or a QoS 1 POS resends it forever.
  const needed = config.orders.maxPayloadBytes + 1024;
  if (m.embedded.maxPacketBytes < needed)
    issues.push({
      path: 'mqtt.embedded.maxPacketBytes',
      line: lineAt(['mqtt', 'embedded', 'maxPacketBytes']),
      source: file,
      message: `below orders.maxPayloadBytes (${config.orders.maxPayloadBytes}) plus 1024 bytes of topic and headers`,
      expected: `≥ ${needed}`,
    });
  const credentials = m.users.length > 0 || m.username !== undefined;
  const binds: Array<[string[], string]> = [[['mqtt', 'embedded', 'host'], m.embedded.host]];
  if (m.embedded.tls) binds.push([['mqtt', 'embedded', 'tls', 'host'], m.embedded.tls.host]);
  for (const [segs, host] of binds) {
    if (credentials || LOOPBACK_HOSTS.includes(host)) continue;
    issues.push({
      path: segs.join('.'),
      line: lineAt(segs),
      source: file,
      message: `the embedded MQTT broker would accept anyone who can reach ${host}`,
      expected: `${LOOPBACK_HOSTS.join(', ')}, or mqtt.users with at least one user (\`traycheck mqtt-user hash\` makes the passwordHash)`,
    });
  }
  return issues;
}
