// The /teach upload's new label (src/teach/api.ts, what POST /api/teach/sprites?newLabel=true
// runs): the label is checked as the CLI checks it, created with its first photo, and then offered.
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import type { ModelInfo } from '../../src/detect/model.js';
import { silentLogger } from '../../src/log.js';
import { createTeachApi } from '../../src/teach/api.js';
import { tempDir, writeConfig } from '../helpers/daemon.js';
import { SHIPPED } from './models.js';
import { menuPhoto } from './photos.js';

const dir = tempDir();
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const LABELS = ['tray', 'burger', 'fries', 'drink', 'nuggets', 'wrap', 'salad', 'dessert', 'sauce', 'hand'];

describe('/teach upload with a new label', () => {
  it('creates a valid new label with the photo, refuses a bad or clashing one, and lists it', async () => {
    const dataDir = join(dir, 'data');
    const loaded = loadConfig(
      writeConfig(dir, {
        store: { id: 'api', name: 'API' },
        cameras: [{ id: 'counter', source: 'sim:builtin' }],
        detector: { model: SHIPPED },
        storage: { dataDir },
      }),
    );
    const api = createTeachApi({
      loaded,
      model: () => ({ path: SHIPPED, labels: LABELS }) as ModelInfo,
      log: silentLogger(),
    });
    const photo = (await menuPhoto({ item: 'hotdog', seed: 3, backdrop: [62, 68, 80] })).jpeg;

    const unknown = await api.addSprite('hotdog', photo, 'dog.jpg');
    expect(unknown).toMatchObject({ ok: false });
    expect(unknown.message).toMatch(/unknown label "hotdog"/);

    const clash = await api.addSprite('nug_gets', photo, 'dog.jpg', true);
    expect(clash).toMatchObject({
      ok: false,
      message: expect.stringMatching(/too close to .*"nuggets"/) as unknown,
    });
    const bad = await api.addSprite('hot-dog', photo, 'dog.jpg', true);
    expect(bad).toMatchObject({
      ok: false,
      message: expect.stringMatching(/lowercase letters, digits and _/) as unknown,
    });

    const made = await api.addSprite('hotdog', photo, 'dog.jpg', true);
    expect(made).toMatchObject({ ok: true, message: 'cut out dog.jpg' });
    expect(JSON.parse(readFileSync(join(dataDir, 'teach', 'labels.json'), 'utf8'))).toEqual({
      labels: ['hotdog'],
    });
    expect(api.overview().labels.at(-1)).toBe('hotdog');
    expect(Object.keys(api.overview().sprites)).toEqual(['hotdog']);
  });
});
