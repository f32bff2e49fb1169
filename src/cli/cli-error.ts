import { ExitCode } from './exit-codes.js';

/** An error the command reports as one line, with its exit code. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode = ExitCode.Error,
  ) {
    super(message);
    this.name = 'CliError';
  }
}
