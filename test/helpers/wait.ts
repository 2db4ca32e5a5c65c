// Tests wait for conditions, never for fixed sleeps (docs/CONTRIBUTING.md).
export interface WaitOptions {
  timeoutMs?: number;
  intervalMs?: number;
  message?: string;
}

/** What a truthy check leaves of T: `cond && value` waits for the value. */
export type Truthy<T> = Exclude<T, false | 0 | 0n | '' | null | undefined>;

/** Polls `fn` until it returns a truthy value (returned) or the deadline passes (throws). */
export async function waitFor<T>(fn: () => T | Promise<T>, opts: WaitOptions = {}): Promise<Truthy<T>> {
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const intervalMs = opts.intervalMs ?? 25;
  const deadline = Date.now() + timeoutMs;
  let lastErr: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v as Truthy<T>;
    } catch (err) {
      lastErr = err;
    }
    if (Date.now() > deadline) {
      const why = lastErr instanceof Error ? ` (last error: ${lastErr.message})` : '';
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${opts.message ?? 'condition'}${why}`);
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** Resolves with the first event payload for which `pred` holds, or rejects at the deadline. */
export function waitForEvent<T>(
  subscribe: (cb: (v: T) => void) => () => void,
  pred: (v: T) => boolean = () => true,
  timeoutMs = 10_000,
  message = 'event',
): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      unsubscribe();
      reject(new Error(`timed out after ${timeoutMs} ms waiting for ${message}`));
    }, timeoutMs);
    const unsubscribe = subscribe((v) => {
      if (!pred(v)) return;
      clearTimeout(timer);
      unsubscribe();
      resolve(v);
    });
  });
}
