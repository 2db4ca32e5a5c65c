// Who may publish and read which topics on the embedded broker (docs/mqtt.md "Users and roles").
// Pure: the broker hooks in broker-access.ts ask these questions for every packet.
//
// A subscription is granted only when one readable pattern covers every topic the filter can
// match, so `traycheck/#` from a POS is refused outright (SUBACK 0x80) instead of being granted
// and then quietly filtered. Delivery is checked again per message (canRead) because a persistent
// session restored from disk was subscribed before the current users and roles existed.
import type { MQTT_ROLES } from '../config/sections/mqtt.js';
import { topicMatches } from './topics.js';

export type MqttRole = (typeof MQTT_ROLES)[number];

export interface RoleTopics {
  publish: string[];
  read: string[];
}

/** Topic patterns per role under `<prefix>/<store>`. */
export function roleTopics(role: MqttRole, base: string): RoleTopics {
  switch (role) {
    case 'pos':
      return { publish: [`${base}/pos`], read: [`${base}/pos/rejected`, `${base}/status`] };
    case 'kds':
      // A KDS screen at the expo shows the verdicts and alerts of the trays it bumps.
      return { publish: [`${base}/kds`], read: [`${base}/status`, `${base}/verdict`, `${base}/alert`] };
    case 'observer':
      return {
        publish: [],
        read: [
          `${base}/status`,
          `${base}/camera/+/status`,
          `${base}/verdict`,
          `${base}/alert`,
          `${base}/pos/rejected`,
        ],
      };
    case 'daemon':
      return { publish: ['#'], read: ['#'] };
  }
}

/** True when every topic `filter` can match is also matched by `pattern`. */
export function filterCovered(pattern: string, filter: string): boolean {
  const p = pattern.split('/');
  const f = filter.split('/');
  if (filter.startsWith('$') && (p[0] === '+' || p[0] === '#')) return false;
  for (let i = 0; i < f.length; i++) {
    const pl = p[i];
    const fl = f[i];
    if (pl === '#') return true;
    if (pl === undefined) return false;
    if (fl === '#') return false; // the filter reaches levels the pattern does not
    if (pl === '+') continue;
    if (fl === '+' || fl !== pl) return false;
  }
  // `a/#` also matches `a` itself.
  return p.length === f.length || (p.length === f.length + 1 && p[f.length] === '#');
}

export const canPublish = (rt: RoleTopics, topic: string): boolean =>
  rt.publish.some((p) => topicMatches(p, topic));

export const canRead = (rt: RoleTopics, topic: string): boolean =>
  rt.read.some((p) => topicMatches(p, topic));

export const canSubscribe = (rt: RoleTopics, filter: string): boolean =>
  rt.read.some((p) => filterCovered(p, filter));
