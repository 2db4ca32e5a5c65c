// What the composition root (src/daemon.ts) starts and stops: each stage is made by its own
// factory in this folder from its own config section and getters for what earlier stages made.
export interface Stage {
  /** The stage's one name: the `stage` field of its log lines and of "stage started". */
  name: string;
  start(): Promise<void> | void;
  stop(): Promise<void> | void;
}

/** A start-up failure the operator must fix (bad model, missing menu label): exit 78, no restart. */
export class StartupError extends Error {
  constructor(
    readonly component: string,
    message: string,
  ) {
    super(message);
  }
}

/** The part a stage made, once it has started; a clear error when a later stage asks too early. */
export function need<T>(x: T | null | undefined, what: string): T {
  if (x === null || x === undefined) throw new Error(`${what} not started`);
  return x;
}
