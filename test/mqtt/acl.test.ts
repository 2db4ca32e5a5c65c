// The roles' topic rules (src/mqtt/acl.ts): pure table tests.
import { describe, expect, it } from 'vitest';
import { canPublish, canRead, canSubscribe, filterCovered, roleTopics } from '../../src/mqtt/acl.js';

const BASE = 'traycheck/s1';
const pos = roleTopics('pos', BASE);
const kds = roleTopics('kds', BASE);
const observer = roleTopics('observer', BASE);
const daemon = roleTopics('daemon', BASE);

describe('filterCovered(pattern, filter)', () => {
  it.each([
    ['a/b', 'a/b', true],
    ['a/b', 'a/c', false],
    ['a/+', 'a/b', true],
    ['a/+', 'a/+', true],
    ['a/b', 'a/+', false],
    ['a/+', 'a/#', false],
    ['a/#', 'a/#', true],
    ['a/#', 'a/b/c', true],
    ['a/#', 'a', true],
    ['a/#', '#', false],
    ['#', '#', true],
    ['#', '$SYS/x', false],
    ['a/+/c', 'a/+/c', true],
    ['a/+/c', 'a/b/+', false],
    ['a/b', 'a/b/c', false],
    ['a/b/c', 'a/b', false],
  ])('%s covers %s: %s', (pattern, filter, expected) => {
    expect(filterCovered(pattern, filter)).toBe(expected);
  });
});

describe('roles', () => {
  it.each([
    [pos, 'traycheck/s1/pos', true],
    [pos, 'traycheck/s1/kds', false],
    [pos, 'traycheck/s1/alert', false],
    [pos, 'traycheck/s2/pos', false],
    [kds, 'traycheck/s1/kds', true],
    [kds, 'traycheck/s1/pos', false],
    [observer, 'traycheck/s1/status', false],
    [observer, 'traycheck/s1/pos', false],
    [daemon, 'traycheck/s1/alert', true],
  ])('publish: %j to %s is %s', (rt, topic, expected) => {
    expect(canPublish(rt, topic)).toBe(expected);
  });

  it.each([
    [pos, 'traycheck/s1/pos/rejected', true],
    [pos, 'traycheck/s1/status', true],
    [pos, 'traycheck/#', false],
    [pos, 'traycheck/s1/#', false],
    [pos, '#', false],
    [pos, 'traycheck/s1/alert', false],
    [pos, 'traycheck/s1/+', false],
    [kds, 'traycheck/s1/status', true],
    [kds, 'traycheck/s1/verdict', true],
    [kds, 'traycheck/s1/#', false],
    [kds, 'traycheck/s1/pos/rejected', false],
    [observer, 'traycheck/s1/alert', true],
    [observer, 'traycheck/s1/verdict', true],
    [observer, 'traycheck/s1/camera/+/status', true],
    [observer, 'traycheck/s1/camera/expo/status', true],
    [observer, 'traycheck/s1/camera/#', false],
    [observer, 'traycheck/s1/pos', false],
    [observer, 'traycheck/s1/kds', false],
    [daemon, '#', true],
  ])('subscribe: %j to %s is %s', (rt, filter, expected) => {
    expect(canSubscribe(rt, filter)).toBe(expected);
  });

  it('reads only what the role may subscribe to', () => {
    expect(canRead(pos, 'traycheck/s1/alert')).toBe(false);
    expect(canRead(pos, 'traycheck/s1/pos/rejected')).toBe(true);
    expect(canRead(observer, 'traycheck/s1/camera/expo-2/status')).toBe(true);
    expect(canRead(observer, 'traycheck/s1/pos')).toBe(false);
    expect(canRead(daemon, 'traycheck/s1/pos')).toBe(true);
  });
});
