// The suite's small error vocabulary. The CLI maps each class to an exit code in one place
// (src/cli/exit-codes.ts); anything else is a bug and is re-thrown with its stack.

/** One thing wrong with an input file: which file, which field, what would be valid. */
export interface Problem {
  file: string;
  /** Field path, e.g. "services[0].app.memory"; "" for the whole file. */
  path: string;
  /** 1-based line in the file, when known. */
  line?: number;
  message: string;
  /** A near-miss correction, e.g. "instances". */
  suggestion?: string;
}

/** Renders "file:line: path: message (did you mean "x"?)". */
export function formatProblem(problem: Problem): string {
  const where = problem.line === undefined ? problem.file : `${problem.file}:${problem.line}`;
  const field = problem.path === '' ? '' : ` ${problem.path}:`;
  const hint = problem.suggestion === undefined ? '' : ` (did you mean "${problem.suggestion}"?)`;
  return `${where}:${field} ${problem.message}${hint}`;
}

/** Bad input: a scenario, report or profile file that cannot be used. Exit 2. */
export class InputError extends Error {
  readonly problems: Problem[];
  constructor(problems: Problem[]) {
    super(problems.map(formatProblem).join('\n'));
    this.name = 'InputError';
    this.problems = problems;
  }
}

/** Bad command line. Exit 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** A requested engine (Docker, QEMU) is unavailable or failed. Exit 3. */
export class EngineError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'EngineError';
  }
}

/** The run was interrupted by SIGINT or SIGTERM. Exit 130 (SIGINT) or 143 (SIGTERM). */
export class InterruptedError extends Error {
  readonly signal: 'SIGINT' | 'SIGTERM';
  constructor(signal: 'SIGINT' | 'SIGTERM') {
    super(`interrupted by ${signal}; cleaned up`);
    this.name = 'InterruptedError';
    this.signal = signal;
  }
}

/** A results file could not be written (read-only folder, disk full). Exit 2; earlier results stay. */
export class OutputError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'OutputError';
  }
}

/** The message of whatever was thrown (an Error's message, else its text). */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
