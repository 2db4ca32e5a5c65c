import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, parseConfigText } from '../../src/config/load.js';
import { maskConfig } from '../../src/config/mask.js';
import { ROOT } from '../helpers/daemon.js';

const EXAMPLE = join(ROOT, 'config', 'traycheck.example.yaml');

function issuesOf(text: string, env: NodeJS.ProcessEnv = {}): ConfigError['issues'] {
  try {
    parseConfigText(text, 'test.yaml', env);
  } catch (err) {
    if (err instanceof ConfigError) return err.issues;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('config loader', () => {
  it('accepts the documented example and fills defaults', () => {
    const { config } = loadConfig(EXAMPLE, {});
    expect(config.store.id).toBe('store-042');
    expect(config.tray.settleWindowMs).toBe(1000);
    expect(config.menu.GIFT_CARD?.verify).toBe(false);
    expect(config.menu.COMBO1?.verify).toBe(true);
    expect(config.cameras[0]?.stallTimeoutMs).toBe(5000);
  });

  it('reports every error at once with key path, line and what was expected', () => {
    const text = [
      'store:', //                1
      '  id: Bad Id', //          2
      '  naem: typo', //          3
      'cameras:', //              4
      '  - id: a', //             5
      '    source: rtsp://x/y', //6
      '    fps: 99', //           7
      'detector:', //             8
      '  threads: two', //        9
      'logging:', //              10
      '  level: loud', //         11
    ].join('\n');
    const issues = issuesOf(text);
    const byPath = Object.fromEntries(issues.map((i) => [i.path, i]));
    expect(Object.keys(byPath).sort()).toEqual([
      'cameras[0].fps',
      'detector.threads',
      'logging.level',
      'store.id',
      'store.naem',
    ]);
    expect(byPath['store.id']?.line).toBe(2);
    expect(byPath['store.naem']?.line).toBe(3);
    expect(byPath['store.naem']?.message).toMatch(/unknown key/);
    expect(byPath['cameras[0].fps']?.line).toBe(7);
    expect(byPath['cameras[0].fps']?.expected).toBe('number from 0.5 to 30');
    expect(byPath['detector.threads']?.line).toBe(9);
    expect(byPath['detector.threads']?.expected).toMatch(/integer/);
    expect(byPath['logging.level']?.expected).toContain('"info"');
  });

  it('camera decoder: default auto; a name that is not an ffmpeg decoder name is refused at its line', () => {
    expect(loadConfig(EXAMPLE, {}).config.cameras[0]?.decoder).toBe('auto');
    const text = ['cameras:', '  - id: a', '    source: rtsp://x/y', '    decoder: -hwaccel cuda'].join('\n');
    const issue = issuesOf(text).find((i) => i.path === 'cameras[0].decoder');
    expect(issue?.line).toBe(4);
    expect(issue?.expected).toMatch(/auto/);
  });

  it('reports a missing required key at its parent line', () => {
    const issues = issuesOf('store:\n  name: x\n');
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ path: 'store.id', line: 2, message: 'required key is missing' });
  });

  it('reports YAML syntax errors with the line', () => {
    const issues = issuesOf('store:\n  id: a\n  name: [unclosed\n');
    expect(issues[0]?.message).toMatch(/YAML syntax/);
    expect(issues[0]?.line).toBeGreaterThanOrEqual(3);
  });

  it('applies TRAYCHECK_* environment overrides with type coercion', () => {
    const text = 'store:\n  id: s1\ncameras:\n  - id: cam\n    source: rtsp://h/s\n';
    const { config, overrides } = parseConfigText(text, 'x.yaml', {
      TRAYCHECK_MQTT__URL: 'mqtt://broker:1883',
      TRAYCHECK_DASHBOARD__PORT: '9090',
      TRAYCHECK_CAMERAS__0__FPS: '4',
      TRAYCHECK_TRAY__SETTLE_WINDOW_MS: '1500',
      UNRELATED: 'x',
    });
    expect(config.mqtt.url).toBe('mqtt://broker:1883');
    expect(config.dashboard.port).toBe(9090);
    expect(config.cameras[0]?.fps).toBe(4);
    expect(config.tray.settleWindowMs).toBe(1500);
    expect(overrides.sort()).toEqual([
      'TRAYCHECK_CAMERAS__0__FPS',
      'TRAYCHECK_DASHBOARD__PORT',
      'TRAYCHECK_MQTT__URL',
      'TRAYCHECK_TRAY__SETTLE_WINDOW_MS',
    ]);
  });

  it('names the environment variable when an override is invalid', () => {
    const issues = issuesOf('store:\n  id: s1\n', { TRAYCHECK_DASHBOARD__PORT: '70000' });
    expect(issues).toEqual([
      expect.objectContaining({ path: 'dashboard.port', line: null, source: 'TRAYCHECK_DASHBOARD__PORT' }),
    ]);
  });

  it('cross-checks duplicate camera ids and tls pairs', () => {
    const text =
      'store:\n  id: s1\ncameras:\n  - { id: a, source: x.mp4 }\n  - { id: a, source: y.mp4 }\ndashboard:\n  tlsCert: c.pem\n';
    const paths = issuesOf(text).map((i) => i.path);
    expect(paths).toContain('cameras[1].id');
    expect(paths).toContain('dashboard.tlsKey');
  });

  it('a modifier may only change labels the menu uses', () => {
    const text =
      'store:\n  id: s1\ncameras:\n  - { id: a, source: x.mp4 }\nmenu:\n  B: { name: B, contains: { burger: 1 } }\nmodifiers:\n  no_drink: { change: { drink: -1 } }\n  extra_burger: { change: { burger: 1 } }\n';
    const issues = issuesOf(text);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ path: 'modifiers.no_drink.change', line: 8 });
    expect(issues[0]?.message).toContain('drink');
  });

  it('resolves relative paths against the config file folder', () => {
    const { config } = loadConfig(EXAMPLE, {});
    expect(config.detector.model).toBe(join(ROOT, 'models', 'traycheck-det.onnx'));
    expect(config.storage.dataDir).toBe(join(ROOT, 'data'));
  });

  it('masks secrets in the effective config', () => {
    const text =
      'store:\n  id: s1\nmqtt:\n  url: mqtt://u:hunter2@b:1883\n  password: hunter2\ncameras:\n  - { id: a, source: "rtsp://admin:hunter2@cam/s" }\n';
    const masked = JSON.stringify(maskConfig(parseConfigText(text, 'x.yaml').config));
    expect(masked).not.toContain('hunter2');
    expect(masked).toContain('rtsp://***:***@cam/s');
  });

  it('the generated JSON Schema file is in sync with the TypeBox schema', async () => {
    const { configJsonSchema } = await import('../../src/config/json-schema.js');
    const onDisk = JSON.parse(readFileSync(join(ROOT, 'config', 'traycheck.schema.json'), 'utf8')) as unknown;
    expect(onDisk).toEqual(configJsonSchema());
  });
});
