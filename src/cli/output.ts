/** Where the command writes; tests capture it, the real command uses the process streams. */
export interface Output {
  out(text: string): void;
  err(text: string): void;
  /** Whether stderr is an interactive terminal (progress lines only then). */
  readonly interactive: boolean;
  /** Whether stdout accepts colour. */
  readonly color: boolean;
  readonly columns: number;
  /** Set by a command that finished with a non-zero outcome. */
  exitCode?: number;
}

export function processOutput(): Output {
  const noColor = 'NO_COLOR' in process.env || process.env.TERM === 'dumb';
  return {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
    interactive: Boolean(process.stderr.isTTY),
    color: Boolean(process.stdout.isTTY) && !noColor,
    columns: process.stdout.columns || 120,
  };
}
