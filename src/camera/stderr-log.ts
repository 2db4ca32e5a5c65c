// ffmpeg's stderr: the last lines in a ring buffer (credentials stripped on the way in), and a
// classifier that turns them into one readable reason for the camera status (Frigate's LogPipe).
import { redactUrl } from '../log.js';

export const STDERR_LINES = 20;

export interface StderrLog {
  /** Feed raw stderr text; complete lines enter the ring. */
  write(text: string): void;
  lines(): string[];
  clear(): void;
}

export function createStderrLog(max = STDERR_LINES): StderrLog {
  let ring: string[] = [];
  let partial = '';
  const add = (line: string): void => {
    const clean = redactUrl(line.trimEnd());
    if (clean === '') return;
    ring.push(clean);
    if (ring.length > max) ring = ring.slice(ring.length - max);
  };
  return {
    write(text) {
      const parts = (partial + text).split(/\r?\n|\r/);
      partial = parts.pop() ?? '';
      // A runaway line without newline must not grow forever.
      if (partial.length > 4096) {
        add(partial);
        partial = '';
      }
      for (const p of parts) add(p);
    },
    lines() {
      return partial === '' ? [...ring] : [...ring, redactUrl(partial)];
    },
    clear() {
      ring = [];
      partial = '';
    },
  };
}

// First rule that matches any line wins, so more specific causes come first.
const RULES: readonly (readonly [RegExp, string])[] = [
  [/401 Unauthorized|authorization failed/i, 'authentication failed (401)'],
  [/403 Forbidden/i, 'forbidden (403)'],
  // camera.decoder names a decoder this ffmpeg was built without.
  [/Unknown decoder/i, 'decoder not in this ffmpeg (see camera decoder; `ffmpeg -decoders` lists them)'],
  // A hardware decoder whose device is missing or busy (h264_v4l2m2m: "Could not find a valid device").
  [
    /Could not find a valid device|Error while opening decoder|can't configure decoder/i,
    'decoder could not start (hardware decoder without its device? see camera decoder)',
  ],
  [/404 Not Found/i, 'stream not found (404)'],
  [/Connection refused/i, 'connection refused'],
  [/No route to host|Network is unreachable|Host is unreachable/i, 'host unreachable'],
  [/Name or service not known|name resolution|Failed to resolve/i, 'host not found (DNS)'],
  [/timed out|ETIMEDOUT/i, 'timed out'],
  [/Connection reset/i, 'connection reset by peer'],
  [/No such file or directory/i, 'file not found'],
  [/Permission denied/i, 'permission denied'],
  [/matches no streams|does not contain any stream/i, 'no video stream'],
  [/Invalid data found when processing input/i, 'invalid data (not a readable video stream)'],
];

/** One readable reason for an ffmpeg exit, from its last stderr lines and exit status. */
export function classifyExit(lines: readonly string[], code: number | null, signal: string | null): string {
  for (const [re, reason] of RULES) if (lines.some((l) => re.test(l))) return reason;
  // ffmpeg 5.1 exits 0 within ~0.1 s when an RTSP server goes away: a lost stream, not a success.
  if (code === 0) return 'ended (exit 0)';
  const last = lines.at(-1)?.replace(/^\[[^\]]*@ 0x[0-9a-f]+\]\s*/i, '');
  const what = signal !== null ? `killed by ${signal}` : `exit ${code ?? '?'}`;
  return last ? `ffmpeg failed (${what}): ${redactUrl(last).slice(0, 200)}` : `ffmpeg failed (${what})`;
}
