// Adds and removes entries of mqtt.users in a config file's text, keeping its comments and
// layout (the yaml Document API), so `traycheck mqtt-user` can edit the file a technician wrote.
import { isMap, isSeq, parseDocument, type Document } from 'yaml';
import type { MqttConfig } from './schema.js';

export type MqttUserEntry = MqttConfig['users'][number];

function open(text: string): Document {
  const doc = parseDocument(text);
  if (doc.errors.length) throw new Error(`YAML syntax: ${doc.errors[0]?.message.split('\n')[0] ?? ''}`);
  return doc;
}

function entries(doc: Document): MqttUserEntry[] {
  const users: unknown = doc.getIn(['mqtt', 'users']);
  if (users === undefined || users === null) return [];
  const list = (isSeq(users) ? users.toJSON() : users) as unknown;
  return Array.isArray(list) ? (list as MqttUserEntry[]) : [];
}

export function listMqttUsers(text: string): MqttUserEntry[] {
  return entries(open(text));
}

/** The text with `user` added, or replacing the entry of the same username. */
export function withMqttUser(text: string, user: MqttUserEntry): string {
  const doc = open(text);
  if (!isMap(doc.get('mqtt', true))) doc.set('mqtt', doc.createNode({}));
  if (!isSeq(doc.getIn(['mqtt', 'users'], true))) doc.setIn(['mqtt', 'users'], doc.createNode([]));
  const node = doc.createNode({ username: user.username, passwordHash: user.passwordHash, role: user.role });
  const seq = doc.getIn(['mqtt', 'users'], true);
  if (!isSeq(seq)) throw new Error('mqtt.users is not a list');
  const i = entries(doc).findIndex((u) => u.username === user.username);
  if (i >= 0) seq.set(i, node);
  else seq.add(node);
  return doc.toString({ flowCollectionPadding: false });
}

/** The text without `username`'s entry; null when there was none. */
export function withoutMqttUser(text: string, username: string): string | null {
  const doc = open(text);
  const i = entries(doc).findIndex((u) => u.username === username);
  if (i < 0) return null;
  doc.deleteIn(['mqtt', 'users', i]);
  return doc.toString({ flowCollectionPadding: false });
}
