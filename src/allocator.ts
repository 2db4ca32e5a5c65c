// glibc malloc settings for the long-running commands. Frames are ~0.7 MB buffers allocated and
// freed five times a second per camera, from several threads (daemon, detector worker, libuv,
// libvips). With glibc's defaults, freed frames stay in per-thread arenas (the mmap threshold
// rises to the frame size after the first free): RSS grew ~40 MB in the first 10 minutes of a
// soak with a flat JS heap. With these two settings it stayed flat, ~45 MB lower
// (bench/README.md, "memory"). They must be in the environment before node starts, so the
// systemd unit, the Docker image and the npm scripts set them; `run` and `demo` warn without.
export const ALLOCATOR_ENV: Readonly<Record<string, string>> = {
  MALLOC_ARENA_MAX: '2',
  MALLOC_MMAP_THRESHOLD_: '131072',
};

/**
 * This process's environment without the settings, for child processes. They are for node's
 * frame buffers: ffmpeg with them spends ~8 ms of CPU a frame on page faults (measured).
 */
export function envWithoutAllocator(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const out = { ...env };
  for (const k of Object.keys(ALLOCATOR_ENV)) delete out[k];
  return out;
}

/** `NAME=value NAME=value`, as a shell prefix or a systemd Environment= line takes them. */
export const allocatorEnvLine = (): string =>
  Object.entries(ALLOCATOR_ENV)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');

/**
 * A warning when this process runs on glibc without the settings (neither the variables nor a
 * GLIBC_TUNABLES malloc tunable); null otherwise (musl, macOS, or set).
 */
export function allocatorWarning(env: NodeJS.ProcessEnv, glibcVersion: string | undefined): string | null {
  if (!glibcVersion) return null;
  if (Object.keys(ALLOCATOR_ENV).every((k) => env[k] !== undefined)) return null;
  if (env.GLIBC_TUNABLES?.includes('glibc.malloc.')) return null;
  return `glibc's default malloc settings let memory grow by tens of MB over hours with camera frames; start traycheck with ${allocatorEnvLine()} in its environment (the systemd unit, the Docker image and npm scripts do)`;
}

/** The running process's glibc version, if it runs on glibc. */
export function glibcVersion(): string | undefined {
  const report = process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined;
  return report?.header?.glibcVersionRuntime;
}
