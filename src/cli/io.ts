// Where the CLI writes: stdout carries only the requested output, stderr everything else.

/** Output sinks; tests pass their own. */
export interface CliIo {
  /** The command's output (a table, JSON): nothing else goes here. */
  out(text: string): void;
  /** Progress, diagnostics, errors: one line or more, newline added by the caller. */
  err(text: string): void;
}

/** The process's own streams. */
export const processIo: CliIo = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
};
