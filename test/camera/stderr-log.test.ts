import { describe, expect, it } from 'vitest';
import { classifyExit, createStderrLog } from '../../src/camera/stderr-log.js';

describe('stderr ring buffer', () => {
  it('keeps the last lines, joined across chunks, credentials stripped', () => {
    const log = createStderrLog(3);
    log.write('one\ntw');
    log.write('o\nrtsp://admin:hunter2@10.0.0.5/stream: Server returned 401 Unauthorized\nfour\nfi');
    expect(log.lines()).toEqual([
      'two',
      'rtsp://***:***@10.0.0.5/stream: Server returned 401 Unauthorized',
      'four',
      'fi',
    ]);
    expect(log.lines().join('\n')).not.toContain('hunter2');
    log.clear();
    expect(log.lines()).toEqual([]);
  });
});

describe('classifyExit', () => {
  // Lines as ffmpeg 5.1 prints them against gst-rtsp-server (see test/camera/rtsp-errors.test.ts).
  const cases: [string, string[], number | null, string | null, string][] = [
    [
      '401',
      [
        '[rtsp @ 0x55] method DESCRIBE failed: 401 Unauthorized',
        'rtsp://***:***@h/x: Server returned 401 Unauthorized (authorization failed)',
      ],
      1,
      null,
      'authentication failed (401)',
    ],
    [
      '404',
      ['[rtsp @ 0x55] method DESCRIBE failed: 404 Not Found', 'rtsp://h/nope: Server returned 404 Not Found'],
      1,
      null,
      'stream not found (404)',
    ],
    [
      'refused',
      ['[tcp @ 0x56] Connection to tcp://127.0.0.1:1?timeout=5000000 failed: Connection refused'],
      1,
      null,
      'connection refused',
    ],
    [
      'timeout',
      ['[tcp @ 0x56] Connection to tcp://10.9.9.9:554 failed: Connection timed out'],
      1,
      null,
      'timed out',
    ],
    [
      'unreachable',
      ['[tcp @ 0x56] Connection to tcp://10.9.9.9:554 failed: No route to host'],
      1,
      null,
      'host unreachable',
    ],
    [
      'dns',
      ['[tcp @ 0x5] Failed to resolve hostname cam.local: Name or service not known'],
      1,
      null,
      'host not found (DNS)',
    ],
    ['file', ['/data/clip.mp4: No such file or directory'], 1, null, 'file not found'],
    ['exit 0', [], 0, null, 'ended (exit 0)'],
    [
      'unknown',
      ['[h264 @ 0x5] something odd rtsp://u:p@h/x'],
      1,
      null,
      'ffmpeg failed (exit 1): something odd rtsp://***:***@h/x',
    ],
    ['signal', [], null, 'SIGSEGV', 'ffmpeg failed (killed by SIGSEGV)'],
  ];
  it.each(cases)('%s', (_name, lines, code, signal, expected) => {
    expect(classifyExit(lines, code, signal)).toBe(expected);
  });

  it('does not take a port number for an HTTP status', () => {
    expect(
      classifyExit(['[tcp @ 0x1] Connection to tcp://127.0.0.1:40401 failed: Connection refused'], 1, null),
    ).toBe('connection refused');
  });
});
