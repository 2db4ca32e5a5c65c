// The technician page's "recent warnings": warn and above are kept with message and stage only,
// credentials in URLs stripped, at most 50, newest first.
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, recentWarnings } from '../src/log.js';

const sink = () => new Writable({ write: (_c, _e, cb) => cb() });

describe('recent warnings', () => {
  it('keeps warnings and errors of every stage without their secret-bearing fields', () => {
    const log = createLogger({ level: 'info', destination: sink() });
    const camera = log.child({ stage: 'camera', camera: 'expo' });
    const before = recentWarnings().length;
    log.info('not kept');
    camera.warn({ password: 'hunter2' }, 'camera rtsp://cam:s3cret@10.0.0.9/stream offline');
    log.error({ err: new Error('disk full') }, 'snapshot failed');
    const [newest, older] = recentWarnings();
    expect(recentWarnings().length - before).toBe(2);
    expect(newest).toMatchObject({ level: 'error', msg: 'snapshot failed: disk full', stage: null });
    expect(older).toMatchObject({
      level: 'warn',
      stage: 'camera',
      msg: 'camera rtsp://***:***@10.0.0.9/stream offline',
    });
    expect(JSON.stringify(recentWarnings())).not.toContain('hunter2');
    for (let i = 0; i < 60; i++) log.warn(`flood ${i}`);
    expect(recentWarnings()).toHaveLength(50);
    expect(recentWarnings()[0]?.msg).toBe('flood 59');
  });
});
