// A model the detector cannot use. The message names the file and what is wrong with it,
// so `traycheck run` can print it and refuse to start.
export class ModelError extends Error {
  readonly file: string;
  /** What is wrong, without the file (the message is "model FILE: PROBLEM"). */
  readonly problem: string;

  constructor(file: string, problem: string, options?: { cause?: unknown }) {
    super(`model ${file}: ${problem}`, options);
    this.name = 'ModelError';
    this.file = file;
    this.problem = problem;
  }
}
