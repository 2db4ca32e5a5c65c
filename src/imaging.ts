// libvips (sharp) settings for the production daemon (`traycheck run`), where sharp only encodes
// snapshots and the live view, a few images a minute, never the same input twice:
// - concurrency 1: one libvips worker thread per image instead of one per core. Each worker keeps
//   its own buffers and 64 KiB tiles; on this 2-core box a second one competes with the detector.
// - no operation cache: it keeps up to 100 finished operations for inputs that never repeat.
// sharp picks 2 threads itself here because MALLOC_ARENA_MAX is set (src/allocator.ts). Measured
// with bench/snapshot-memory.ts (400 snapshot renders in one process): RSS 81.8 instead of
// 86.9 MB at the end, and +2.3 instead of +4.4 MB from the 25th render to the 400th. Commands
// that render frames with sharp (demo, eval, dataset) keep sharp's defaults.
import sharp from 'sharp';

export const DAEMON_IMAGING = { concurrency: 1, cache: false } as const;

/** Applies DAEMON_IMAGING to this process's sharp (global to the process). */
export function configureDaemonImaging(): void {
  sharp.cache(DAEMON_IMAGING.cache);
  sharp.concurrency(DAEMON_IMAGING.concurrency);
}
